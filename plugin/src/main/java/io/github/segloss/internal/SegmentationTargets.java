package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.loss.SegmentationMode;

/**
 * Targets of a segmentation loss as one 0/1 channel per class, with the mask of the pixels that
 * count, both flattened over the spatial axes:
 *
 * <ul>
 *   <li>{@link #target()}: {@code (N, C, P)} in the logits' float type, 1 where pixel p belongs to
 *       class c, 0 elsewhere and on ignored pixels;
 *   <li>{@link #valid()}: {@code (N, 1, P)} (BINARY, MULTICLASS) or {@code (N, C, P)} (MULTILABEL),
 *       1 where the label is not the ignore index.
 * </ul>
 *
 * <p>MULTICLASS builds a one-hot of the class indices, which the overlap losses' math needs.
 *
 * @param target the per-class 0/1 targets {@code (N, C, P)}
 * @param valid the mask of labelled pixels, broadcastable to the targets
 * @param shape the logits' shape
 */
public record SegmentationTargets(NDArray target, NDArray valid, Shape shape) {

    /**
     * Validates the labels against the logits for the mode and converts them.
     *
     * @param mode the segmentation mode
     * @param labels the labels as the mode describes them
     * @param logits the logits {@code (N, C, d1..dk)}
     * @param ignoreIndex the ignore label, or {@link ValueChecks#NO_IGNORE}
     * @return the targets and the valid mask
     * @throws IllegalArgumentException if shapes or values do not fit the mode
     */
    public static SegmentationTargets of(
            SegmentationMode mode, NDArray labels, NDArray logits, int ignoreIndex) {
        Shapes.requireFloat(logits, "logits", 2, "(N, C, d1..dk)");
        Shape shape = logits.getShape();
        long batch = shape.get(0);
        long classes = shape.get(1);
        long pixels = shape.size() / Math.max(1, batch * classes);
        DataType type = logits.getDataType();
        switch (mode) {
            case MULTICLASS:
                {
                    ClassIndexLabels index = ClassIndexLabels.of(labels, logits, ignoreIndex);
                    NDArray valid = index.valid().reshape(batch, 1, pixels);
                    NDArray oneHot =
                            index.index()
                                    .reshape(batch, pixels)
                                    .oneHot(Math.toIntExact(classes))
                                    .toType(type, false)
                                    .transpose(0, 2, 1)
                                    .mul(valid);
                    return new SegmentationTargets(oneHot, valid, shape);
                }
            case BINARY:
                {
                    if (classes != 1) {
                        throw new IllegalArgumentException(
                                "logits must have shape (N, 1, d1..dk) in BINARY mode, got "
                                        + shape);
                    }
                    return binary(
                            labels, logits, ignoreIndex, shape.slice(0, 1).addAll(shape.slice(2)));
                }
            case MULTILABEL:
                return binary(labels, logits, ignoreIndex, null);
            default:
                throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    /** 0/1 targets of the logits' shape (or {@code squeezed}, the shape without the class axis). */
    private static SegmentationTargets binary(
            NDArray labels, NDArray logits, int ignoreIndex, Shape squeezed) {
        Shape shape = logits.getShape();
        Shape labelShape = labels.getShape();
        if (!labelShape.equals(shape) && (squeezed == null || !labelShape.equals(squeezed))) {
            throw new IllegalArgumentException(
                    "labels must have the logits' shape "
                            + shape
                            + (squeezed == null ? "" : " or " + squeezed)
                            + ", got "
                            + labelShape);
        }
        Shapes.requireNumeric(labels, "labels");
        ValueChecks.requireClassOrIgnore(labels, "labels", 2, ignoreIndex);
        long batch = shape.get(0);
        long classes = shape.get(1);
        Shape flat = new Shape(batch, classes, shape.size() / Math.max(1, batch * classes));
        NDArray values = labels.toType(logits.getDataType(), false).reshape(flat);
        NDArray valid =
                ignoreIndex == ValueChecks.NO_IGNORE
                        ? values.onesLike()
                        : values.neq(ignoreIndex).toType(logits.getDataType(), false);
        return new SegmentationTargets(values.mul(valid), valid, shape);
    }

    /**
     * Returns the logits flattened over the spatial axes, {@code (N, C, P)}.
     *
     * @param logits the logits of {@link #shape()}
     * @return the flattened logits
     */
    public NDArray flatten(NDArray logits) {
        return logits.reshape(target.getShape());
    }
}
