package io.github.segloss.enginetest.fuzz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An array on the host: the exact values the engine receives (as doubles) and the shape. The
 * references read these values, so the input's own rounding to float32 is no source of error.
 *
 * @param values the values in row-major order
 * @param shape the shape
 */
public record HostArray(double[] values, Shape shape) {

    /**
     * Returns the number of values.
     *
     * @return the size
     */
    public int size() {
        return values.length;
    }

    /**
     * Returns the largest absolute value, 0 for an empty array (NaN and infinity count as
     * infinite).
     *
     * @return the largest magnitude
     */
    public double maxAbs() {
        double max = 0;
        for (double v : values) {
            max = Double.isNaN(v) ? Double.POSITIVE_INFINITY : Math.max(max, Math.abs(v));
        }
        return max;
    }

    /**
     * Rounds the values to what the type holds (float32 rounding, integer truncation), so that the
     * references read exactly what the engine gets.
     *
     * @param type the type the array will be created in
     * @return the rounded array
     */
    public HostArray roundedTo(DataType type) {
        double[] rounded = values.clone();
        for (int i = 0; i < rounded.length; i++) {
            rounded[i] =
                    switch (type) {
                        case FLOAT32 -> (float) rounded[i];
                        case FLOAT64 -> rounded[i];
                        case BOOLEAN -> rounded[i] != 0 ? 1 : 0;
                        default -> (long) rounded[i];
                    };
        }
        return new HostArray(rounded, shape);
    }

    /**
     * Creates the array on an engine in the given type.
     *
     * @param manager the manager
     * @param type float32/64, int8, uint8, int32, int64 or boolean
     * @return the array
     */
    public NDArray create(NDManager manager, DataType type) {
        int n = values.length;
        switch (type) {
            case FLOAT32:
                {
                    float[] data = new float[n];
                    for (int i = 0; i < n; i++) {
                        data[i] = (float) values[i];
                    }
                    return manager.create(data, shape);
                }
            case FLOAT64:
                return manager.create(values.clone(), shape);
            case INT32:
                return manager.create(
                        Arrays.stream(values).mapToInt(v -> (int) v).toArray(), shape);
            case INT64:
                return manager.create(
                        Arrays.stream(values).mapToLong(v -> (long) v).toArray(), shape);
            case INT8:
            case UINT8:
                {
                    ByteBuffer data = ByteBuffer.allocateDirect(n);
                    for (double v : values) {
                        data.put((byte) (long) v);
                    }
                    data.rewind();
                    return manager.create(data, shape, type);
                }
            case BOOLEAN:
                {
                    boolean[] data = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        data[i] = values[i] != 0;
                    }
                    return manager.create(data, shape);
                }
            default:
                throw new IllegalArgumentException("no fuzz input of type " + type);
        }
    }

    /**
     * Tells whether every value fits the type exactly: whole numbers in its range for the integer
     * types, float32-exact numbers for float32 (NaN and infinity only in float types).
     *
     * @param type the type
     * @return true if the type holds every value unchanged
     */
    public boolean fits(DataType type) {
        for (double v : values) {
            boolean ok =
                    switch (type) {
                        case FLOAT64 -> true;
                        case FLOAT32 -> Double.isNaN(v) || (double) (float) v == v;
                        case INT8 -> v == Math.rint(v) && v >= -128 && v <= 127;
                        case UINT8 -> v == Math.rint(v) && v >= 0 && v <= 255;
                        case INT32 ->
                                v == Math.rint(v)
                                        && v >= Integer.MIN_VALUE
                                        && v <= Integer.MAX_VALUE;
                        case INT64 -> v == Math.rint(v) && Math.abs(v) < 0x1p62;
                        case BOOLEAN -> v == 0 || v == 1;
                        default -> false;
                    };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
