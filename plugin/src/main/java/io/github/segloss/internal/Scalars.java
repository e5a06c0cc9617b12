package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;

/**
 * Element-wise arithmetic of an array with a constant, the constant made by {@link
 * HostArrays#scalar} in the array's type and engine-owned memory: the safe form of DJL's {@code
 * NDArray.mul(Number)} (see {@link HostArrays} for why DJL's {@code Number} overloads corrupt
 * gradients on PyTorch).
 */
public final class Scalars {

    private Scalars() {}

    /**
     * \( x + v \).
     *
     * @param x the array
     * @param value the constant
     * @return the sum
     */
    public static NDArray add(NDArray x, double value) {
        return x.add(HostArrays.scalar(x, value));
    }

    /**
     * \( x - v \).
     *
     * @param x the array
     * @param value the constant
     * @return the difference
     */
    public static NDArray sub(NDArray x, double value) {
        return x.sub(HostArrays.scalar(x, value));
    }

    /**
     * \( v - x \).
     *
     * @param value the constant
     * @param x the array
     * @return the difference
     */
    public static NDArray sub(double value, NDArray x) {
        return HostArrays.scalar(x, value).sub(x);
    }

    /**
     * \( x \cdot v \).
     *
     * @param x the array
     * @param value the constant
     * @return the product
     */
    public static NDArray mul(NDArray x, double value) {
        return x.mul(HostArrays.scalar(x, value));
    }

    /**
     * \( x / v \).
     *
     * @param x the array
     * @param value the constant, not 0
     * @return the quotient
     */
    public static NDArray div(NDArray x, double value) {
        return x.div(HostArrays.scalar(x, value));
    }

    /**
     * \( \max(x, v) \) element-wise.
     *
     * @param x the array
     * @param value the constant
     * @return the maximum
     */
    public static NDArray maximum(NDArray x, double value) {
        return x.maximum(HostArrays.scalar(x, value));
    }

    /**
     * \( x^v \) element-wise.
     *
     * @param x the array
     * @param value the exponent
     * @return the power
     */
    public static NDArray pow(NDArray x, double value) {
        return x.pow(HostArrays.scalar(x, value));
    }
}
