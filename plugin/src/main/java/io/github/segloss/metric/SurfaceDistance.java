package io.github.segloss.metric;

/**
 * Surface distances between predicted and true segmentations, 2-D or 3-D (any rank), with pixel
 * spacing, per class and image, equal to MONAI's {@code compute_hausdorff_distance} (with {@code
 * percentile} and {@code directed}) and {@code compute_average_surface_distance} (with {@code
 * symmetric}), euclidean and without subvoxels.
 *
 * <p>For class \(c\) of an image, \(S_P\) and \(S_L\) are the surfaces (edge pixels, as MONAI's
 * {@code get_mask_edges}) of the predicted and the true mask, \(d(x, S)\) the Euclidean distance
 * with the spacing from pixel \(x\) to the nearest pixel of \(S\), \(D_{PL} = \{d(x, S_L) : x \in
 * S_P\}\) and \(D_{LP} = \{d(y, S_P) : y \in S_L\}\).
 *
 * <ul>
 *   <li>{@link Measure#HAUSDORFF}: \( \max(\max D_{PL}, \max D_{LP}) \), or with a percentile
 *       \(p\), \( \max(q_p(D_{PL}), q_p(D_{LP})) \) (\(q_p\) as {@code torch.quantile}, linear
 *       between ranks); directed ({@code optSymmetric(false)}): \(D_{PL}\) alone.
 *   <li>{@link Measure#AVERAGE}: the mean of \(D_{PL} \cup D_{LP}\) (the average symmetric surface
 *       distance, ASSD); not symmetric: the mean of \(D_{PL}\).
 * </ul>
 *
 * <p>Empty masks, as MONAI: neither mask has a pixel of the class: NaN (left out of the means);
 * exactly one of them has none: +∞ (the means are then +∞, as in MONAI). One difference: MONAI's
 * percentile Hausdorff distance of a class that only one mask has is {@code torch.quantile} of
 * values that are all +∞, which is NaN unless the rank falls exactly on a value; here it is +∞, as
 * its maximum is, so that a missed structure is never silently left out of the mean. Distances are
 * rounded to float32 as MONAI returns them, then reduced in float64.
 *
 * <p>The accumulator reads MONAI's {@code "mean"} reduction of the per-image values ({@link
 * #getPerClass} reads {@code "mean_batch"}); where MONAI gives 0 for nothing measured, it reads
 * NaN. The state is the per-image values ({@link #getPerImage}), so any split of the data across
 * batches, devices or workers ({@link #mergePerImage}) gives the same numbers. By default the
 * background (class 0) is left out and the measures are symmetric, as MONAI's {@code
 * include_background=False}; the cost is two exact distance transforms per class and image, on the
 * host.
 */
public class SurfaceDistance extends SurfaceEvaluator {

    /** What is measured. */
    public enum Measure {
        /** The Hausdorff distance: the maximum, or a percentile, of the surface distances. */
        HAUSDORFF,
        /** The average surface distance. */
        AVERAGE
    }

    private final Measure measure;
    private final double percentile;
    private final boolean symmetric;

    private SurfaceDistance(Builder builder) {
        super(builder.name, builder.numClasses, builder.includeBackground, builder.spacing);
        this.measure = builder.measure;
        this.percentile = builder.percentile;
        this.symmetric = builder.symmetric;
    }

    /**
     * The symmetric Hausdorff distance (maximum), named "HD", without the background.
     *
     * @param numClasses the number of classes C
     * @return the evaluator
     */
    public static SurfaceDistance hausdorff(int numClasses) {
        return builder().setNumClasses(numClasses).optName("HD").build();
    }

    /**
     * The symmetric 95th-percentile Hausdorff distance, named "HD95", without the background.
     *
     * @param numClasses the number of classes C
     * @return the evaluator
     */
    public static SurfaceDistance hausdorff95(int numClasses) {
        return builder().setNumClasses(numClasses).optPercentile(95).optName("HD95").build();
    }

    /**
     * The average symmetric surface distance, named "ASSD", without the background.
     *
     * @param numClasses the number of classes C
     * @return the evaluator
     */
    public static SurfaceDistance averageSymmetric(int numClasses) {
        return builder()
                .setNumClasses(numClasses)
                .optMeasure(Measure.AVERAGE)
                .optName("ASSD")
                .build();
    }

    /**
     * Returns a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    double value(float[] predToLabel, float[] labelToPred, int c) {
        if (measure == Measure.AVERAGE) {
            double sum = 0;
            for (float d : predToLabel) {
                sum += d;
            }
            int count = predToLabel.length;
            if (symmetric) {
                for (float d : labelToPred) {
                    sum += d;
                }
                count += labelToPred.length;
            }
            return count == 0 ? Double.NaN : sum / count;
        }
        double value = hausdorff(predToLabel);
        return symmetric ? Math.max(value, hausdorff(labelToPred)) : value;
    }

    /** The maximum or the percentile of some distances, NaN for none. */
    private double hausdorff(float[] distances) {
        if (distances.length == 0) {
            return Double.NaN;
        }
        if (percentile == 0) {
            float max = Float.NEGATIVE_INFINITY;
            for (float d : distances) {
                max = Math.max(max, d);
            }
            return max;
        }
        return Quantiles.quantile(distances, percentile);
    }

    /** Builds a {@link SurfaceDistance}. */
    public static final class Builder {

        private String name;
        private int numClasses;
        private boolean includeBackground;
        private double[] spacing;
        private Measure measure = Measure.HAUSDORFF;
        private double percentile;
        private boolean symmetric = true;

        private Builder() {}

        /**
         * Sets the number of classes C (required).
         *
         * @param numClasses C, at least 1
         * @return this builder
         */
        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /**
         * Sets what is measured (default {@link Measure#HAUSDORFF}).
         *
         * @param measure the measure
         * @return this builder
         */
        public Builder optMeasure(Measure measure) {
            this.measure = measure;
            return this;
        }

        /**
         * Sets the percentile of the Hausdorff distance, e.g. 95 (default: the maximum).
         *
         * @param percentile in (0, 100]
         * @return this builder
         */
        public Builder optPercentile(double percentile) {
            if (!(percentile > 0 && percentile <= 100)) {
                throw new IllegalArgumentException(
                        "percentile must be in (0, 100], got "
                                + percentile
                                + " (MONAI reads 0 as the maximum: leave it unset for that)");
            }
            this.percentile = percentile;
            return this;
        }

        /**
         * Sets whether both directions count (default true): false gives MONAI's {@code
         * directed=True} Hausdorff distance and its default {@code symmetric=False} average surface
         * distance, from the prediction's surface to the label's.
         *
         * @param symmetric whether both directions count
         * @return this builder
         */
        public Builder optSymmetric(boolean symmetric) {
            this.symmetric = symmetric;
            return this;
        }

        /**
         * Sets whether class 0 is measured (default false, as MONAI's {@code include_background}).
         *
         * @param includeBackground whether class 0 is measured
         * @return this builder
         */
        public Builder optIncludeBackground(boolean includeBackground) {
            this.includeBackground = includeBackground;
            return this;
        }

        /**
         * Sets the pixel spacing, one value per spatial axis (default 1 on every axis).
         *
         * @param spacing positive, finite values
         * @return this builder
         */
        public Builder optSpacing(double... spacing) {
            this.spacing = checkedSpacing(spacing);
            return this;
        }

        /**
         * Sets the name that training logs show (default "HD", "HD95", "ASSD" or "ASD" after the
         * measure).
         *
         * @param name the name
         * @return this builder
         */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        /**
         * Builds the evaluator.
         *
         * @return the evaluator
         * @throws IllegalArgumentException if C is below 1, or a percentile is set for {@link
         *     Measure#AVERAGE}
         */
        public SurfaceDistance build() {
            if (numClasses < 1) {
                throw new IllegalArgumentException(
                        "numClasses must be >= 1 (setNumClasses), got " + numClasses);
            }
            if (measure == null) {
                throw new IllegalArgumentException("measure must not be null");
            }
            if (measure == Measure.AVERAGE && percentile != 0) {
                throw new IllegalArgumentException(
                        "percentile applies to Measure.HAUSDORFF only, got percentile "
                                + percentile
                                + " with Measure.AVERAGE");
            }
            if (name == null) {
                name =
                        measure == Measure.AVERAGE
                                ? (symmetric ? "ASSD" : "ASD")
                                : (percentile == 0 ? "HD" : "HD" + percentileName());
            }
            return new SurfaceDistance(this);
        }

        private String percentileName() {
            return percentile == Math.rint(percentile)
                    ? Long.toString((long) percentile)
                    : Double.toString(percentile);
        }
    }
}
