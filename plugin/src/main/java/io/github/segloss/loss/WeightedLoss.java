package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.EvaluationMemo;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.LossErrors;
import io.github.segloss.internal.Scalars;

/**
 * A loss scaled by a weight, \( L = w \cdot L_{inner}(labels, predictions) \): a component of a
 * {@link WeightedSumLoss} that DJL can also report as an evaluator of its own.
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
        this.decimalWeight = Double.parseDouble(Float.toString(weight));
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
        FiniteCheck.requireFinite(checkFinite, predictions, "predictions");
        NDArray value = loss.evaluate(labels, predictions);
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
