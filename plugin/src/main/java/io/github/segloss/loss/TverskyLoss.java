package io.github.segloss.loss;

import io.github.segloss.internal.Settings;

/**
 * Tversky loss with segmentation_models.pytorch's semantics: the {@link OverlapLoss} of the Tversky
 * score \( \frac{I + s}{I + \alpha\,FP + \beta\,FN + s} \), with the class mean raised to \( \gamma
 * \) (focal Tversky). \( \alpha = \beta = 0.5 \) is the Dice loss, \( \alpha = \beta = 1 \) the
 * Jaccard loss.
 */
public class TverskyLoss extends OverlapLoss {

    TverskyLoss(Builder builder) {
        super(builder, builder.alpha, builder.beta, builder.gamma, 1);
    }

    /**
     * Returns a builder for a Tversky loss.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the settings of a {@link TverskyLoss}. */
    public static final class Builder extends BaseBuilder<Builder> {

        private float alpha = 0.5f;
        private float beta = 0.5f;
        private float gamma = 1f;

        Builder() {
            super("TverskyLoss");
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the weight \( \alpha \) of false positives (default 0.5).
         *
         * @param alpha the weight, finite and >= 0
         * @return this builder
         */
        public Builder optAlpha(float alpha) {
            Settings.requireFiniteNonNegative("alpha", alpha);
            this.alpha = alpha;
            return this;
        }

        /**
         * Sets the weight \( \beta \) of false negatives (default 0.5).
         *
         * @param beta the weight, finite and >= 0
         * @return this builder
         */
        public Builder optBeta(float beta) {
            Settings.requireFiniteNonNegative("beta", beta);
            this.beta = beta;
            return this;
        }

        /**
         * Sets the exponent \( \gamma \) of the class mean (default 1).
         *
         * @param gamma the exponent, finite and > 0
         * @return this builder
         */
        public Builder optGamma(float gamma) {
            if (!(gamma > 0) || Float.isInfinite(gamma)) {
                throw new IllegalArgumentException("gamma must be finite and > 0, got " + gamma);
            }
            this.gamma = gamma;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         */
        public TverskyLoss build() {
            return new TverskyLoss(this);
        }
    }
}
