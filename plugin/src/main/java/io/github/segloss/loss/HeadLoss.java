package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;

/**
 * One prediction head of a {@link DeepSupervisionLoss}: a loss applied to prediction {@code
 * headIndex} of the model's output and scaled by a weight, \( L = w \cdot L_{inner}(labels,
 * predictions_{head}) \).
 *
 * <p>A head reads the model's whole output and the whole labels, so it can also be added to a
 * {@code TrainingConfig} as an evaluator of its own: training logs then show each head's weighted
 * loss. When the model returns fewer predictions than {@code headIndex + 1} (an auxiliary head in
 * evaluation mode), the head is absent: {@link #isPresent} is false and the head's accumulators are
 * left unchanged.
 */
public final class HeadLoss extends WeightedLoss {

    private final int headIndex;
    private final boolean checkFinite;

    /**
     * Creates a head.
     *
     * @param name the display name of the head in training logs
     * @param loss the loss applied to the head's prediction
     * @param weight the head's weight, finite and >= 0
     * @param headIndex the index of the head's prediction in the model output
     * @throws IllegalArgumentException if the weight is negative or not finite, or the index
     *     negative
     */
    public HeadLoss(String name, Loss loss, float weight, int headIndex) {
        this(name, loss, weight, headIndex, false);
    }

    /**
     * Creates a head that may check its prediction.
     *
     * @param name the display name of the head in training logs
     * @param loss the loss applied to the head's prediction
     * @param weight the head's weight, finite and >= 0
     * @param headIndex the index of the head's prediction in the model output
     * @param checkFinite whether {@link #evaluate} first requires every value of the head's
     *     prediction to be finite (see {@link LossBuilder#optCheckFinite})
     * @throws IllegalArgumentException if the weight is negative or not finite, or the index
     *     negative
     */
    public HeadLoss(String name, Loss loss, float weight, int headIndex, boolean checkFinite) {
        super(name, loss, weight, false);
        if (headIndex < 0) {
            throw new IllegalArgumentException(
                    "headIndex of head " + name + " must be >= 0, got " + headIndex);
        }
        this.headIndex = headIndex;
        this.checkFinite = checkFinite;
    }

    /**
     * Returns the index of this head's prediction in the model output.
     *
     * @return the head index
     */
    public int getHeadIndex() {
        return headIndex;
    }

    /**
     * Tells whether the model output holds this head's prediction.
     *
     * @param predictions the model output
     * @return true if {@code predictions.size() > headIndex}
     */
    public boolean isPresent(NDList predictions) {
        return predictions.size() > headIndex;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the predictions hold no prediction for this head
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (!isPresent(predictions)) {
            throw new IllegalArgumentException(
                    "predictions must hold head "
                            + getName()
                            + " at index "
                            + headIndex
                            + ", got "
                            + predictions.size()
                            + " prediction(s)");
        }
        // every head's prediction and the labels on one engine and device
        EvaluationInputs.require(labels, predictions);
        NDArray prediction = predictions.get(headIndex);
        FiniteCheck.requireFinite(
                checkFinite, prediction, "predictions[" + headIndex + "] of head " + getName());
        return super.evaluate(labels, new NDList(prediction));
    }

    /** {@inheritDoc} Absent heads leave the accumulators unchanged. */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        if (isPresent(predictions)) {
            super.updateAccumulators(keys, labels, predictions);
        }
    }
}
