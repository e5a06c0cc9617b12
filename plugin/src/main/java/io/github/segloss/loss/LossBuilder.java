package io.github.segloss.loss;

/**
 * The settings every loss of this package shares: its display name and the optional finiteness
 * check of its predictions. Each loss's {@code builder()} returns a subclass that adds the loss's
 * own settings; the setters return the concrete builder, so calls chain in any order.
 *
 * @param <B> the concrete builder
 */
public abstract class LossBuilder<B extends LossBuilder<B>> {

    private String name;
    private boolean checkFinite;

    LossBuilder(String defaultName) {
        this.name = defaultName;
    }

    /**
     * Returns this builder as its concrete type.
     *
     * @return this builder
     */
    protected abstract B self();

    /**
     * Sets the name that training logs show for this loss (default: the loss's class name, or for
     * {@link WeightedLoss} the inner loss's name; for a combination, the name of its total).
     *
     * @param name the display name
     * @return this builder
     */
    public B optName(String name) {
        this.name = name;
        return self();
    }

    /**
     * Sets whether {@code evaluate} first checks that every value of the predictions the loss reads
     * is finite (default false): the logits (or probabilities) of a single loss, the mask logits of
     * {@link MaskRcnnMaskLoss}, the prediction of {@link MaskedL2Loss}, and every floating-point
     * prediction of each term or head of a combination. When on, a NaN or an infinity raises an
     * {@link IllegalArgumentException} with the number of bad values and the position of the first,
     * e.g. {@code logits must be finite: 3 of 5376 values are not (first: NaN at [1, 4, 0, 7])}
     * (combinations name the prediction and head, e.g. {@code predictions[1] of head aux}); the
     * check costs one device-to-host copy of a boolean per checked prediction and call. When off,
     * non-finite input passes through unchanged.
     *
     * @param checkFinite true to check the predictions
     * @return this builder
     */
    public B optCheckFinite(boolean checkFinite) {
        this.checkFinite = checkFinite;
        return self();
    }

    /** The display name set, or the default. */
    String name() {
        return name;
    }

    /** Whether the predictions are checked for finiteness. */
    boolean checkFinite() {
        return checkFinite;
    }
}
