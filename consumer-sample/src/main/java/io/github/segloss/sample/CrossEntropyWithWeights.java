package io.github.segloss.sample;

import ai.djl.training.loss.Loss;
import io.github.segloss.loss.PixelCrossEntropyLoss;

/** README, "Using segloss": a cross-entropy with class weights and label smoothing. */
final class CrossEntropyWithWeights {

    private CrossEntropyWithWeights() {}

    /**
     * Builds the loss as the README shows.
     *
     * @return the loss, for 4 classes
     */
    static Loss build() {
        // BEGIN README SNIPPET
        Loss loss =
                PixelCrossEntropyLoss.builder()
                        .optIgnoreIndex(255)
                        .optClassWeights(0.5f, 1f, 2f, 4f)
                        .optLabelSmoothing(0.1f)
                        .build();
        // END README SNIPPET
        return loss;
    }
}
