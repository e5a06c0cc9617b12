package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

/**
 * The check that every value of the float predictions a loss or metric reads is finite (no NaN, no
 * ±∞): opt-in for the losses ({@code optCheckFinite(true)}), always on for the metrics (where the
 * argmax of NaN logits would count as some class).
 *
 * <p>A good input costs one sum and the copy of that one number to the host: a NaN or ±∞ makes the
 * sum NaN or ±∞ (IEEE 754: NaN propagates, ∞ + finite = ∞, ∞ − ∞ = NaN), so a finite sum proves
 * every value finite. Only a sum that is not finite (a bad value, or finite values whose sum
 * overflows) runs the exact element-wise test (\( x_i - x_i = 0 \), see {@link
 * ValueChecks#isFinite}); the count and the position of the first bad value are read only to build
 * the message. Its result feeds no loss, so it adds nothing to the gradient, and its intermediate
 * arrays are closed before it returns. Integer arrays are always finite and are not read.
 */
public final class FiniteCheck {

    private FiniteCheck() {}

    /**
     * Requires every value of an array to be finite, if the check is enabled.
     *
     * @param enabled whether the check runs; {@code false} returns at once
     * @param array the values to check
     * @param name the argument's name for the message, e.g. "logits"
     * @throws IllegalArgumentException like {@code logits must be finite: 3 of 5376 values are not
     *     (first: NaN at [1, 4, 0, 7])}
     */
    public static void requireFinite(boolean enabled, NDArray array, String name) {
        if (!enabled || !array.getDataType().isFloating() || array.size() == 0) {
            return;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            if (Double.isFinite(array.sum().toType(DataType.FLOAT64, false).getDouble())) {
                return;
            }
            NDArray finite = ValueChecks.isFinite(array);
            if (finite.all().getBoolean()) {
                return; // finite values whose sum overflowed
            }
            NDArray bad = finite.logicalNot().flatten();
            long count = bad.toType(DataType.INT64, false).sum().getLong();
            long first = bad.toType(DataType.INT32, false).argMax().getLong();
            double value = array.flatten().get(first).toType(DataType.FLOAT64, false).getDouble();
            throw new IllegalArgumentException(
                    name
                            + " must be finite: "
                            + count
                            + " of "
                            + array.size()
                            + " value"
                            + (array.size() == 1 ? " is" : "s are")
                            + " not (first: "
                            + describe(value)
                            + " at "
                            + Shapes.position(first, array.getShape())
                            + ")");
        }
    }

    /**
     * Requires every value of every float array of a list to be finite, if the check is enabled;
     * array {@code i} is named {@code name[i]} in the message.
     *
     * @param enabled whether the check runs; {@code false} returns at once
     * @param arrays the arrays to check
     * @param name the list's name for the message, e.g. "predictions"
     * @throws IllegalArgumentException naming the first array with a bad value, as {@link
     *     #requireFinite(boolean, NDArray, String)}
     */
    public static void requireFinite(boolean enabled, NDList arrays, String name) {
        if (!enabled) {
            return;
        }
        for (int i = 0; i < arrays.size(); i++) {
            requireFinite(true, arrays.get(i), name + "[" + i + "]");
        }
    }

    private static String describe(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        return value > 0 ? "+Infinity" : "-Infinity";
    }
}
