package io.github.segloss.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays made from host values (a scalar, interpolation weights, class weights) in memory that the
 * engine owns, so that they are safe operands of a differentiable computation whatever happens to
 * the Java objects before the backward pass.
 *
 * <p>DJL's PyTorch engine wraps the Java buffer of {@code NDManager.create(...)} on the CPU without
 * a copy. Autograd keeps the operands it needs for the backward pass (the factor of a product, the
 * divisor of a quotient, the bounds of a maximum), but the Java buffer lives only as long as the
 * {@code NDArray} that references it: once that array is closed (as DJL's own {@code
 * NDArray.mul(Number)} closes its scalar at once, or an {@code NDScope} closes it), the garbage
 * collector frees the memory and the backward pass reads whatever was allocated there next. Every
 * array made here is copied by the engine into its own memory and its host copy closed, so it can
 * be closed, scoped or collected like any computed array. The library makes constants only here:
 * {@code ScalarOperandRuleTest} reads the compiled classes and fails on any other {@code
 * NDManager.create} from host values, and on any arithmetic with a {@code Number} operand.
 */
public final class HostArrays {

    private HostArrays() {}

    /**
     * A 0-d constant in another array's type and on its device, from its manager.
     *
     * @param like the array whose type, device and manager the constant takes
     * @param value the value (exact in float64, rounded to the type otherwise)
     * @return the constant, in engine-owned memory
     */
    public static NDArray scalar(NDArray like, double value) {
        return of(like, new double[] {value}, new Shape());
    }

    /**
     * A constant array in another array's type and on its device, from its manager.
     *
     * @param like the array whose type, device and manager the constant takes
     * @param values the values, row-major
     * @param shape the shape, of {@code values.length} elements
     * @return the constant, in engine-owned memory
     */
    public static NDArray of(NDArray like, double[] values, Shape shape) {
        return owned(like.getManager().create(values, shape), like);
    }

    /**
     * A constant array of a given type on another array's device, from its manager.
     *
     * @param like the array whose device and manager the constant takes
     * @param values the values, row-major
     * @param shape the shape, of {@code values.length} elements
     * @param type the constant's type
     * @return the constant, in engine-owned memory
     */
    public static NDArray of(NDArray like, double[] values, Shape shape, DataType type) {
        return owned(like.getManager().create(values, shape), like.getDevice(), type);
    }

    /**
     * A constant array in another array's type and on its device, from its manager.
     *
     * @param like the array whose type, device and manager the constant takes
     * @param values the values, row-major
     * @param shape the shape, of {@code values.length} elements
     * @return the constant, in engine-owned memory
     */
    public static NDArray of(NDArray like, float[] values, Shape shape) {
        return owned(like.getManager().create(values, shape), like);
    }

    /**
     * A float32 scalar on a manager's device, for results that are not differentiated (a metric's
     * value), made here like every constant of the library.
     *
     * @param manager the manager
     * @param value the value
     * @return the scalar, in engine-owned memory
     */
    public static NDArray scalar(NDManager manager, float value) {
        NDArray host = manager.create(value);
        try {
            return host.duplicate();
        } finally {
            host.close();
        }
    }

    /**
     * An int64 constant (indices) on another array's device, from its manager.
     *
     * @param like the array whose device and manager the constant takes
     * @param values the values, row-major
     * @param shape the shape
     * @return the constant, in engine-owned memory
     */
    public static NDArray ofLongs(NDArray like, long[] values, Shape shape) {
        return owned(like.getManager().create(values, shape), like.getDevice(), DataType.INT64);
    }

    /**
     * A float32 constant (e.g. normalised coordinates) on another array's device, from its manager,
     * whatever the other array's type.
     *
     * @param like the array whose device and manager the constant takes
     * @param values the values, row-major
     * @param shape the shape
     * @return the constant, in engine-owned memory
     */
    public static NDArray ofFloat32(NDArray like, float[] values, Shape shape) {
        return owned(like.getManager().create(values, shape), like.getDevice(), DataType.FLOAT32);
    }

    /** Converts a freshly created host array to the type and device of {@code like}. */
    private static NDArray owned(NDArray host, NDArray like) {
        return owned(host, like.getDevice(), like.getDataType());
    }

    /** Converts a freshly created host array to a type and device. */
    private static NDArray owned(NDArray host, Device device, DataType type) {
        try {
            NDArray onDevice = host.toDevice(device, false);
            if (onDevice != host) {
                // the engine copied it to another device; convert it in place of the host array
                NDArray typed = onDevice.toType(type, false);
                if (typed != onDevice) {
                    onDevice.close();
                }
                return typed;
            }
            NDArray typed = host.toType(type, false);
            return typed != host ? typed : host.duplicate();
        } finally {
            host.close();
        }
    }
}
