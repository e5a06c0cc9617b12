package io.github.segloss.metric;

import ai.djl.ndarray.NDList;

/**
 * One of the three mask metrics that detectron2 logs in {@code mask_rcnn_loss}: accuracy,
 * false-positive rate or false-negative rate of the predicted masks at the ground-truth class.
 *
 * <p>Inputs are those of {@link io.github.segloss.loss.MaskRcnnMaskLoss}: predictions {@code
 * NDList(maskLogits)} with {@code maskLogits} {@code (R, K, M, M)}, labels {@code NDList(classIds
 * (R), targets (R, M, M))} with targets in [0, 1]. For RoI r the logits of channel \( k_r \) =
 * {@code classIds[r]} (channel 0 when class agnostic) are read. A pixel is predicted foreground
 * where \( x_{r,k_r,u,v} > 0 \), is foreground where \( t_{r,u,v} > 0.5 \), and is incorrect where
 * the two differ. With \(T = R M^2\) pixels, \(P\) foreground pixels, \(I\) incorrect ones, \(FP\)
 * incorrect background and \(FN\) incorrect foreground pixels, the {@link Kind}s are
 *
 * <ul>
 *   <li>accuracy \( 1 - I / \max(T, 1) \),
 *   <li>false-positive rate \( FP / \max(T - P, 1) \),
 *   <li>false-negative rate \( FN / \max(P, 1) \).
 * </ul>
 *
 * <p>The accumulators sum the counts over batches and devices (the ratio of summed counts, not the
 * mean of per-batch ratios); zero RoIs add nothing, and an accumulator that has counted nothing
 * reads NaN, as does {@link #evaluate} on zero RoIs.
 */
public class MaskRcnnMaskMetric extends CountingEvaluator<MaskCounts> {

    /** Which ratio of the mask counts the metric reports. */
    public enum Kind {
        /** \( 1 - I / \max(T, 1) \), detectron2's {@code mask_rcnn/accuracy}. */
        ACCURACY("mask_rcnn/accuracy"),
        /** \( FP / \max(T - P, 1) \), detectron2's {@code mask_rcnn/false_positive}. */
        FALSE_POSITIVE_RATE("mask_rcnn/false_positive"),
        /** \( FN / \max(P, 1) \), detectron2's {@code mask_rcnn/false_negative}. */
        FALSE_NEGATIVE_RATE("mask_rcnn/false_negative");

        private final String defaultName;

        Kind(String defaultName) {
            this.defaultName = defaultName;
        }

        /**
         * Returns the name detectron2 logs this metric under.
         *
         * @return e.g. "mask_rcnn/accuracy"
         */
        public String getDefaultName() {
            return defaultName;
        }

        /**
         * Computes this ratio from the counts, NaN if no pixel was counted.
         *
         * @param counts the mask counts
         * @return the ratio
         */
        float of(MaskCounts counts) {
            if (counts.total() == 0) {
                return Float.NaN;
            }
            double value =
                    switch (this) {
                        case ACCURACY -> 1 - (double) counts.incorrect() / counts.total();
                        case FALSE_POSITIVE_RATE ->
                                (double) counts.falsePositives()
                                        / Math.max(counts.total() - counts.positives(), 1);
                        case FALSE_NEGATIVE_RATE ->
                                (double) counts.falseNegatives() / Math.max(counts.positives(), 1);
                    };
            return (float) value;
        }
    }

    private final Kind kind;
    private final boolean classAgnostic;

    /**
     * Creates a mask metric.
     *
     * @param name the name that training logs show
     * @param kind which ratio to report
     * @param classAgnostic whether the head predicts one class-agnostic mask per RoI (K = 1,
     *     channel 0 is read whatever the class ids)
     */
    public MaskRcnnMaskMetric(String name, Kind kind, boolean classAgnostic) {
        super(name, MaskCounts.NONE, MaskCounts::plus);
        this.kind = kind;
        this.classAgnostic = classAgnostic;
    }

    /** {@inheritDoc} */
    @Override
    MaskCounts count(NDList labels, NDList predictions) {
        return MaskCounts.of(labels, predictions, classAgnostic);
    }

    /**
     * {@inheritDoc}
     *
     * <p>This metric's ratio, NaN for zero RoIs.
     */
    @Override
    float value(MaskCounts counts) {
        return kind.of(counts);
    }

    /**
     * Returns which ratio this metric reports.
     *
     * @return the kind
     */
    public Kind getKind() {
        return kind;
    }

    /**
     * Tells whether the head predicts one class-agnostic mask per RoI (K = 1).
     *
     * @return true if class agnostic
     */
    public boolean isClassAgnostic() {
        return classAgnostic;
    }
}
