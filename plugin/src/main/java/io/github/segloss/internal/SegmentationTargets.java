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
        return targets(mode, labels, logits, ignoreIndex, false, false);
    }

    /**
     * Validates the labels against the logits for the mode and converts them, accepting soft
     * targets if asked: with {@code soft}, BINARY and MULTILABEL targets may hold any value in
     * {@code [0, 1]} (or the ignore index), and MULTICLASS also takes per-class targets of the
     * logits' shape {@code (N, C, d1..dk)} (C at least 2) in {@code [0, 1]} or the ignore index,
     * whose ignored elements count nowhere (as in MULTILABEL); class indices are read as without
     * it.
     *
     * @param mode the segmentation mode
     * @param labels the labels as the mode describes them
     * @param logits the logits {@code (N, C, d1..dk)}
     * @param ignoreIndex the ignore label, or {@link ValueChecks#NO_IGNORE}
     * @param soft whether targets between 0 and 1 are accepted
     * @return the targets and the valid mask
     * @throws IllegalArgumentException if shapes or values do not fit the mode
     */
    public static SegmentationTargets of(
            SegmentationMode mode, NDArray labels, NDArray logits, int ignoreIndex, boolean soft) {
        return targets(mode, labels, logits, ignoreIndex, soft, true);
    }

    /** {@code softOption}: whether the loss has optSoftLabels, which its errors then suggest. */
    private static SegmentationTargets targets(
            SegmentationMode mode,
            NDArray labels,
            NDArray logits,
            int ignoreIndex,
            boolean soft,
            boolean softOption) {
        Shapes.requireFloat(logits, "logits", 2, "(N, C, d1..dk)");
        Shape shape = logits.getShape();
        long batch = shape.get(0);
        long classes = shape.get(1);
        long pixels = shape.size() / Math.max(1, batch * classes);
        DataType type = logits.getDataType();
        switch (mode) {
            case MULTICLASS:
                {
                    if (softOption && ProbabilityTargets.isPerClass(labels, logits)) {
                        if (!soft) {
                            throw new IllegalArgumentException(
                                    "labels of the logits' shape "
                                            + shape
                                            + " are per-class targets, which MULTICLASS mode"
                                            + " reads only with optSoftLabels(true); class"
                                            + " indices are (N, d1..dk) or (N, 1, d1..dk)");
                        }
                        return binary(labels, logits, ignoreIndex, null, true, true);
                    }
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
                            labels,
                            logits,
                            ignoreIndex,
                            shape.slice(0, 1).addAll(shape.slice(2)),
                            soft,
                            softOption);
                }
            case MULTILABEL:
                return binary(labels, logits, ignoreIndex, null, soft, softOption);
            default:
                throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    /**
     * 0/1 targets (any value in [0, 1] if {@code soft}) of the logits' shape (or {@code squeezed},
     * the shape without the class axis).
     */
    private static SegmentationTargets binary(
            NDArray labels,
            NDArray logits,
            int ignoreIndex,
            Shape squeezed,
            boolean soft,
            boolean softOption) {
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
        if (soft) {
            ValueChecks.requireRangeOrIgnore(labels, "labels", 0, 1, ignoreIndex);
        } else if (softOption) {
            requireHard(labels, ignoreIndex);
        } else {
            ValueChecks.requireClassOrIgnore(labels, "labels", 2, ignoreIndex);
        }
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

    /** Requires 0/1 targets (or the ignore index), pointing a soft target to optSoftLabels. */
    private static void requireHard(NDArray labels, int ignoreIndex) {
        try {
            ValueChecks.requireClassOrIgnore(labels, "labels", 2, ignoreIndex);
        } catch (BadValueException e) {
            if (e.value() > 0 && e.value() < 1) {
                throw new BadValueException(
                        e.argument(),
                        e.value(),
                        e.getMessage() + "; for soft targets in [0, 1] set optSoftLabels(true)");
            }
            throw e;
        }
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
