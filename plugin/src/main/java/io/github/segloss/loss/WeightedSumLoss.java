package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.AbstractCompositeLoss;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.github.segloss.internal.LossErrors;
import io.github.segloss.internal.SharedLabels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A weighted sum of losses on the same labels and predictions, \( L = \sum_k w_k L_k \), e.g.
 * cross-entropy plus Dice as MONAI's {@code DiceCELoss}.
 *
 * <p>Each term is a {@link WeightedLoss} component (see {@link #getComponents()}) named after its
 * loss; add the components to the training configuration as evaluators to see each weighted term in
 * the training log:
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
 */
public class WeightedSumLoss extends AbstractCompositeLoss {

    WeightedSumLoss(Builder builder) {
        super(builder.name());
        if (builder.terms.isEmpty()) {
            throw new IllegalArgumentException("WeightedSumLoss needs at least one loss");
        }
        components = Collections.unmodifiableList(builder.terms());
    }

    /**
     * Returns a builder for a weighted sum of losses.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected Pair<NDList, NDList> inputForComponent(
            int componentIndex, NDList labels, NDList predictions) {
        return new Pair<>(labels, predictions);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The terms share one normalisation and check of class-index labels.
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return LossErrors.evaluate(
                this,
                LossErrors.NO_IGNORE_OPTION,
                () -> SharedLabels.during(() -> super.evaluate(labels, predictions)));
    }

    /** Collects the terms of a {@link WeightedSumLoss}. */
    public static final class Builder extends LossBuilder<Builder> {

        private final List<WeightedLoss> terms = new ArrayList<>();
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
         * Adds a term, named after its loss in training logs.
         *
         * @param loss the loss
         * @param weight its weight, finite and >= 0
         * @return this builder
         * @throws IllegalArgumentException if a term of that name was added already
         */
        public Builder add(Loss loss, float weight) {
            if (loss == null) {
                throw new IllegalArgumentException("loss must not be null");
            }
            if (!names.add(loss.getName())) {
                throw new IllegalArgumentException(
                        "each loss needs its own name for the training log, got "
                                + loss.getName()
                                + " twice (set optName)");
            }
            terms.add(new WeightedLoss(loss.getName(), loss, weight));
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if no term was added
         */
        public WeightedSumLoss build() {
            return new WeightedSumLoss(this);
        }

        /** The terms added, with this builder's finite check. */
        private List<WeightedLoss> terms() {
            List<WeightedLoss> result = new ArrayList<>(terms.size());
            for (WeightedLoss term : terms) {
                result.add(
                        new WeightedLoss(
                                term.getName(), term.getLoss(), term.getWeight(), checkFinite()));
            }
            return result;
        }
    }
}
