package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.Settings;
import io.github.segloss.internal.Shapes;
import io.github.segloss.internal.ValueChecks;

/**
 * Focal loss: segmentation_models.pytorch's sigmoid focal loss (one-vs-rest per class in MULTICLASS
 * mode), or MONAI's softmax focal loss with {@code optSoftmax(true)}.
 *
 * <p>Both scale each element's cross-entropy \( \ell = -\log p_t \) by the focal term \( f = (1 -
 * p_t)^\gamma \) (reduced focal loss: \( f = ((1 - p_t)/\tau)^\gamma \) where \( p_t \ge \tau \),
 * else 1), optionally divided by \( \max(\sum f, 10^{-6}) \) ({@code optNormalized}).
 *
 * <ul>
 *   <li><b>Sigmoid</b> (default, every mode): with logit \(x\) and 0/1 target \(t\), \( \ell =
 *       \mathrm{BCE}(x, t) \); per class \(c\) over its labelled elements \(V_c\), \( L_c =
 *       \frac{1}{|V_c|} \sum_{i \in V_c} a_i f_i \ell_i \) with \( a_i = \alpha t_i + (1 -
 *       \alpha)(1 - t_i) \) when alpha is set (else 1); BINARY mode has one class, MULTICLASS and
 *       MULTILABEL average \( L_c \) over the classes (weighted by class weights if set).
 *   <li><b>Softmax</b> (MULTICLASS): \( \ell_i = -\log p_{i y_i} \) from the softmax, and \( L =
 *       \frac{1}{|V|} \sum_{i \in V} a_{y_i} f_i \ell_i \) over the labelled pixels, with MONAI's
 *       \( a_0 = 1 - \alpha \) for the background class 0 and \( a_c = \alpha \) for the others
 *       when alpha is set. MONAI's {@code reduction="mean"} also divides by the number of classes;
 *       this loss equals MONAI's per-element loss summed over classes and averaged over pixels.
 * </ul>
 *
 * <p>Classes or images without a labelled pixel contribute 0 (smp gives NaN). Class weights apply
 * to the sigmoid focal loss in MULTICLASS or MULTILABEL mode; weights that are all 0 give a loss of
 * 0 (smp gives NaN). Probabilities given with {@code optFromLogits(false)} are clamped to [eps, 1 −
 * eps] (and, for the sigmoid loss, turned into logits as smp does). There is no ignore index by
 * default.
 */
public class FocalLoss extends Loss {

    private final int ignoreIndex;
    private final boolean checkFinite;
    private final SigmoidFocal sigmoid;
    private final SoftmaxFocal softmax;

    FocalLoss(Builder builder) {
        super(builder.name());
        SegmentationMode mode = builder.mode();
        float[] classWeights = builder.classWeights();
        if (mode == SegmentationMode.BINARY && classWeights != null) {
            throw new IllegalArgumentException(
                    "classWeights need MULTICLASS or MULTILABEL mode, got BINARY");
        }
        FocalTerm focalTerm =
                new FocalTerm(builder.gamma, builder.reducedThreshold, builder.normalized);
        if (builder.softmax) {
            if (mode != SegmentationMode.MULTICLASS) {
                throw new IllegalArgumentException(
                        "the softmax focal loss needs MULTICLASS mode, got " + mode);
            }
            if (classWeights != null) {
                throw new IllegalArgumentException(
                        "classWeights apply to the sigmoid focal loss, not with optSoftmax(true)"
                                + " (optAlpha weighs background and foreground classes)");
            }
            this.softmax =
                    new SoftmaxFocal(builder.fromLogits(), builder.eps, builder.alpha, focalTerm);
            this.sigmoid = null;
        } else {
            this.sigmoid =
                    new SigmoidFocal(
                            mode,
                            builder.fromLogits(),
                            builder.eps,
                            builder.alpha,
                            classWeights,
                            focalTerm);
            this.softmax = null;
        }
        this.ignoreIndex = builder.ignoreIndex();
        this.checkFinite = builder.checkFinite();
    }

    /**
     * Returns a builder for a focal loss.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return EvaluationInputs.evaluate(this, ignoreIndex, labels, predictions, this::compute);
    }

    private NDArray compute(NDList labels, NDList predictions) {
        NDArray logits = predictions.head();
        FiniteCheck.requireFinite(checkFinite, logits, "logits");
        Shapes.requireFloat(logits, "logits", 2, "(N, C, d1..dk)");
        return softmax != null
                ? softmax.compute(labels.head(), logits, ignoreIndex)
                : sigmoid.compute(labels.head(), logits, ignoreIndex);
    }

    /** Collects the settings of a {@link FocalLoss}. */
    public static final class Builder extends SegmentationLossBuilder<Builder> {

        private Float alpha;
        private float gamma = 2f;
        private boolean normalized;
        private Float reducedThreshold;
        private boolean softmax;
        private float eps = 1e-7f;

        Builder() {
            super("FocalLoss", ValueChecks.NO_IGNORE);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the weight \( \alpha \) (default: none, every element weighs 1): of positive
         * targets, \( 1 - \alpha \) for negative ones, in the sigmoid focal loss; of every class
         * but the background class 0, which weighs \( 1 - \alpha \), in the softmax focal loss
         * (MONAI's {@code alpha}).
         *
         * @param alpha the weight in [0, 1]
         * @return this builder
         */
        public Builder optAlpha(float alpha) {
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("alpha must lie in [0, 1], got " + alpha);
            }
            this.alpha = alpha;
            return this;
        }

        /**
         * Sets the focusing exponent \( \gamma \) (default 2).
         *
         * @param gamma the exponent, finite and >= 0
         * @return this builder
         */
        public Builder optGamma(float gamma) {
            Settings.requireFiniteNonNegative("gamma", gamma);
            this.gamma = gamma;
            return this;
        }

        /**
         * Sets whether the loss is divided by the sum of the focal terms (normalized focal loss,
         * default false).
         *
         * @param normalized true to normalize
         * @return this builder
         */
        public Builder optNormalized(boolean normalized) {
            this.normalized = normalized;
            return this;
        }

        /**
         * Switches to the reduced focal loss with threshold \( \tau \): the focal term is 1 for \(
         * p_t \lt \tau \) and \( ((1 - p_t)/\tau)^\gamma \) above.
         *
         * @param reducedThreshold the threshold in (0, 1]
         * @return this builder
         */
        public Builder optReducedThreshold(float reducedThreshold) {
            if (!(reducedThreshold > 0 && reducedThreshold <= 1)) {
                throw new IllegalArgumentException(
                        "reducedThreshold must lie in (0, 1], got " + reducedThreshold);
            }
            this.reducedThreshold = reducedThreshold;
            return this;
        }

        /**
         * Selects MONAI's softmax focal loss \( -(1 - p_y)^\gamma \log p_y \) (MULTICLASS mode)
         * instead of the one-vs-rest sigmoid focal loss (default false).
         *
         * @param softmax true for the softmax focal loss
         * @return this builder
         */
        public Builder optSoftmax(boolean softmax) {
            this.softmax = softmax;
            return this;
        }

        /**
         * Sets the clamp of probabilities given with {@code optFromLogits(false)} (default 1e-7).
         *
         * @param eps the clamp, in (0, 0.5)
         * @return this builder
         */
        public Builder optEps(float eps) {
            if (!(eps > 0 && eps < 0.5f)) {
                throw new IllegalArgumentException("eps must lie in (0, 0.5), got " + eps);
            }
            this.eps = eps;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         */
        public FocalLoss build() {
            return new FocalLoss(this);
        }
    }
}
