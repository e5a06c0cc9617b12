package io.github.segloss.loss;

/**
 * Jaccard (IoU) loss with segmentation_models.pytorch's semantics: the {@link OverlapLoss} of the
 * soft Jaccard score \( \frac{I + s}{S_p + S_t - I + s} \) (the Tversky score with \( \alpha =
 * \beta = 1 \)), per class \( 1 - \mathrm{iou}_c \) for the classes present in the targets.
 */
public class JaccardLoss extends OverlapLoss {

    JaccardLoss(Builder builder) {
        super(builder, 1f, 1f, 1f, MONAI_DICE_SMOOTH_SCALE);
    }

    /**
     * Returns a builder for a Jaccard loss.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the settings of a {@link JaccardLoss}. */
    public static final class Builder extends BaseBuilder<Builder> {

        Builder() {
            super("JaccardLoss");
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         */
        public JaccardLoss build() {
            return new JaccardLoss(this);
        }
    }
}
