package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.github.segloss.loss.SegmentationMode;

/**
 * The probabilities a mode-based loss reads from its predictions: the softmax over the class axis
 * in MULTICLASS mode, the sigmoid in BINARY and MULTILABEL mode, or the predictions as given when
 * they already are probabilities.
 */
public final class Probabilities {

    private Probabilities() {}

    /**
     * Returns the probabilities of the predictions.
     *
     * @param mode the segmentation mode
     * @param fromLogits whether the predictions are logits
     * @param predictions the logits or probabilities {@code (N, C, d1..dk)}
     * @return the probabilities, shaped like the predictions
     */
    public static NDArray of(SegmentationMode mode, boolean fromLogits, NDArray predictions) {
        if (!fromLogits) {
            return predictions;
        }
        return mode == SegmentationMode.MULTICLASS
                ? SafeMath.logSoftmax(predictions).exp()
                : Activation.sigmoid(predictions);
    }
}
