package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.nn.Activation;

/** Numerically safe building blocks shared by the losses. */
public final class SafeMath {

    private SafeMath() {}

    /**
     * Divides two scalars, giving exactly 0 (with a zero gradient) where the denominator is 0.
     *
     * <p>\( \mathrm{safeDivide}(a, b) = a \cdot [b \ne 0] \,/\, \max(b, b_{min}) \) with \( b_{min}
     * \) the smallest normal float: no NaN and no infinity reaches the value or the gradient when
     * nothing was counted (the denominators here are sums of non-negative weights or counts).
     *
     * @param numerator the numerator
     * @param denominator the denominator, of the numerator's type
     * @return the quotient, or +0 where the denominator is 0
     */
    public static NDArray safeDivide(NDArray numerator, NDArray denominator) {
        NDArray nonZero = denominator.neq(0).toType(numerator.getDataType(), false);
        return positiveZero(
                numerator.mul(nonZero).div(Scalars.maximum(denominator, Float.MIN_NORMAL)));
    }

    /**
     * Turns -0 into +0 and leaves every other value as it is (\( x + (+0) \) under IEEE 754): a
     * loss over nothing, a negated sum of zeros, is 0, not the -0.0 that a log would print.
     */
    private static NDArray positiveZero(NDArray value) {
        return Scalars.add(value, 0.0);
    }

    /**
     * Divides a sum by its count or weight, \( a / \max(b, b_{min}) \) with \( b_{min} \) the
     * smallest normal float, for a numerator that is exactly 0 wherever the denominator is (a sum
     * of terms masked by the same weights that make up the denominator): then it is 0 with a zero
     * gradient when nothing was counted, as {@link #safeDivide}, in three operator calls instead of
     * six.
     *
     * @param maskedSum the numerator, 0 where the denominator is 0
     * @param count the denominator, a sum of non-negative weights or counts
     * @return the quotient, or +0 where the denominator is 0
     */
    public static NDArray divideByCount(NDArray maskedSum, NDArray count) {
        return positiveZero(maskedSum.div(Scalars.maximum(count, Float.MIN_NORMAL)));
    }

    /**
     * Divides a sum by a count known on the host, {@code sum / count}, +0 where the sum is -0 (a
     * negated sum of zeros).
     *
     * @param sum the numerator
     * @param count the number of terms, > 0
     * @return the quotient
     */
    public static NDArray divideByCount(NDArray sum, long count) {
        return positiveZero(Scalars.div(sum, count));
    }

    /**
     * The mean of all elements as their sum times \( 1/n \). The value is {@code mean()}'s; the
     * backward pass of a sum only broadcasts the scalar gradient, where PyTorch's {@code mean}
     * writes \( g/n \) into a full-size array first: one pass fewer over a loss-sized array.
     *
     * @param values the values, at least one
     * @return their mean, 0-d
     */
    public static NDArray mean(NDArray values) {
        return Scalars.mul(values.sum(), 1.0 / values.size());
    }

    /**
     * The log-softmax over the class axis 1, exactly 0 for a single class.
     *
     * <p>With one class \( \log p = x - \log e^x = 0 \) for every finite logit, but MXNet's {@code
     * log_softmax} gives about \( -1.4 \cdot 10^{-6} \) (a cross-entropy below 0); \( x - x \) is
     * exactly 0 on every engine, with the exact gradient 0 (and NaN for a NaN or infinite logit, as
     * PyTorch's {@code log_softmax}).
     *
     * @param logits the logits {@code (N, C, d1..dk)}
     * @return the log-probabilities, shaped like the logits
     */
    public static NDArray logSoftmax(NDArray logits) {
        if (logits.getShape().get(1) == 1) {
            return logits.sub(logits);
        }
        return logits.logSoftmax(1);
    }

    /**
     * Raises a non-negative array to a power with a finite gradient at 0: \( x^\gamma \), where \(
     * 0^\gamma \) is 0 with a zero gradient for \( 0 \lt \gamma \lt 1 \) (whose true derivative is
     * infinite there) and \( x^0 = 1 \). A slightly negative base, which rounding makes of a 0
     * (MXNet's {@code log_softmax} gives \( \log p \) a little above 0 for huge logits, so \( 1 - p
     * \lt 0 \)), counts as 0 instead of giving NaN.
     *
     * @param base the non-negative base
     * @param exponent the exponent \(\gamma \ge 0\)
     * @return the power
     */
    public static NDArray safePow(NDArray base, float exponent) {
        if (exponent == 1f) {
            return base;
        }
        if (exponent == 0f) {
            return base.onesLike();
        }
        if (exponent > 1f) {
            return Scalars.pow(Scalars.maximum(base, 0), exponent);
        }
        NDArray positive = base.gt(0);
        NDArray safeBase = NDArrays.where(positive, base, base.onesLike());
        return Scalars.pow(safeBase, exponent).mul(positive.toType(base.getDataType(), false));
    }

    /**
     * Element-wise binary cross-entropy with logits, \( \mathrm{softplus}(x) - x \cdot t \).
     *
     * <p>This equals \( -[t \log\sigma(x) + (1 - t)\log(1 - \sigma(x))] \) and is stable for any
     * finite \(x\) (see {@link #softplus}). Its gradient is exactly \( \sigma(x) - t \) everywhere,
     * including \(x = 0\), where the form \( \max(x, 0) - xt + \log(1 + e^{-|x|}) \) gets an
     * engine-dependent subgradient of {@code max} and {@code abs}.
     *
     * @param logits the logits \(x\)
     * @param targets the targets \(t\) in [0, 1], broadcastable to the logits
     * @return the element-wise loss, shaped like the logits
     */
    public static NDArray binaryCrossEntropyWithLogits(NDArray logits, NDArray targets) {
        return softplus(logits).sub(logits.mul(targets));
    }

    /**
     * Softplus, \( \log(1 + e^x) \), never negative, without overflow for any finite \(x\), with
     * the exact gradient \( \sigma(x) \) everywhere, 0 included.
     *
     * <p>On PyTorch this is the engine's fused {@code softplus} (one pass forward, one backward).
     * Elsewhere it is \( \mathrm{relu}(x) + \log(1 + e^{x - 2\,\mathrm{relu}(x)}) \), where \( x -
     * 2\,\mathrm{relu}(x) = -|x| \) has the derivative 1 at 0 (both engines' {@code relu} has
     * derivative 0 there), so the gradient at 0 is \( \sigma(0) = 0.5 \) and not the tie of {@code
     * abs} or {@code max}. DJL's {@code Activation.softPlus} is not used on MXNet: there it is off
     * by up to 4e-6 for negative \(x\) and even negative (\( \mathrm{softplus}(-20) = -1.9 \cdot
     * 10^{-6} \)), which made binary cross-entropies negative and shifted normalized focal losses
     * by about 1%.
     *
     * @param x the input
     * @return the softplus, shaped like the input
     */
    public static NDArray softplus(NDArray x) {
        if (PYTORCH.equals(x.getManager().getEngine().getEngineName())) {
            return Activation.softPlus(x);
        }
        NDArray linear = Activation.relu(x);
        NDArray negativeAbs = x.sub(Scalars.mul(linear, 2));
        return linear.add(Scalars.add(negativeAbs.exp(), 1).log());
    }

    private static final String PYTORCH = "PyTorch";
}
