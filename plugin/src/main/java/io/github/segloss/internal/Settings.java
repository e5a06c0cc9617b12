package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/** Checks of the losses' settings, and per-class settings as arrays on the logits' device. */
public final class Settings {

    private Settings() {}

    /**
     * Requires a finite, non-negative number.
     *
     * @param name the setting's name for the message
     * @param value the value
     * @throws IllegalArgumentException if the value is negative, NaN or infinite
     */
    public static void requireFiniteNonNegative(String name, float value) {
        if (!(value >= 0) || Float.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
        }
    }

    /**
     * Returns the shortest decimal that gives back a float setting, as a double: 1e-5f as 1e-5 and
     * 0.4f as 0.4, so that a float64 computation adds or multiplies by the number the user wrote,
     * as PyTorch, MONAI and smp do with their Python floats (it rounds back to the same float32).
     *
     * @param value the setting
     * @return the decimal it was written as
     */
    public static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    /**
     * Validates a selection of classes and returns a copy.
     *
     * @param classes the class indices, at least one, distinct, each >= 0
     * @return a copy of the classes
     * @throws IllegalArgumentException if there is none, one is negative or one repeats
     */
    public static int[] distinctClasses(int... classes) {
        if (classes == null || classes.length == 0) {
            throw new IllegalArgumentException("classes must name at least one class");
        }
        if (Arrays.stream(classes).anyMatch(c -> c < 0)
                || Arrays.stream(classes).distinct().count() != classes.length) {
            throw new IllegalArgumentException(
                    "classes must be distinct and >= 0, got " + Arrays.toString(classes));
        }
        return classes.clone();
    }

    /**
     * Validates one weight per class and returns a copy.
     *
     * @param name the setting's name for the message
     * @param weights the weights, at least one, each finite and >= 0
     * @return a copy of the weights
     * @throws IllegalArgumentException if there is none or one is negative or not finite
     */
    public static float[] perClass(String name, float... weights) {
        if (weights == null || weights.length == 0) {
            throw new IllegalArgumentException(name + " must hold one weight per class, got none");
        }
        for (int c = 0; c < weights.length; c++) {
            if (!(weights[c] >= 0) || Float.isInfinite(weights[c])) {
                throw new IllegalArgumentException(
                        name + " must be finite and >= 0, got " + weights[c] + " for class " + c);
            }
        }
        return weights.clone();
    }

    /**
     * Creates per-class values on the logits' device and in their float type, shaped {@code (C)}
     * or, with {@code broadcastable}, {@code (1, C, 1..1)} for the logits' rank.
     *
     * @param name the setting's name for the message
     * @param values one value per class
     * @param logits the logits {@code (N, C, d1..dk)}
     * @param broadcastable whether to shape the values for broadcasting over the logits
     * @return the values as an array
     * @throws IllegalArgumentException if there are not C values
     */
    public static NDArray onClassAxis(
            String name, float[] values, NDArray logits, boolean broadcastable) {
        requireOnePerClass(name, values, logits);
        NDArray array = HostArrays.of(logits, values, new Shape(values.length));
        return broadcastable ? broadcastOnClassAxis(array, logits) : array;
    }

    /**
     * Requires one value per class, C = axis 1 of the logits (1 for rank-1 logits).
     *
     * @param name the setting's name for the message
     * @param values the values
     * @param logits the logits
     * @throws IllegalArgumentException if there are not C values
     */
    public static void requireOnePerClass(String name, float[] values, NDArray logits) {
        Shape shape = logits.getShape();
        long classes = shape.dimension() > 1 ? shape.get(1) : 1;
        if (values.length != classes) {
            throw new IllegalArgumentException(
                    name
                            + " must have one weight per class (axis 1): "
                            + classes
                            + " for logits "
                            + shape
                            + ", got "
                            + values.length);
        }
    }

    /**
     * Reshapes per-class values {@code (C)} to {@code (1, C, 1..1)} for the logits' rank.
     *
     * @param perClass the values {@code (C)}
     * @param logits the logits {@code (N, C, d1..dk)}
     * @return a view that broadcasts over the logits
     */
    public static NDArray broadcastOnClassAxis(NDArray perClass, NDArray logits) {
        long[] dims = new long[logits.getShape().dimension()];
        Arrays.fill(dims, 1);
        dims[Math.min(1, dims.length - 1)] = perClass.size();
        return perClass.reshape(new Shape(dims));
    }
}
