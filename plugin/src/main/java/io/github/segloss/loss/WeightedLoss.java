package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.EvaluationMemo;

/**
 * A loss scaled by a weight, \( L = w \cdot L_{inner}(labels, predictions) \): a component of a
 * {@link WeightedSumLoss} that DJL can also report as an evaluator of its own.
 */
public class WeightedLoss extends Loss {

    private final Loss loss;
    private final float weight;
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
     * <p>When {@link #updateAccumulators} evaluates it again with the very same label and
     * prediction arrays while the first result is still open (DJL's training listener after the
     * backward pass, or this loss added as an evaluator too), that result is reused instead of
     * computed twice.
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray remembered = memo.recall(labels, predictions);
        if (remembered != null) {
            return remembered;
        }
        NDArray value = loss.evaluate(labels, predictions);
        NDArray result = weight == 1f ? value : value.mul(weight);
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
}
