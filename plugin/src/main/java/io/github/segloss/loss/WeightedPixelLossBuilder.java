package io.github.segloss.loss;

import io.github.segloss.internal.Settings;

/**
 * The settings of the losses that weigh classes: the {@link PixelLossBuilder} settings and one
 * weight per class. How a loss applies the weights is in its class documentation.
 *
 * @param <B> the concrete builder
 */
public abstract class WeightedPixelLossBuilder<B extends WeightedPixelLossBuilder<B>>
        extends PixelLossBuilder<B> {

    private float[] classWeights;

    WeightedPixelLossBuilder(String defaultName, int defaultIgnoreIndex) {
        super(defaultName, defaultIgnoreIndex);
    }

    /**
     * Sets one weight per class (axis 1 of the logits); by default every class weighs 1. The
     * weights are copied; their number must match the logits' classes when the loss is evaluated.
     *
     * @param classWeights the weights, one per class, each finite and >= 0
     * @return this builder
     * @throws IllegalArgumentException if a weight is negative or not finite, or none is given
     */
    public B optClassWeights(float... classWeights) {
        this.classWeights = Settings.perClass("classWeights", classWeights);
        return self();
    }

    /** The class weights set (a copy owned by this builder), or null. */
    float[] classWeights() {
        return classWeights;
    }
}
