package io.github.segloss.loss;

import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A weighted sum of losses, \( L = \sum_k w_k L_k \), whose parts read either the whole model
 * output or one prediction head of it: cross-entropy plus Dice as MONAI's {@code DiceCELoss}, one
 * loss per head as PSPNet's auxiliary loss ({@link DeepSupervisionLoss}), or both at once.
 *
 * <p>Each part is a {@link WeightedLoss} component (see {@link #getComponents()}), a {@link
 * HeadLoss} when it reads one head; every part has its own name, so that adding the components to
 * the training configuration as evaluators shows each weighted part in the training log:
 *
 * <pre>{@code
 * WeightedSumLoss loss =
 *         WeightedSumLoss.builder()
 *                 .add(PixelCrossEntropyLoss.builder().build(), 1f)
 *                 .add(DiceLoss.builder().setMode(SegmentationMode.MULTICLASS)
 *                         .optIgnoreIndex(255).build(), 1f)
 *                 .build();
 * loss.getComponents().forEach(config::addEvaluator);
 * }</pre>
 *
 * <p>A part on a head the model output does not hold (an auxiliary head in evaluation mode) is
 * skipped, and left out of {@link #getAccumulator}; at least one part must be present. The parts
 * share one normalisation and check of class-index labels.
 */
public class WeightedSumLoss extends WeightedPartsLoss {

    private WeightedSumLoss(Builder builder) {
        super(builder.name(), WeightedLoss.checking(builder.parts, builder.checkFinite()), "loss");
    }

    /**
     * Returns a builder for a weighted sum of losses.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts of a {@link WeightedSumLoss}. */
    public static final class Builder extends LossBuilder<Builder> {

        private final List<WeightedLoss> parts = new ArrayList<>();
        private final Set<String> names = new HashSet<>();

        Builder() {
            super("WeightedSumLoss");
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Adds a part on the whole model output, named after its loss in training logs.
         *
         * @param loss the loss
         * @param weight its weight, finite and >= 0
         * @return this builder
         * @throws IllegalArgumentException if the loss is null, the weight negative or not finite,
         *     or a part of that name was added already
         */
        public Builder add(Loss loss, float weight) {
            return addPart(new WeightedLoss(nameOf(loss), loss, weight));
        }

        /**
         * Adds a part on one prediction head, {@code predictions.get(headIndex)}, named after its
         * loss in training logs; it is skipped while the model output holds no such head.
         *
         * @param loss the loss of that head
         * @param weight its weight, finite and >= 0
         * @param headIndex the index of the head's prediction in the model output, >= 0
         * @return this builder
         * @throws IllegalArgumentException if the loss is null, the weight negative or not finite,
         *     the index negative, or a part of that name was added already
         */
        public Builder add(Loss loss, float weight, int headIndex) {
            return addPart(new HeadLoss(nameOf(loss), loss, weight, headIndex));
        }

        private Builder addPart(WeightedLoss part) {
            WeightedPartsLoss.requireNewName(names, part.getName(), name(), "loss");
            parts.add(part);
            return this;
        }

        private static String nameOf(Loss loss) {
            if (loss == null) {
                throw new IllegalArgumentException("loss must not be null");
            }
            return loss.getName();
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if no part was added or two parts share a name
         */
        public WeightedSumLoss build() {
            return new WeightedSumLoss(this);
        }
    }
}
