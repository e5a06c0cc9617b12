package io.github.segloss.loss;

/**
 * The settings of the losses that read labels per pixel (or element): the {@link LossBuilder}
 * settings and an ignore label.
 *
 * @param <B> the concrete builder
 */
public abstract class PixelLossBuilder<B extends PixelLossBuilder<B>> extends LossBuilder<B> {

    private int ignoreIndex;

    PixelLossBuilder(String defaultName, int defaultIgnoreIndex) {
        super(defaultName);
        this.ignoreIndex = defaultIgnoreIndex;
    }

    /**
     * Sets the label that marks pixels (or elements) without a class. The default is the loss's:
     * {@link PixelCrossEntropyLoss#DEFAULT_IGNORE_INDEX} (255) for {@link PixelCrossEntropyLoss}
     * and {@link OhemCrossEntropyLoss}, none for the others. Any int is accepted; a value inside
     * {@code [0, C)} ignores that class.
     *
     * @param ignoreIndex the ignore label
     * @return this builder
     */
    public B optIgnoreIndex(int ignoreIndex) {
        this.ignoreIndex = ignoreIndex;
        return self();
    }

    /** The ignore label set, or the loss's default. */
    int ignoreIndex() {
        return ignoreIndex;
    }
}
