package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.AbstractCompositeLoss;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.github.segloss.internal.LossErrors;
import io.github.segloss.internal.SharedLabels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Deep supervision: a weighted sum of one loss per prediction head, as in PSPNet's auxiliary loss.
 *
 * <p>\( L = \sum_h w_h \, L_h(labels, predictions_h) \) over the heads present in the model output.
 * A model in evaluation mode usually returns only its main head; the heads it does not return are
 * skipped. At least the first head must be present.
 *
 * <p>Each head is a {@link HeadLoss} component (see {@link #getComponents()}) that DJL can report
 * on its own: add the components to the training configuration as evaluators to see the main and
 * auxiliary losses separately in the training log.
 *
 * <pre>{@code
 * DeepSupervisionLoss loss = DeepSupervisionLoss.pspnet();
 * DefaultTrainingConfig config = new DefaultTrainingConfig(loss);
 * loss.getComponents().forEach(config::addEvaluator);
 * }</pre>
 */
public class DeepSupervisionLoss extends AbstractCompositeLoss {

    /** PSPNet's weight of the auxiliary head. */
    public static final float PSPNET_AUX_WEIGHT = 0.4f;

    /**
     * Creates a deep-supervision loss from its builder.
     *
     * @param builder the builder with the heads
     */
    protected DeepSupervisionLoss(Builder builder) {
        super(builder.name());
        if (builder.heads.isEmpty()) {
            throw new IllegalArgumentException("DeepSupervisionLoss needs at least one head");
        }
        components = Collections.unmodifiableList(builder.heads());
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
        for (Loss component : components) {
            heads.add((HeadLoss) component);
        }
        return heads;
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
     * @throws IllegalArgumentException if the predictions do not hold the first head
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        // the heads share one normalisation and check of the labels (SharedLabels)
        return LossErrors.evaluate(
                this,
                LossErrors.NO_IGNORE_OPTION,
                () -> SharedLabels.during(() -> sumOfHeads(labels, predictions)));
    }

    private NDArray sumOfHeads(NDList labels, NDList predictions) {
        List<NDArray> values = new ArrayList<>(components.size());
        for (Loss component : components) {
            HeadLoss head = (HeadLoss) component;
            if (head.isPresent(predictions) || values.isEmpty()) {
                values.add(head.evaluate(labels, predictions));
            }
        }
        return values.size() == 1 ? values.get(0) : NDArrays.add(values.toArray(new NDArray[0]));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Heads that were absent from every batch since the last reset (an auxiliary head during
     * validation) are left out of the sum instead of turning it into NaN.
     */
    @Override
    public float getAccumulator(String key) {
        double total = 0;
        boolean any = false;
        for (Loss component : components) {
            float value = component.getAccumulator(key);
            if (!Float.isNaN(value)) {
                total += value;
                any = true;
            }
        }
        return any ? (float) total : Float.NaN;
    }

    /** Collects the heads of a {@link DeepSupervisionLoss}. */
    public static final class Builder extends LossBuilder<Builder> {

        private final List<HeadLoss> heads = new ArrayList<>();

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
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if no head was added
         */
        public DeepSupervisionLoss build() {
            return new DeepSupervisionLoss(this);
        }

        /** The heads added, with this builder's finite check. */
        private List<HeadLoss> heads() {
            List<HeadLoss> result = new ArrayList<>(heads.size());
            for (HeadLoss head : heads) {
                result.add(
                        new HeadLoss(
                                head.getName(),
                                head.getLoss(),
                                head.getWeight(),
                                head.getHeadIndex(),
                                checkFinite()));
            }
            return result;
        }
    }
}
