package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;

/**
 * The value of a loss over predictions without a single element (a batch of N = 0, an axis of size
 * 0, zero RoIs or M = 0): exactly 0 of the predictions' type, 0-d, connected to the graph with a
 * zero gradient, as the loss contract promises.
 *
 * <p>The losses return it once their input is validated and before any arithmetic, because the
 * engines do not agree on empty arrays: PyTorch's {@code mean} of nothing is NaN, and on MXNet
 * activations of an empty array fail ("delay_alloc"), {@code softmax} and {@code log_softmax} drop
 * the autograd graph (the backward pass then fails), sums over some axes fail and {@code arange}
 * rejects a step of 0. Only \( \sum x \cdot 0 \) works on both.
 */
public final class EmptyBatch {

    private EmptyBatch() {}

    /**
     * Tells whether the predictions have no element.
     *
     * @param predictions the predictions
     * @return true if their size is 0
     */
    public static boolean isEmpty(NDArray predictions) {
        return predictions.size() == 0;
    }

    /**
     * Returns the loss of empty predictions: \( 0 \cdot \sum x \).
     *
     * @param predictions the predictions, with no element
     * @return a 0-d zero connected to the predictions
     */
    public static NDArray loss(NDArray predictions) {
        return Scalars.mul(predictions.sum(), 0);
    }

    /**
     * Checks a per-class setting that the loss would check later, then returns the loss of empty
     * predictions: a setting of the wrong length is an error whatever the batch.
     *
     * @param predictions the predictions {@code (N, C, ...)}, with no element
     * @param name the setting's name for the message
     * @param perClass the setting, one value per class, or null if unset
     * @return a 0-d zero connected to the predictions
     * @throws IllegalArgumentException if the setting does not have C values
     */
    public static NDArray loss(NDArray predictions, String name, float[] perClass) {
        if (perClass != null) {
            Settings.requireOnePerClass(name, perClass, predictions);
        }
        return loss(predictions);
    }
}
