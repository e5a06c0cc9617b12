package io.github.segloss.example.train;

/**
 * How a semantic run fine-tunes: the backbone's share of the learning rate and whether batch
 * normalisation keeps its running statistics.
 *
 * @param backboneLrScale the factor of the backbone's learning rate ({@code --backbone-lr-scale}),
 *     0 or more; 1 trains every parameter at the same rate
 * @param freezeBatchNormStatistics whether batch norm uses and keeps its running statistics in
 *     training too ({@code --freeze-bn-stats})
 */
public record FineTuning(float backboneLrScale, boolean freezeBatchNormStatistics) {

    /** Every parameter at the run's rate, batch-norm statistics updated: plain training. */
    public static final FineTuning NONE = new FineTuning(1f, false);

    /**
     * Checks the scale.
     *
     * @throws IllegalArgumentException if the scale is negative, NaN or infinite
     */
    public FineTuning {
        if (!(backboneLrScale >= 0) || Float.isInfinite(backboneLrScale)) {
            throw new IllegalArgumentException(
                    "--backbone-lr-scale must be a number >= 0, got " + backboneLrScale);
        }
    }
}
