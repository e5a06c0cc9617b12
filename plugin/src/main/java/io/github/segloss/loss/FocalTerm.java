package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import io.github.segloss.internal.SafeMath;
import io.github.segloss.internal.Scalars;

/**
 * The focusing part shared by {@link SigmoidFocal} and {@link SoftmaxFocal}: from \( \ell = -\log
 * p_t \), the focal term \( f = (1 - p_t)^\gamma \), or the reduced focal term \( f = ((1 -
 * p_t)/\tau)^\gamma \) where \( p_t \ge \tau \) and 1 elsewhere, and the optional normalisation by
 * \( \max(\sum f, 10^{-6}) \).
 */
final class FocalTerm {

    private static final float NORMALIZATION_EPS = 1e-6f;

    private final float gamma;
    private final Float reducedThreshold;
    private final boolean normalized;

    FocalTerm(float gamma, Float reducedThreshold, boolean normalized) {
        this.gamma = gamma;
        this.reducedThreshold = reducedThreshold;
        this.normalized = normalized;
    }

    /** The focal term \( f \) from \( -\log p_t \). */
    NDArray of(NDArray logPt) {
        NDArray pt = logPt.neg().exp();
        NDArray oneMinusPt = Scalars.sub(1, pt);
        if (reducedThreshold == null) {
            return SafeMath.safePow(oneMinusPt, gamma);
        }
        NDArray reduced = SafeMath.safePow(Scalars.div(oneMinusPt, reducedThreshold), gamma);
        return NDArrays.where(pt.lt(reducedThreshold), reduced.onesLike(), reduced);
    }

    /** {@code sum} divided by \( \max(\text{focalSum}, 10^{-6}) \) when normalized, else as is. */
    NDArray normalize(NDArray sum, NDArray focalSum) {
        return normalized ? sum.div(Scalars.maximum(focalSum, NORMALIZATION_EPS)) : sum;
    }
}
