package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * A loss scaled by a weight, \( L = w \cdot L_{inner}(labels, predictions) \): a component of a
 * {@link WeightedSumLoss} that DJL can also report as an evaluator of its own.
 */
public class WeightedLoss extends Loss {

    private final Loss loss;
    private final float weight;

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

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray value = loss.evaluate(labels, predictions);
        return weight == 1f ? value : value.mul(weight);
    }
}
