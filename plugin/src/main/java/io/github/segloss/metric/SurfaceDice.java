package io.github.segloss.metric;

import java.util.Arrays;

/**
 * The normalised surface Dice (NSD, Nikolov et al. 2021) at a tolerance, per class and image, 2-D
 * or 3-D (any rank), with pixel spacing, equal to MONAI's {@code compute_surface_dice} (euclidean,
 * without subvoxels).
 *
 * <p>With the surfaces and distance sets of {@link SurfaceDistance} and \(\tau_c\) the tolerance of
 * class \(c\): \( \mathrm{NSD}_c = \frac{|\{d \in D_{PL} : d \le \tau_c\}| + |\{d \in D_{LP} : d
 * \le \tau_c\}|}{|D_{PL}| + |D_{LP}|} \), in [0, 1]. A class that neither mask has is NaN (left out
 * of the means); a class that only one of them has is 0, as in MONAI. The distances and the
 * tolerance are compared as float32, as MONAI compares its float32 distances with a Python float.
 *
 * <p>The accumulator reads MONAI's {@code "mean"} reduction of the per-image values ({@link
 * #getPerClass} reads {@code "mean_batch"}), NaN where MONAI gives 0 for nothing measured; the
 * state is the per-image values, so any split of the data merges to the same numbers ({@link
 * #mergePerImage}). Tolerances are given per class id from 0 (MONAI's {@code class_thresholds} list
 * starts after the background when it is left out), or one for every class.
 */
public class SurfaceDice extends SurfaceEvaluator {

    private final float[] tolerances;

    private SurfaceDice(Builder builder, float[] tolerances) {
        super(builder.name, builder.numClasses, builder.includeBackground, builder.spacing);
        this.tolerances = tolerances;
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
        int total = predToLabel.length + labelToPred.length;
        if (total == 0) {
            return Double.NaN;
        }
        float tolerance = tolerances[c];
        int within = 0;
        for (float d : predToLabel) {
            within += d <= tolerance ? 1 : 0;
        }
        for (float d : labelToPred) {
            within += d <= tolerance ? 1 : 0;
        }
        return (double) within / total;
    }

    /** Builds a {@link SurfaceDice}. */
    public static final class Builder {

        private String name = "NSD";
        private int numClasses;
        private boolean includeBackground;
        private double[] spacing;
        private double[] tolerances;

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
         * Sets the tolerance (required), in the spacing's unit: one for every class, or one per
         * class id from 0 (C values; the background's is not read when it is left out).
         *
         * @param tolerances finite values >= 0
         * @return this builder
         */
        public Builder setTolerance(double... tolerances) {
            this.tolerances = tolerances == null ? null : tolerances.clone();
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
            this.spacing = SurfaceEvaluator.checkedSpacing(spacing);
            return this;
        }

        /**
         * Sets the name that training logs show (default "NSD").
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
         * @throws IllegalArgumentException if C is below 1, the tolerance is missing, has neither 1
         *     nor C values, or a value is negative or not finite
         */
        public SurfaceDice build() {
            if (numClasses < 1) {
                throw new IllegalArgumentException(
                        "numClasses must be >= 1 (setNumClasses), got " + numClasses);
            }
            if (tolerances == null || (tolerances.length != 1 && tolerances.length != numClasses)) {
                throw new IllegalArgumentException(
                        "tolerance must have 1 or numClasses = "
                                + numClasses
                                + " values (setTolerance), got "
                                + (tolerances == null ? "none" : Arrays.toString(tolerances)));
            }
            float[] perClass = new float[numClasses];
            for (int c = 0; c < numClasses; c++) {
                double t = tolerances[tolerances.length == 1 ? 0 : c];
                if (!(t >= 0) || Double.isInfinite(t)) {
                    throw new IllegalArgumentException(
                            "tolerance must be finite and >= 0 for every class, got "
                                    + Arrays.toString(tolerances));
                }
                perClass[c] = (float) t;
            }
            return new SurfaceDice(this, perClass);
        }
    }
}
