package io.github.segloss.metric;

/**
 * What {@link SegmentationReport} reports for a class that is absent from both the labels and the
 * predictions (no labelled pixel of the class, none predicted as it): its IoU, Dice, precision and
 * recall are all \(0/0\).
 *
 * <p>The policy decides the per-class values of such a class and whether it enters the macro
 * averages. It does not change the micro averages (an absent class adds no pixel to them) nor the
 * frequency-weighted ones (an absent class has no labelled pixel, hence weight 0).
 */
public enum AbsentClassPolicy {

    /**
     * The class's values are NaN and so is every macro average: the report shows that a class was
     * never seen instead of hiding it. This is what a plain mean of smp's per-class scores gives
     * with {@code zero_division=float("nan")}.
     */
    NAN,

    /**
     * The class's values are NaN and the macro averages are taken over the other classes only
     * (NaN-mean): the default, as {@link MeanIoU}, mmsegmentation's mIoU and torchmetrics' (1.9)
     * macro averages of multiclass scores do.
     */
    EXCLUDED,

    /**
     * The class's values are 1 and count as such in the macro averages: nothing to find, nothing
     * missed. This is smp's default ({@code zero_division=1.0}) for a class absent from both.
     */
    ONE
}
