package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Shape and type checks that fail with an {@link IllegalArgumentException} naming the argument. */
public final class Shapes {

    private Shapes() {}

    /**
     * Requires a floating-point array of at least {@code minRank} dimensions.
     *
     * @param array the array to check
     * @param name the argument's name for the message
     * @param minRank the smallest rank accepted
     * @param expected a human-readable description of the expected shape, e.g. "(N, C, d1..dk)"
     */
    public static void requireFloat(NDArray array, String name, int minRank, String expected) {
        if (array.getShape().dimension() < minRank) {
            throw new IllegalArgumentException(
                    name + " must have shape " + expected + ", got " + array.getShape());
        }
        if (!array.getDataType().isFloating()) {
            throw new IllegalArgumentException(
                    name + " must be a floating-point array, got " + array.getDataType());
        }
    }

    /**
     * Requires an array with exactly the given shape.
     *
     * @param array the array to check
     * @param name the argument's name for the message
     * @param expected the required shape
     * @param meaning what the expected shape is, e.g. "(R, M, M) like the mask logits"
     */
    public static void requireShape(NDArray array, String name, Shape expected, String meaning) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException(
                    name
                            + " must have shape "
                            + meaning
                            + " = "
                            + expected
                            + ", got "
                            + array.getShape());
        }
    }

    /**
     * Requires an integer array, or a floating-point one (which is then checked for whole numbers
     * by the caller).
     *
     * @param array the array to check
     * @param name the argument's name for the message
     */
    public static void requireNumeric(NDArray array, String name) {
        DataType type = array.getDataType();
        if (!type.isFloating() && !type.isInteger()) {
            throw new IllegalArgumentException(
                    name + " must hold integer or whole-number float values, got " + type);
        }
    }

    /**
     * Requires an array whose shape broadcasts to {@code target} axis by axis: the same rank, each
     * axis equal or 1.
     *
     * @param array the array to check
     * @param name the argument's name for the message
     * @param target the shape to broadcast to
     * @param owner whose shape the target is, e.g. "the logits'"
     */
    public static void requireBroadcastable(
            NDArray array, String name, Shape target, String owner) {
        Shape given = array.getShape();
        boolean ok = given.dimension() == target.dimension();
        for (int i = 0; ok && i < given.dimension(); i++) {
            ok = given.get(i) == target.get(i) || given.get(i) == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    name
                            + " must have "
                            + owner
                            + " shape "
                            + target
                            + " or one with 1 in some axes of the same rank, got "
                            + given);
        }
    }

    /**
     * Returns the index of each axis of a row-major flat position, as the messages show positions.
     *
     * @param flat the flat position, in {@code [0, shape.size())}
     * @param shape the array's shape
     * @return e.g. {@code [1, 4, 0, 7]}; {@code []} for a scalar
     */
    public static String position(long flat, Shape shape) {
        int rank = shape.dimension();
        long[] index = new long[rank];
        long rest = flat;
        for (int axis = rank - 1; axis >= 0; axis--) {
            index[axis] = rest % shape.get(axis);
            rest /= shape.get(axis);
        }
        StringBuilder text = new StringBuilder("[");
        for (int axis = 0; axis < rank; axis++) {
            text.append(axis == 0 ? "" : ", ").append(index[axis]);
        }
        return text.append(']').toString();
    }
}
