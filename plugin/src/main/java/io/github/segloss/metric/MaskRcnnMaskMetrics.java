package io.github.segloss.metric;

import java.util.List;

/**
 * Creates the Mask R-CNN mask metrics under the names detectron2 logs them with ({@code
 * mask_rcnn/accuracy}, {@code mask_rcnn/false_positive}, {@code mask_rcnn/false_negative}).
 */
public final class MaskRcnnMaskMetrics {

    private MaskRcnnMaskMetrics() {}

    /**
     * Returns the mask accuracy \( 1 - I / \max(T, 1) \) of a class-specific head.
     *
     * @return the metric
     */
    public static MaskRcnnMaskMetric accuracy() {
        return of(MaskRcnnMaskMetric.Kind.ACCURACY, false);
    }

    /**
     * Returns the false-positive rate \( FP / \max(T - P, 1) \) of a class-specific head.
     *
     * @return the metric
     */
    public static MaskRcnnMaskMetric falsePositiveRate() {
        return of(MaskRcnnMaskMetric.Kind.FALSE_POSITIVE_RATE, false);
    }

    /**
     * Returns the false-negative rate \( FN / \max(P, 1) \) of a class-specific head.
     *
     * @return the metric
     */
    public static MaskRcnnMaskMetric falseNegativeRate() {
        return of(MaskRcnnMaskMetric.Kind.FALSE_NEGATIVE_RATE, false);
    }

    /**
     * Returns the three metrics (accuracy, false-positive rate, false-negative rate), e.g. for
     * {@code DefaultTrainingConfig.addEvaluators}.
     *
     * @param classAgnostic whether the head predicts one class-agnostic mask per RoI (K = 1)
     * @return the three metrics
     */
    public static List<MaskRcnnMaskMetric> all(boolean classAgnostic) {
        return List.of(
                of(MaskRcnnMaskMetric.Kind.ACCURACY, classAgnostic),
                of(MaskRcnnMaskMetric.Kind.FALSE_POSITIVE_RATE, classAgnostic),
                of(MaskRcnnMaskMetric.Kind.FALSE_NEGATIVE_RATE, classAgnostic));
    }

    /**
     * Returns one metric under detectron2's name for it.
     *
     * @param kind which ratio to report
     * @param classAgnostic whether the head predicts one class-agnostic mask per RoI (K = 1)
     * @return the metric
     */
    public static MaskRcnnMaskMetric of(MaskRcnnMaskMetric.Kind kind, boolean classAgnostic) {
        return new MaskRcnnMaskMetric(kind.getDefaultName(), kind, classAgnostic);
    }
}
