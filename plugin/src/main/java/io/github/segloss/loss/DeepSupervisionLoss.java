package io.github.segloss.loss;

import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.List;

/**
 * Deep supervision: a {@link WeightedSumLoss} of one loss per prediction head, the i-th head added
 * reading {@code predictions.get(i)}, as in PSPNet's auxiliary loss.
 *
 * <p>\( L = \sum_h w_h \, L_h(labels, predictions_h) \) over the heads present in the model output.
 * A model in evaluation mode usually returns only its main head; the heads it does not return are
 * skipped. At least the first head must be present.
 *
 * <p>Each head is a {@link HeadLoss} component (see {@link #getComponents()}) that DJL can report
 * on its own: add the components to the training configuration as evaluators to see the main and
 * auxiliary losses separately in the training log.
 *
 * <p>Two styles: PSPNet's, whose heads are all upsampled to the labels' size ({@link #pspnet()}),
 * and MONAI's / nnU-Net's, whose heads come at falling resolutions and are scored on the labels
 * resized to each ({@link Builder#optResizeLabels}), weighted by a {@link WeightMode}:
 *
 * <pre>{@code
 * DeepSupervisionLoss unet = DeepSupervisionLoss.builder()
 *         .addHeads(DiceLoss.builder().setMode(SegmentationMode.MULTICLASS).build(), 4,
 *                 DeepSupervisionLoss.WeightMode.EXP)
 *         .optResizeLabels(true)
 *         .build();
 * }</pre>
 *
 * <pre>{@code
 * DeepSupervisionLoss loss = DeepSupervisionLoss.pspnet();
 * DefaultTrainingConfig config = new DefaultTrainingConfig(loss);
 * loss.getComponents().forEach(config::addEvaluator);
 * }</pre>
 */
public class DeepSupervisionLoss extends WeightedPartsLoss {

    /** PSPNet's weight of the auxiliary head. */
    public static final float PSPNET_AUX_WEIGHT = 0.4f;

    /**
     * Creates a deep-supervision loss from its builder.
     *
     * @param builder the builder with the heads
     * @throws IllegalArgumentException if no head was added or two heads share a name
     */
    protected DeepSupervisionLoss(Builder builder) {
        super(builder.name(), builder.heads(), "head");
    }

    /**
     * Returns the PSPNet recipe: {@link PixelCrossEntropyLoss} with ignore index 255 on {@code
     * predictions.get(0)} plus 0.4 times the same on {@code predictions.get(1)}.
     *
     * @return the PSPNet loss
     */
    public static DeepSupervisionLoss pspnet() {
        return pspnet(PSPNET_AUX_WEIGHT, PixelCrossEntropyLoss.DEFAULT_IGNORE_INDEX);
    }

    /**
     * Returns the PSPNet recipe with a chosen auxiliary weight and ignore index: \( L = CE(main) +
     * w_{aux} \cdot CE(aux) \).
     *
     * @param auxWeight the weight of the auxiliary head
     * @param ignoreIndex the ignore label of both cross-entropies
     * @return the PSPNet loss
     */
    public static DeepSupervisionLoss pspnet(float auxWeight, int ignoreIndex) {
        return builder()
                .optName("PSPNetLoss")
                .addHead("main", crossEntropy("main", ignoreIndex), 1f)
                .addHead("aux", crossEntropy("aux", ignoreIndex), auxWeight)
                .build();
    }

    private static Loss crossEntropy(String name, int ignoreIndex) {
        return PixelCrossEntropyLoss.builder().optName(name).optIgnoreIndex(ignoreIndex).build();
    }

    /**
     * Returns a builder for a deep-supervision loss.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the heads, in prediction order.
     *
     * @return the heads, each a {@link HeadLoss}
     */
    public List<HeadLoss> getHeads() {
        List<HeadLoss> heads = new ArrayList<>(components.size());
        for (WeightedLoss part : getParts()) {
            heads.add((HeadLoss) part);
        }
        return heads;
    }

    /** MONAI's weights of the deep-supervision levels, level 0 being the main (full-size) head. */
    public enum WeightMode {
        /** Every level weighs 1. */
        SAME,
        /** Level l weighs \( \max(0.5^l, 0.0625) \): 1, 0.5, 0.25, 0.125, 0.0625, 0.0625, … */
        EXP,
        /** Level 0 weighs 1 and every other level 0.5. */
        TWO;

        /**
         * Returns the weight of a level.
         *
         * @param level the level, >= 0
         * @return its weight
         */
        public float weight(int level) {
            switch (this) {
                case SAME:
                    return 1f;
                case EXP:
                    // 0.5^l down to 0.0625 = 0.5^4, exactly in float
                    return level >= 4 ? 0.0625f : 1f / (1 << level);
                default:
                    return level == 0 ? 1f : 0.5f;
            }
        }
    }

    /** Collects the heads of a {@link DeepSupervisionLoss}. */
    public static final class Builder extends LossBuilder<Builder> {

        private final List<HeadLoss> heads = new ArrayList<>();
        private boolean resizeLabels;

        Builder() {
            super("DeepSupervisionLoss");
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Adds the next head: its loss reads {@code predictions.get(i)} for the i-th head added.
         * The head is named {@code "head" + i} in training logs ("main", "aux" in {@link
         * #pspnet()}).
         *
         * @param loss the loss of this head
         * @param weight the weight of this head, finite and >= 0
         * @return this builder
         */
        public Builder addHead(Loss loss, float weight) {
            return addHead("head" + heads.size(), loss, weight);
        }

        /**
         * Adds the next head with a name for training logs.
         *
         * @param headName the display name of the head
         * @param loss the loss of this head
         * @param weight the weight of this head, finite and >= 0
         * @return this builder
         */
        public Builder addHead(String headName, Loss loss, float weight) {
            heads.add(new HeadLoss(headName, loss, weight, heads.size()));
            return this;
        }

        /**
         * Adds {@code levels} heads that share one loss, weighted as MONAI's {@code
         * DeepSupervisionLoss(loss, weight_mode)} weighs its levels (see {@link WeightMode}); the
         * heads are named {@code "head" + i} and read {@code predictions.get(i)} as with {@link
         * #addHead(Loss, float)}. A model that returns fewer heads (in evaluation mode) is scored
         * on those it returns with the same weights, as MONAI does.
         *
         * @param loss the loss of every level
         * @param levels the number of heads, >= 1
         * @param mode how the weights fall with the level
         * @return this builder
         * @throws IllegalArgumentException if levels is below 1 or the mode null
         */
        public Builder addHeads(Loss loss, int levels, WeightMode mode) {
            if (levels < 1 || mode == null) {
                throw new IllegalArgumentException(
                        "addHeads needs levels >= 1 and a weight mode, got levels "
                                + levels
                                + " and mode "
                                + mode);
            }
            for (int level = 0; level < levels; level++) {
                addHead(loss, mode.weight(level));
            }
            return this;
        }

        /**
         * Sets whether each head gets the labels resized to its prediction's spatial size (default
         * false): with true, a head whose prediction {@code (N, C, e1..ek)} is smaller or larger
         * than the labels' last k axes is scored against the labels resized with PyTorch's {@code
         * nearest-exact} rule ({@link io.github.segloss.target.NearestExactResize}), as MONAI's
         * {@code DeepSupervisionLoss} does (U-Net / nnU-Net style deep supervision). With false
         * every head must have the labels' size (PSPNet style, whose heads are upsampled).
         *
         * @param resizeLabels true to resize the labels to each head
         * @return this builder
         */
        public Builder optResizeLabels(boolean resizeLabels) {
            this.resizeLabels = resizeLabels;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if no head was added or two heads share a name
         */
        public DeepSupervisionLoss build() {
            return new DeepSupervisionLoss(this);
        }

        /** The heads added, with this builder's finite check and label resizing. */
        private List<HeadLoss> heads() {
            List<HeadLoss> result = new ArrayList<>(heads.size());
            for (HeadLoss head : heads) {
                result.add(
                        new HeadLoss(
                                head.getName(),
                                head.getLoss(),
                                head.getWeight(),
                                head.getHeadIndex(),
                                checkFinite(),
                                resizeLabels));
            }
            return result;
        }
    }
}
