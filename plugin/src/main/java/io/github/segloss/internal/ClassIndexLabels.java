package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Class-index labels normalised for a loss over logits {@code (N, C, d1..dk)}.
 *
 * <p>Labels come as {@code (N, d1..dk)} or {@code (N, 1, d1..dk)}, in any integer type or as floats
 * holding whole numbers. Every label must be a class in {@code [0, C)} or the ignore index. The
 * normalised form has the logits' rank with a class axis of size 1, so that it can pick from the
 * logits on both engines:
 *
 * <ul>
 *   <li>{@link #index()}: int64 {@code (N, 1, d1..dk)}, ignored pixels replaced by class 0;
 *   <li>{@link #valid()}: {@code (N, 1, d1..dk)} in the logits' float type, 1 where the label is a
 *       class and 0 where it is ignored.
 * </ul>
 *
 * @param index the labels as int64, ignored pixels set to 0
 * @param valid 1 for labelled pixels, 0 for ignored ones, in the logits' float type
 */
public record ClassIndexLabels(NDArray index, NDArray valid) {

    /**
     * Validates class-index labels against the logits' shape and normalises them.
     *
     * @param labels the labels, {@code (N, d1..dk)} or {@code (N, 1, d1..dk)}
     * @param logits the logits, {@code (N, C, d1..dk)}
     * @param ignoreIndex the label value that marks pixels without a class
     * @return the normalised labels
     * @throws IllegalArgumentException if the shape does not match or a value is neither a class
     *     nor the ignore index
     */
    public static ClassIndexLabels of(NDArray labels, NDArray logits, int ignoreIndex) {
        return SharedLabels.get(
                labels, logits, ignoreIndex, () -> compute(labels, logits, ignoreIndex));
    }

    private static ClassIndexLabels compute(NDArray labels, NDArray logits, int ignoreIndex) {
        requireShape(labels, logits);
        // intermediates are closed on return, and everything is closed when the check throws
        ClassIndexLabels result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray asLong =
                    labels.toType(DataType.INT64, false).reshape(classAxisKept(logits.getShape()));
            // NO_IGNORE is a sentinel, not a label: -2^31 must stay a (bad) label then
            NDArray labelled =
                    ignoreIndex == ValueChecks.NO_IGNORE
                            ? asLong.eq(asLong)
                            : asLong.neq(ignoreIndex);
            NDArray valid = labelled.toType(logits.getDataType(), false);
            NDArray index = asLong.mul(labelled.toType(DataType.INT64, false));
            requireClasses(index, labels, logits.getShape().get(1), ignoreIndex);
            NDScope.unregister(index, valid);
            result = new ClassIndexLabels(index, valid);
        }
        // the results belong to the caller's scope, if any: made from the labels, they live on
        // the labels' manager, which may outlive the call (labels kept across batches)
        NDScope.register(result.index());
        NDScope.register(result.valid());
        return result;
    }

    /**
     * The check of {@link #of}, on the class indices that it computes anyway: every label is a
     * class or the ignore index exactly when the indices (the ignore index replaced by 0) lie in
     * {@code [0, C)} and float labels are whole numbers. A good input costs one device-to-host copy
     * of the indices' minimum and maximum (plus one boolean for float labels); the detailed scan
     * runs only to word the error.
     *
     * @param index the class indices of {@link #of}, int64, ignored pixels 0
     * @param labels the labels they came from
     * @param numClasses the number of classes C
     * @param ignoreIndex the ignore label
     * @throws IllegalArgumentException if a label is neither a class nor the ignore index
     */
    public static void requireClasses(
            NDArray index, NDArray labels, long numClasses, int ignoreIndex) {
        if (!ValueChecks.inBounds(index, 0, numClasses - 1) || !ValueChecks.isWhole(labels)) {
            ValueChecks.requireClassOrIgnore(labels, "labels", numClasses, ignoreIndex);
        }
    }

    /**
     * Picks each pixel's value of its target class: {@code (N, 1, d1..dk)} from {@code (N, C,
     * d1..dk)}, differentiable. Ignored pixels read class 0; mask them with {@link #valid()}.
     *
     * @param perClass values per class, shaped like the logits
     * @return the target class's value per pixel
     */
    public NDArray pick(NDArray perClass) {
        // pick with (N, 1, ...) indices: PyTorch rejects (N, ...), MXNet wraps 255 silently
        return perClass.get(new NDIndex().addAllDim().addPickDim(index));
    }

    /**
     * Returns each pixel's target-class weight \( w_{y_i} \), {@code (N, 1, d1..dk)} (ignored
     * pixels read class 0's weight; mask them with {@link #valid()}).
     *
     * @param classWeights per-class weights {@code (C)} on the logits' device
     * @return the weights per pixel
     */
    public NDArray weightOf(NDArray classWeights) {
        return classWeights.take(index);
    }

    /**
     * Validates class-index labels against the logits' shape without normalising them: the checks
     * of {@link #of}, for callers that read the labels another way (the metrics copy them to the
     * host).
     *
     * @param labels the labels, {@code (N, d1..dk)} or {@code (N, 1, d1..dk)}
     * @param logits the logits, {@code (N, C, d1..dk)}
     * @param ignoreIndex the label value that marks pixels without a class
     * @throws IllegalArgumentException if the shape does not match or a value is neither a class
     *     nor the ignore index
     */
    public static void requireValid(NDArray labels, NDArray logits, int ignoreIndex) {
        requireShape(labels, logits);
        ValueChecks.requireClassOrIgnore(labels, "labels", logits.getShape().get(1), ignoreIndex);
    }

    private static void requireShape(NDArray labels, NDArray logits) {
        Shape logitShape = logits.getShape();
        Shape keptShape = classAxisKept(logitShape);
        Shape labelShape = labels.getShape();
        Shape squeezed = logitShape.slice(0, 1).addAll(logitShape.slice(2));
        if (!labelShape.equals(keptShape) && !labelShape.equals(squeezed)) {
            throw new IllegalArgumentException(
                    "labels must have shape (N, d1..dk) = "
                            + squeezed
                            + " or (N, 1, d1..dk) = "
                            + keptShape
                            + " to match logits "
                            + logitShape
                            + ", got "
                            + labelShape);
        }
        Shapes.requireNumeric(labels, "labels");
    }

    private static Shape classAxisKept(Shape logitShape) {
        return logitShape.slice(0, 1).add(1).addAll(logitShape.slice(2));
    }
}
