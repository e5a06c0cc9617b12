package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.target.NearestExactResize;

/**
 * A part of a {@link WeightedSumLoss} or {@link DeepSupervisionLoss} on one prediction head: a loss
 * applied to prediction {@code headIndex} of the model's output and scaled by a weight, \( L = w
 * \cdot L_{inner}(labels, predictions_{head}) \).
 *
 * <p>A head reads the model's whole output and the whole labels, so it can also be added to a
 * {@code TrainingConfig} as an evaluator of its own: training logs then show each head's weighted
 * loss. When the model returns fewer predictions than {@code headIndex + 1} (an auxiliary head in
 * evaluation mode), the head is absent: {@link #isPresent} is false and the head's accumulators are
 * left unchanged.
 */
public final class HeadLoss extends WeightedLoss {

    private final int headIndex;
    private final boolean resizeLabels;

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
        this(name, loss, weight, headIndex, checkFinite, false);
    }

    /**
     * Creates a head that may check its prediction and resize the labels to it.
     *
     * @param name the display name of the head in training logs
     * @param loss the loss applied to the head's prediction
     * @param weight the head's weight, finite and >= 0
     * @param headIndex the index of the head's prediction in the model output
     * @param checkFinite whether {@link #evaluate} first requires every value of the head's
     *     prediction to be finite (see {@link LossBuilder#optCheckFinite})
     * @param resizeLabels whether the first label array is resized to the prediction's spatial size
     *     {@code (d1..dk)} of {@code (N, C, d1..dk)} with {@link NearestExactResize} when the sizes
     *     differ (MONAI's deep supervision); other label arrays are passed as they are
     * @throws IllegalArgumentException if the weight is negative or not finite, or the index
     *     negative
     */
    public HeadLoss(
            String name,
            Loss loss,
            float weight,
            int headIndex,
            boolean checkFinite,
            boolean resizeLabels) {
        super(name, loss, weight, checkFinite);
        if (headIndex < 0) {
            throw new IllegalArgumentException(
                    "headIndex of head " + name + " must be >= 0, got " + headIndex);
        }
        this.headIndex = headIndex;
        this.resizeLabels = resizeLabels;
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
    @Override
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
        return super.evaluate(labels, new NDList(prediction));
    }

    /**
     * Tells whether the labels are resized to this head's prediction.
     *
     * @return whether the labels are resized
     */
    public boolean isResizeLabels() {
        return resizeLabels;
    }

    /** {@inheritDoc} The first label array is resized to the head's size if so configured. */
    @Override
    protected NDList labelsFor(NDList labels, NDList predictions) {
        if (!resizeLabels) {
            return labels;
        }
        Shape shape = predictions.head().getShape();
        if (shape.dimension() < 3) {
            return labels; // (N, C): no spatial axis to resize
        }
        NDList resized = new NDList(labels);
        resized.set(0, NearestExactResize.resize(labels.head(), shape.slice(2).getShape()));
        return resized;
    }

    /** {@inheritDoc} */
    @Override
    protected void requireFinite(NDList predictions) {
        FiniteCheck.requireFinite(
                isCheckFinite(),
                predictions.head(),
                "predictions[" + headIndex + "] of head " + getName());
    }

    /** {@inheritDoc} */
    @Override
    protected WeightedLoss withCheckFinite(boolean check) {
        return new HeadLoss(getName(), getLoss(), getWeight(), headIndex, check, resizeLabels);
    }

    /** {@inheritDoc} Absent heads leave the accumulators unchanged. */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        if (isPresent(predictions)) {
            super.updateAccumulators(keys, labels, predictions);
        }
    }
}
