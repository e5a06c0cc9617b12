package io.github.segloss.loss;

/**
 * The settings of the mode-based losses of segmentation_models.pytorch ({@link OverlapLoss}, {@link
 * FocalLoss}): the {@link WeightedPixelLossBuilder} settings, the required {@link SegmentationMode}
 * and whether the predictions are logits.
 *
 * @param <B> the concrete builder
 */
public abstract class SegmentationLossBuilder<B extends SegmentationLossBuilder<B>>
        extends WeightedPixelLossBuilder<B> {

    private SegmentationMode mode;
    private boolean fromLogits = true;

    SegmentationLossBuilder(String defaultName, int defaultIgnoreIndex) {
        super(defaultName, defaultIgnoreIndex);
    }

    /**
     * Sets the segmentation mode (required).
     *
     * @param mode the mode
     * @return this builder
     */
    public B setMode(SegmentationMode mode) {
        this.mode = mode;
        return self();
    }

    /**
     * Sets whether the predictions are logits (default) or already probabilities; the loss's class
     * documentation says how it reads probabilities.
     *
     * @param fromLogits true for logits
     * @return this builder
     */
    public B optFromLogits(boolean fromLogits) {
        this.fromLogits = fromLogits;
        return self();
    }

    /** The mode set; an IllegalArgumentException naming the loss if none was. */
    SegmentationMode mode() {
        if (mode == null) {
            throw new IllegalArgumentException(name() + " needs setMode(mode)");
        }
        return mode;
    }

    /** Whether the predictions are logits. */
    boolean fromLogits() {
        return fromLogits;
    }
}
