package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;

/**
 * The soft Tversky score shared by the Dice, Jaccard and Tversky losses, as
 * segmentation_models.pytorch's {@code soft_tversky_score}: Dice is \( \alpha = \beta = 0.5 \),
 * Jaccard \( \alpha = \beta = 1 \).
 *
 * <p>With predictions \(p\) and targets \(t\) summed over the pooled axes, \( S_p = \sum p \), \(
 * S_t = \sum t \) and the intersection \( I = (S_p + S_t - \sum |p - t|) / 2 \) (which is \( \sum p
 * t \) for 0/1 targets):
 *
 * <p>\( \mathrm{score} = \dfrac{I + s}{\max(I + \alpha (S_p - I) + \beta (S_t - I) + s,
 * \varepsilon)} \)
 *
 * <p>This L1 form of the intersection is MONAI's {@code compute_tp_fp_fn} with {@code
 * soft_label=True} (JDTLosses): right for soft targets in [0, 1] too, where \( \sum p t \) is not.
 *
 * <p>With a squared denominator (MONAI's {@code squared_pred}), \( S_p = \sum p^2 \), \( S_t = \sum
 * t^2 \) and \( I = \sum p t \); the Dice score is then \( (2I + 2s) / (S_p + S_t + 2s) \).
 */
public final class TverskyScore {

    private TverskyScore() {}

    /**
     * Computes the score.
     *
     * @param prediction the probabilities {@code (N, C, P)}, already zero on ignored pixels
     * @param target the 0/1 targets {@code (N, C, P)}, zero on ignored pixels
     * @param axes the axes pooled: {@code {0, 2}} for one score per class, {@code {2}} per image
     *     and class
     * @param alpha the weight of false positives
     * @param beta the weight of false negatives
     * @param smooth the smoothing \(s\) added to numerator and denominator
     * @param eps the lower bound \(\varepsilon\) of the denominator
     * @param squared whether to sum squares in the denominator
     * @return the scores, {@code (C)} or {@code (N, C)}
     */
    public static NDArray score(
            NDArray prediction,
            NDArray target,
            int[] axes,
            float alpha,
            float beta,
            float smooth,
            float eps,
            boolean squared) {
        return score(prediction, target, axes, alpha, beta, smooth, smooth, eps, squared);
    }

    /**
     * Computes the score with separate smoothing terms, \( (I + s_n) / \max(I + \alpha FP + \beta
     * FN + s_d, \varepsilon) \).
     *
     * @param prediction the probabilities {@code (N, C, P)}, already zero on ignored pixels
     * @param target the targets {@code (N, C, P)} in [0, 1], zero on ignored pixels
     * @param axes the axes pooled: {@code {0, 2}} for one score per class, {@code {2}} per image
     *     and class
     * @param alpha the weight of false positives
     * @param beta the weight of false negatives
     * @param smoothNumerator the smoothing \(s_n\) added to the numerator
     * @param smoothDenominator the smoothing \(s_d\) added to the denominator
     * @param eps the lower bound \(\varepsilon\) of the denominator
     * @param squared whether to sum squares in the denominator
     * @return the scores, {@code (C)} or {@code (N, C)}
     */
    public static NDArray score(
            NDArray prediction,
            NDArray target,
            int[] axes,
            float alpha,
            float beta,
            double smoothNumerator,
            double smoothDenominator,
            float eps,
            boolean squared) {
        NDArray predictionSum;
        NDArray targetSum;
        NDArray intersection;
        if (squared) {
            predictionSum = prediction.square().sum(axes);
            targetSum = target.square().sum(axes);
            intersection = prediction.mul(target).sum(axes);
        } else {
            predictionSum = prediction.sum(axes);
            targetSum = target.sum(axes);
            NDArray difference = prediction.sub(target).abs().sum(axes);
            intersection = Scalars.div(predictionSum.add(targetSum).sub(difference), 2);
        }
        NDArray falsePositive = predictionSum.sub(intersection);
        NDArray falseNegative = targetSum.sub(intersection);
        NDArray weightedErrors =
                intersection
                        .add(Scalars.mul(falsePositive, alpha))
                        .add(Scalars.mul(falseNegative, beta));
        NDArray denominator = Scalars.maximum(Scalars.add(weightedErrors, smoothDenominator), eps);
        return Scalars.add(intersection, smoothNumerator).div(denominator);
    }
}
