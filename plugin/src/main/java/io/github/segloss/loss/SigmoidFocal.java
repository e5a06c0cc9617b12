package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import io.github.segloss.internal.EmptyBatch;
import io.github.segloss.internal.SafeMath;
import io.github.segloss.internal.Scalars;
import io.github.segloss.internal.SegmentationTargets;
import io.github.segloss.internal.Settings;

/**
 * segmentation_models.pytorch's sigmoid focal loss, one-vs-rest per class: the computation behind
 * {@link FocalLoss} without {@code optSoftmax}.
 *
 * <p>Per element with logit \(x\) and 0/1 target \(t\): \( \ell = \mathrm{BCE}(x, t) \), focal term
 * \(f\) ({@link FocalTerm}), and per class \(c\) over its labelled elements \(V_c\): \( L_c =
 * \frac{1}{|V_c|} \sum_{i \in V_c} a_i f_i \ell_i / Z_c \) with \( a_i = \alpha t_i + (1 -
 * \alpha)(1 - t_i) \) when alpha is set (else 1) and \(Z_c\) the normalisation. The loss is the
 * mean of \(L_c\) over the classes, or their class-weighted mean.
 */
final class SigmoidFocal {

    private final SegmentationMode mode;
    private final boolean fromLogits;
    private final float eps;
    private final Float alpha;
    private final float[] classWeights;
    private final FocalTerm focalTerm;

    SigmoidFocal(
            SegmentationMode mode,
            boolean fromLogits,
            float eps,
            Float alpha,
            float[] classWeights,
            FocalTerm focalTerm) {
        this.mode = mode;
        this.fromLogits = fromLogits;
        this.eps = eps;
        this.alpha = alpha;
        this.classWeights = classWeights;
        this.focalTerm = focalTerm;
    }

    NDArray compute(NDArray labels, NDArray logits, int ignoreIndex) {
        SegmentationTargets targets = SegmentationTargets.of(mode, labels, logits, ignoreIndex);
        if (EmptyBatch.isEmpty(logits)) { // no element: 0 on every engine (see EmptyBatch)
            return EmptyBatch.loss(logits, "classWeights", classWeights);
        }
        NDArray x = targets.flatten(asLogits(logits));
        NDArray t = targets.target();
        NDArray valid = targets.valid().broadcast(t.getShape());
        NDArray logPt = SafeMath.binaryCrossEntropyWithLogits(x, t);
        NDArray focal = focalTerm.of(logPt);
        NDArray loss = focal.mul(logPt);
        if (alpha != null) {
            loss = loss.mul(Scalars.add(Scalars.mul(t, 2 * alpha - 1), 1 - alpha));
        }
        int[] pooled = {0, 2};
        NDArray perClass =
                focalTerm.normalize(loss.mul(valid).sum(pooled), focal.mul(valid).sum(pooled));
        perClass = SafeMath.safeDivide(perClass, valid.sum(pooled));
        if (classWeights == null) {
            return perClass.mean();
        }
        NDArray weights = Settings.onClassAxis("classWeights", classWeights, logits, false);
        // all-zero class weights weigh nothing: 0, not 0/0
        return SafeMath.safeDivide(perClass.mul(weights).sum(), weights.sum());
    }

    /** Probabilities given instead of logits are clamped to [eps, 1 - eps] and turned back. */
    private NDArray asLogits(NDArray predictions) {
        if (fromLogits) {
            return predictions;
        }
        NDArray p = predictions.clip(eps, 1 - eps);
        return mode == SegmentationMode.MULTICLASS ? p.log() : p.div(Scalars.sub(1, p)).log();
    }
}
