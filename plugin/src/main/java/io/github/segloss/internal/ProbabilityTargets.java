package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Per-class targets of the logits' shape {@code (N, C, d1..dk)}: the class probabilities of {@code
 * PixelCrossEntropyLoss} and the soft targets of the overlap losses' MULTICLASS mode.
 *
 * <p>As {@code torch.nn.functional.cross_entropy} decides, labels are per-class targets exactly
 * when they have the logits' shape; with a class axis of size 1 that shape is also the {@code (N,
 * 1, d1..dk)} layout of class indices, which is kept (a single class gives a loss of 0 either way).
 */
public final class ProbabilityTargets {

    private ProbabilityTargets() {}

    /**
     * Tells whether labels are per-class targets for the logits: they have the logits' shape and
     * the logits at least 2 classes.
     *
     * @param labels the labels
     * @param logits the logits {@code (N, C, d1..dk)}
     * @return true for per-class targets, false for class indices
     */
    public static boolean isPerClass(NDArray labels, NDArray logits) {
        Shape shape = logits.getShape();
        return shape.dimension() >= 2 && shape.get(1) >= 2 && labels.getShape().equals(shape);
    }

    /**
     * Tells whether labels look meant as per-class targets without having the logits' shape:
     * floating-point, of the logits' rank and with the logits' classes on axis 1 (2 or more).
     *
     * @param labels the labels
     * @param logits the logits {@code (N, C, d1..dk)}
     * @return true if the labels are misshapen per-class targets
     */
    public static boolean misshapen(NDArray labels, NDArray logits) {
        Shape shape = logits.getShape();
        Shape given = labels.getShape();
        return labels.getDataType().isFloating()
                && shape.dimension() >= 2
                && shape.get(1) >= 2
                && given.dimension() == shape.dimension()
                && given.get(1) == shape.get(1)
                && !given.equals(shape);
    }

    /**
     * Checks class probabilities and returns them in the logits' float type: floating-point, each
     * finite and >= 0 (rows need not sum to 1, as in PyTorch).
     *
     * @param labels the probabilities, of the logits' shape
     * @param logits the logits
     * @return the probabilities in the logits' type
     * @throws IllegalArgumentException if they are not floating-point or a value is negative, NaN
     *     or infinite
     */
    public static NDArray probabilities(NDArray labels, NDArray logits) {
        requireFloating(labels, logits);
        ValueChecks.requireFiniteNonNegative(labels, "labels (class probabilities)");
        return labels.toType(logits.getDataType(), false);
    }

    /**
     * The error for misshapen per-class targets (see {@link #misshapen}).
     *
     * @param labels the labels
     * @param logits the logits
     * @return the error naming both shapes
     */
    public static IllegalArgumentException shapeError(NDArray labels, NDArray logits) {
        return new IllegalArgumentException(
                "labels of class probabilities must have the logits' shape (N, C, d1..dk) = "
                        + logits.getShape()
                        + ", got "
                        + labels.getShape());
    }

    private static void requireFloating(NDArray labels, NDArray logits) {
        if (!labels.getDataType().isFloating()) {
            throw new IllegalArgumentException(
                    "labels of the logits' shape "
                            + logits.getShape()
                            + " are class probabilities and must be floating-point, got "
                            + labels.getDataType()
                            + " (class indices are (N, d1..dk) or (N, 1, d1..dk))");
        }
    }
}
