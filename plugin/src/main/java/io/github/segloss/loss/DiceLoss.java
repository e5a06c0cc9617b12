package io.github.segloss.loss;

/**
 * Dice loss with segmentation_models.pytorch's semantics and defaults: the {@link OverlapLoss} of
 * the Dice score \( \frac{2I + 2s}{S_p + S_t + 2s} \) (the Tversky score with \( \alpha = \beta =
 * 0.5 \)), per class \( 1 - \mathrm{dice}_c \) for the classes present in the targets.
 *
 * <pre>{@code
 * Loss dice = DiceLoss.builder().setMode(SegmentationMode.MULTICLASS).optIgnoreIndex(255).build();
 * }</pre>
 */
public class DiceLoss extends OverlapLoss {

    DiceLoss(Builder builder) {
        super(builder, 0.5f, 0.5f, 1f, MONAI_DICE_SMOOTH_SCALE);
    }

    /**
     * Returns a builder for a Dice loss.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the settings of a {@link DiceLoss}. */
    public static final class Builder extends BaseBuilder<Builder> {

        Builder() {
            super("DiceLoss");
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
        public DiceLoss build() {
            return new DiceLoss(this);
        }
    }
}
