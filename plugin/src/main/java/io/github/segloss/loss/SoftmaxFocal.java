package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import io.github.segloss.internal.ClassIndexLabels;
import io.github.segloss.internal.EmptyBatch;
import io.github.segloss.internal.SafeMath;
import io.github.segloss.internal.Settings;
import java.util.Arrays;

/**
 * MONAI's softmax focal loss (MULTICLASS): the computation behind {@link FocalLoss} with {@code
 * optSoftmax(true)}.
 *
 * <p>Per labelled pixel \(i\) of class \(y_i\): \( \ell_i = -\log p_{i y_i} \) from the softmax,
 * focal term \(f_i\) ({@link FocalTerm}), and \( L = \frac{1}{|V|} \sum_{i \in V} a_{y_i} f_i
 * \ell_i / Z \) over the labelled pixels \(V\), with MONAI's \( a_0 = 1 - \alpha \) for the
 * background class 0 and \( a_c = \alpha \) for every other class when alpha is set (else 1), and
 * \(Z\) the normalisation. This is MONAI's {@code FocalLoss(use_softmax=True, to_onehot_y=True)}
 * summed over the class axis and averaged over the labelled pixels (MONAI's {@code "mean"} also
 * divides by the number of classes).
 */
final class SoftmaxFocal {

    private final boolean fromLogits;
    private final float eps;
    private final Float alpha;
    private final FocalTerm focalTerm;

    SoftmaxFocal(boolean fromLogits, float eps, Float alpha, FocalTerm focalTerm) {
        this.fromLogits = fromLogits;
        this.eps = eps;
        this.alpha = alpha;
        this.focalTerm = focalTerm;
    }

    NDArray compute(NDArray labels, NDArray logits, int ignoreIndex) {
        ClassIndexLabels target = ClassIndexLabels.of(labels, logits, ignoreIndex);
        if (EmptyBatch.isEmpty(logits)) { // no element: 0 on every engine (see EmptyBatch)
            return EmptyBatch.loss(logits);
        }
        NDArray logProb =
                fromLogits ? SafeMath.logSoftmax(logits) : logits.clip(eps, 1 - eps).log();
        NDArray logPt = target.pick(logProb).neg();
        NDArray focal = focalTerm.of(logPt);
        NDArray valid = target.valid();
        NDArray loss = focal.mul(logPt);
        if (alpha != null) {
            loss = loss.mul(target.weightOf(alphaPerClass(logits)));
        }
        NDArray sum = focalTerm.normalize(loss.mul(valid).sum(), focal.mul(valid).sum());
        return SafeMath.safeDivide(sum, valid.sum());
    }

    /** MONAI's alpha factors: \( 1 - \alpha \) for class 0, \( \alpha \) for the others. */
    private NDArray alphaPerClass(NDArray logits) {
        float[] factors = new float[(int) logits.getShape().get(1)];
        Arrays.fill(factors, alpha);
        factors[0] = 1 - alpha;
        return Settings.onClassAxis("alpha", factors, logits, false);
    }
}
