package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.EvaluationMemo;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.LossErrors;
import io.github.segloss.internal.Scalars;
import io.github.segloss.internal.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * A loss scaled by a weight, \( L = w \cdot L_{inner}(labels, predictions) \): a part of a {@link
 * WeightedSumLoss} on the whole model output that DJL can also report as an evaluator of its own
 * ({@link HeadLoss} reads one prediction head).
 */
public class WeightedLoss extends Loss {

    private final Loss loss;
    private final float weight;
    private final double decimalWeight;
    private final boolean checkFinite;
    private final EvaluationMemo memo = new EvaluationMemo();

    /**
     * Creates a weighted loss.
     *
     * @param name the display name in training logs
     * @param loss the loss to scale
     * @param weight the weight, finite and >= 0
     * @throws IllegalArgumentException if the loss is null or the weight negative or not finite
     */
    public WeightedLoss(String name, Loss loss, float weight) {
        this(name, loss, weight, false);
    }

    /**
     * Creates a weighted loss that may check its predictions.
     *
     * @param name the display name in training logs
     * @param loss the loss to scale
     * @param weight the weight, finite and >= 0
     * @param checkFinite whether {@link #evaluate} first requires every float prediction to be
     *     finite (see {@link LossBuilder#optCheckFinite})
     * @throws IllegalArgumentException if the loss is null or the weight negative or not finite
     */
    protected WeightedLoss(String name, Loss loss, float weight, boolean checkFinite) {
        super(name);
        if (loss == null) {
            throw new IllegalArgumentException("loss of " + name + " must not be null");
        }
        if (!(weight >= 0) || Float.isInfinite(weight)) {
            throw new IllegalArgumentException(
                    "weight of " + name + " must be finite and >= 0, got " + weight);
        }
        this.loss = loss;
        this.weight = weight;
        // the decimal the weight was written as: 0.4f scales a float64 loss by 0.4, as PyTorch's
        // "0.4 * loss" does, not by 0.4000000059604645; it rounds back to the same float32
        this.decimalWeight = Settings.decimal(weight);
        this.checkFinite = checkFinite;
    }

    /**
     * Returns a builder for a weighted loss.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the loss that is scaled.
     *
     * @return the inner loss
     */
    public Loss getLoss() {
        return loss;
    }

    /**
     * Returns the weight.
     *
     * @return the weight
     */
    public float getWeight() {
        return weight;
    }

    /**
     * Tells whether {@link #evaluate} first requires every float prediction to be finite (see
     * {@link LossBuilder#optCheckFinite}).
     *
     * @return whether the predictions are checked
     */
    public boolean isCheckFinite() {
        return checkFinite;
    }

    /**
     * Tells whether the model output holds what this loss reads: always, for a loss on the whole
     * output.
     *
     * @param predictions the model output
     * @return true
     */
    public boolean isPresent(NDList predictions) {
        return true;
    }

    /**
     * Tells whether this loss measured at least one batch under the key since the last reset.
     *
     * @param key the accumulator's key
     * @return true if a batch was measured
     * @throws IllegalArgumentException if there is no accumulator of that key
     */
    public boolean hasMeasured(String key) {
        Long instances = totalInstances.get(key);
        if (instances == null) {
            throw new IllegalArgumentException(
                    "no accumulator " + key + " in " + getName() + " (call addAccumulator first)");
        }
        return instances > 0;
    }

    /**
     * Returns the labels the inner loss gets for these predictions: the labels as they are.
     *
     * @param labels the labels
     * @param predictions the predictions the inner loss reads
     * @return the labels
     */
    protected NDList labelsFor(NDList labels, NDList predictions) {
        return labels;
    }

    /**
     * Requires every float prediction to be finite if {@link #isCheckFinite()}.
     *
     * @param predictions the predictions the inner loss reads
     * @throws IllegalArgumentException if a value is NaN or infinite
     */
    protected void requireFinite(NDList predictions) {
        FiniteCheck.requireFinite(checkFinite, predictions, "predictions");
    }

    /**
     * Returns a copy of this loss whose predictions are checked, or not, for non-finite values.
     *
     * @param check whether the copy checks its predictions
     * @return the copy
     */
    protected WeightedLoss withCheckFinite(boolean check) {
        return new WeightedLoss(getName(), loss, weight, check);
    }

    /** Copies of the parts that check their predictions if {@code check} (else as they are). */
    static List<WeightedLoss> checking(List<? extends WeightedLoss> parts, boolean check) {
        List<WeightedLoss> result = new ArrayList<>(parts.size());
        for (WeightedLoss part : parts) {
            result.add(check ? part.withCheckFinite(true) : part);
        }
        return result;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The loss is scaled by the shortest decimal that gives back the float weight (for 0.4f:
     * 0.4), so that a float64 loss equals PyTorch's {@code 0.4 * loss} to the last bit; a float32
     * loss is scaled by the weight itself.
     *
     * <p>When {@link #updateAccumulators} evaluates it again with the very same label and
     * prediction arrays while the first result is still open (DJL's training listener after the
     * backward pass, or this loss added as an evaluator too), that result is reused instead of
     * computed twice.
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return LossErrors.evaluate(
                this, LossErrors.NO_IGNORE_OPTION, () -> weighted(labels, predictions));
    }

    private NDArray weighted(NDList labels, NDList predictions) {
        EvaluationInputs.require(labels, predictions);
        NDArray remembered = memo.recall(labels, predictions);
        if (remembered != null) {
            return remembered;
        }
        requireFinite(predictions);
        NDArray value = loss.evaluate(labelsFor(labels, predictions), predictions);
        NDArray result = weight == 1f ? value : Scalars.mul(value, decimalWeight);
        memo.remember(labels, predictions, result);
        return result;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reuses the result of {@link #evaluate} for the same arrays of this batch when there is
     * one.
     */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        EvaluationMemo.accumulate(() -> super.updateAccumulators(keys, labels, predictions));
    }

    /** Collects the settings of a {@link WeightedLoss}; its name defaults to the inner loss's. */
    public static final class Builder extends LossBuilder<Builder> {

        private Loss loss;
        private float weight = 1f;

        Builder() {
            super(null);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the loss to scale (required).
         *
         * @param loss the inner loss
         * @return this builder
         */
        public Builder setLoss(Loss loss) {
            this.loss = loss;
            return this;
        }

        /**
         * Sets the weight (default 1).
         *
         * @param weight the weight, finite and >= 0
         * @return this builder
         */
        public Builder optWeight(float weight) {
            this.weight = weight;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if no loss was set or the weight is negative or not
         *     finite
         */
        public WeightedLoss build() {
            if (loss == null) {
                throw new IllegalArgumentException("WeightedLoss needs setLoss(loss)");
            }
            return new WeightedLoss(
                    name() == null ? loss.getName() : name(), loss, weight, checkFinite());
        }
    }
}
