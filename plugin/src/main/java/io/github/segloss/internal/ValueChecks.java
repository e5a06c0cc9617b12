package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

/**
 * Value checks for the inputs of the losses.
 *
 * <p>A good input costs two reductions (its minimum and maximum) and one device-to-host copy of
 * both, plus one whole-number test for float class ids: {@link #inBounds}. Only when that fast test
 * fails does the detailed scan run, to word the message with the first bad value, its position and
 * the count. Intermediate arrays are closed before the check returns.
 */
public final class ValueChecks {

    /** Marks "no ignore index" for {@link #requireClassOrIgnore}. */
    public static final int NO_IGNORE = Integer.MIN_VALUE;

    private ValueChecks() {}

    /**
     * Requires every value to be a whole number in {@code [0, numClasses)} or equal to {@code
     * ignoreIndex}.
     *
     * @param labels the labels to check, of any integer or float type
     * @param name the argument's name for the message
     * @param numClasses the number of classes
     * @param ignoreIndex the ignore label, or {@link #NO_IGNORE}
     * @throws IllegalArgumentException naming the first bad value, its position and the count
     */
    public static void requireClassOrIgnore(
            NDArray labels, String name, long numClasses, int ignoreIndex) {
        if (labels.size() == 0) {
            return;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray values = widened(labels);
            if (inBounds(withoutIgnored(values, ignoreIndex), 0, numClasses - 1)
                    && isWhole(values)) {
                return;
            }
            NDArray ok = values.gte(0).logicalAnd(values.lt(numClasses));
            if (ignoreIndex != NO_IGNORE) {
                ok = ok.logicalOr(values.eq(ignoreIndex));
            }
            if (values.getDataType().isFloating()) {
                ok = ok.logicalAnd(values.eq(values.floor()));
            }
            String rule =
                    "whole numbers in [0, "
                            + numClasses
                            + ")"
                            + (ignoreIndex == NO_IGNORE
                                    ? ""
                                    : " or the ignore index " + ignoreIndex);
            failOnBad(values, ok, name, rule, labels);
        }
    }

    /**
     * Requires every value to lie in {@code [low, high]} (NaN fails).
     *
     * @param array the values to check
     * @param name the argument's name for the message
     * @param low the smallest value accepted
     * @param high the largest value accepted
     * @throws IllegalArgumentException naming the first bad value, its position and the count
     */
    public static void requireRange(NDArray array, String name, double low, double high) {
        requireRangeOrIgnore(array, name, low, high, NO_IGNORE);
    }

    /**
     * Requires every value to lie in {@code [low, high]} or to equal {@code ignoreIndex} (NaN
     * fails).
     *
     * @param array the values to check
     * @param name the argument's name for the message
     * @param low the smallest value accepted
     * @param high the largest value accepted
     * @param ignoreIndex a further accepted value, or {@link #NO_IGNORE}
     * @throws IllegalArgumentException naming the first bad value, its position and the count
     */
    public static void requireRangeOrIgnore(
            NDArray array, String name, double low, double high, int ignoreIndex) {
        if (array.size() == 0) {
            return;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray values = widened(array);
            // ignored values read as 0, which only the detailed scan may judge when outside
            boolean zeroAllowed = low <= 0 && 0 <= high;
            if ((ignoreIndex == NO_IGNORE || zeroAllowed)
                    && inBounds(withoutIgnored(values, ignoreIndex), low, high)) {
                return;
            }
            NDArray ok = values.gte(low).logicalAnd(values.lte(high));
            String rule = "in [" + format(low) + ", " + format(high) + "]";
            if (ignoreIndex != NO_IGNORE) {
                ok = ok.logicalOr(values.eq(ignoreIndex));
                rule += " or the ignore index " + ignoreIndex;
            }
            failOnBad(values, ok, name, rule, array);
        }
    }

    /**
     * Requires every value to be finite and non-negative (NaN and infinity fail).
     *
     * @param array the values to check
     * @param name the argument's name for the message
     * @throws IllegalArgumentException naming the first bad value, its position and the count
     */
    public static void requireFiniteNonNegative(NDArray array, String name) {
        if (array.size() == 0) {
            return;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            if (inBounds(array, 0, Double.MAX_VALUE)) {
                return;
            }
            NDArray values = array.flatten();
            NDArray ok = values.gte(0).logicalAnd(isFinite(values));
            failOnBad(values, ok, name, "finite and >= 0", array);
        }
    }

    /**
     * The fast test of every check: whether all values lie in {@code [low, high]}, read as two
     * scalar device-to-host copies, their minimum and maximum. NaN fails (it propagates through
     * both reductions), and so does infinity unless a bound is infinite. Empty arrays pass.
     *
     * @param values the values, of any numeric type
     * @param low the smallest value accepted
     * @param high the largest value accepted
     * @return true if every value is within the bounds
     */
    public static boolean inBounds(NDArray values, double low, double high) {
        if (values.size() == 0) {
            return true;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return scalar(values.min()) >= low && scalar(values.max()) <= high;
        }
    }

    /**
     * Tells whether float values are whole numbers (one boolean copy); integer types always are.
     *
     * @param values the values
     * @return true if every value is a whole number
     */
    public static boolean isWhole(NDArray values) {
        if (!values.getDataType().isFloating() || values.size() == 0) {
            return true;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return values.eq(values.floor()).all().getBoolean();
        }
    }

    /** A 0-d array's value as a double (NaN stays NaN), from any numeric type. */
    private static double scalar(NDArray value) {
        switch (value.getDataType()) {
            case FLOAT32:
                return value.getFloat();
            case FLOAT64:
                return value.getDouble();
            default:
                return value.getDataType().isFloating()
                        ? value.toType(DataType.FLOAT64, false).getDouble()
                        : value.toType(DataType.INT64, false).getLong();
        }
    }

    /** The values with the ignore index replaced by 0 (the values themselves without one). */
    private static NDArray withoutIgnored(NDArray values, int ignoreIndex) {
        if (ignoreIndex == NO_IGNORE) {
            return values;
        }
        return values.mul(values.neq(ignoreIndex).toType(values.getDataType(), false));
    }

    /**
     * Returns where the values are finite: \( x - x = 0 \) holds exactly for finite \(x\) and is
     * NaN for NaN and ±∞.
     *
     * <p>This sends no infinite scalar to the engine: MXNet parses {@code +Infinity} as out of
     * range whenever the calling thread's {@code errno} happens to be {@code ERANGE} (left there by
     * any earlier overflowing {@code exp} of a C library on that thread), so {@code x.lt(+inf)}
     * fails at random there.
     *
     * @param values the values, floating point
     * @return a boolean array of the values' shape, true where the value is finite
     */
    public static NDArray isFinite(NDArray values) {
        return values.sub(values).eq(0);
    }

    /**
     * The values flattened, integers as int64: both engines convert a comparison's scalar to the
     * array's type, so on int8 or uint8 a bound such as 255, -1 or 2^31 - 1 wraps (an int8 label -1
     * would equal the ignore index 255, a uint8 label 255 the ignore index -1).
     */
    private static NDArray widened(NDArray array) {
        NDArray values = array.flatten();
        return values.getDataType().isInteger() ? values.toType(DataType.INT64, false) : values;
    }

    private static void failOnBad(
            NDArray values, NDArray ok, String name, String rule, NDArray original) {
        NDArray badMask = ok.logicalNot();
        if (!badMask.any().getBoolean()) {
            return;
        }
        long count = badMask.toType(DataType.INT64, false).sum().getLong();
        long first = badMask.toType(DataType.INT32, false).argMax().getLong();
        NDArray bad = values.get(first);
        // integers (widened to int64) exactly, floats as the float or double they are
        String value;
        if (bad.getDataType() == DataType.INT64) {
            value = Long.toString(bad.getLong());
        } else {
            double number = bad.toType(DataType.FLOAT64, false).getDouble();
            if (isExactWhole(number) || bad.getDataType() == DataType.FLOAT64) {
                value = format(number);
            } else {
                value = Float.toString((float) number); // 1e20f as 1.0E20, not 1.00000002E20
            }
        }
        throw new BadValueException(
                name,
                bad.toType(DataType.FLOAT64, false).getDouble(),
                name
                        + " must be "
                        + rule
                        + ", got "
                        + value
                        + " at "
                        + Shapes.position(first, original.getShape())
                        + " ("
                        + count
                        + " bad value"
                        + (count == 1 ? "" : "s")
                        + " in "
                        + original.getShape()
                        + ")");
    }

    /**
     * A value as the message shows it: whole numbers that a long holds exactly without a decimal
     * point (255, -2147483648), any other value as a double (0.5, 1.0E20, NaN, Infinity), never
     * clamped to the range of a long.
     */
    static String format(double value) {
        return isExactWhole(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static boolean isExactWhole(double value) {
        return value == Math.rint(value) && Math.abs(value) <= EXACT_LONG;
    }

    /** 2^53: every whole double up to this magnitude converts to a long exactly. */
    private static final double EXACT_LONG = 0x1p53;
}
