package io.github.segloss.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import io.github.segloss.internal.MaskHeadInputs;
import io.github.segloss.internal.ValueChecks;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The RoI IoUs behind {@link MaskIoU}, for a batch or summed over batches, kept as exact integers.
 *
 * <p>The IoU of RoI r is the fraction \( I_r / U_r \) of two pixel counts. RoIs are grouped by
 * their union \(U\): for each union \(u\) and class \(c\) the sum of the intersections \( S_{u,c} =
 * \sum_{r: U_r = u, k_r = c} I_r \) is kept, with the number of RoIs \( R_c \) of each class. The
 * sum of a class's IoUs is then \( \sum_u S_{u,c} / u \) exactly, and summing two batches adds
 * their integers: the counts of a batch split across devices, or merged from several evaluators,
 * are the counts of the whole, and the numbers read from them (computed in one fixed order, by
 * increasing union) are identical to the last bit. A RoI whose prediction and target are both empty
 * (\( U_r = 0 \)) has IoU 1 and is kept as \( I = U = 1 \).
 *
 * <p>Counts are longs; a sum beyond {@link Long#MAX_VALUE} can only come from merged counts and
 * raises an {@link ArithmeticException}, which the evaluator reports with the accumulator's name.
 */
final class RoiIoUs {

    private final long[] rois;
    private final NavigableMap<Long, long[]> intersections;

    private RoiIoUs(long[] rois, NavigableMap<Long, long[]> intersections) {
        this.rois = rois;
        this.intersections = Collections.unmodifiableNavigableMap(intersections);
    }

    /**
     * Returns the counts of no RoI.
     *
     * @param classes the number of classes
     * @return the empty counts
     */
    static RoiIoUs empty(int classes) {
        return new RoiIoUs(new long[classes], new TreeMap<>());
    }

    /**
     * Counts the RoIs of a batch; zero RoIs count nothing.
     *
     * @param labels {@code NDList(classIds (R), targets (R, M, M))}
     * @param predictions {@code NDList(maskLogits (R, K, M, M))}
     * @param classAgnostic whether the head predicts one class-agnostic mask per RoI (K = 1)
     * @param classes the number of classes C
     * @return the batch's counts
     * @throws IllegalArgumentException as {@link MaskHeadInputs#of} does, if a class-specific
     *     head's K is not C, or if a class id lies outside {@code [0, C)}
     */
    static RoiIoUs of(NDList labels, NDList predictions, boolean classAgnostic, int classes) {
        NDArray logits = predictions.head();
        if (!classAgnostic && logits.getShape().dimension() == 4) {
            long channels = logits.getShape().get(1);
            if (channels != classes) {
                throw new IllegalArgumentException(
                        "maskLogits of a class-specific mask head must have K = classes = "
                                + classes
                                + " channels, got "
                                + logits.getShape());
            }
        }
        MaskHeadInputs inputs = MaskHeadInputs.of(labels, predictions, classAgnostic);
        if (classAgnostic) {
            // the logits' single channel says nothing about the classes the RoIs are counted under
            ValueChecks.requireClassOrIgnore(
                    inputs.classIds(), "classIds", classes, ValueChecks.NO_IGNORE);
        }
        if (inputs.rois() == 0) {
            return empty(classes);
        }
        long[] counts;
        long[] classIds;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray predicted = inputs.selectedLogits().gt(0);
            NDArray truth = inputs.targets().gt(0.5);
            int[] grid = {1, 2};
            NDList sums =
                    new NDList(
                            predicted.logicalAnd(truth).toType(DataType.INT64, false).sum(grid),
                            predicted.logicalOr(truth).toType(DataType.INT64, false).sum(grid));
            counts = NDArrays.stack(sums).toType(DataType.INT64, false).toLongArray();
            classIds = inputs.classIds().toType(DataType.INT64, false).toLongArray();
        }
        int r = classIds.length;
        long[] perClass = new long[classes];
        NavigableMap<Long, long[]> byUnion = new TreeMap<>();
        for (int i = 0; i < r; i++) {
            int c = (int) classIds[i];
            long intersection = counts[i];
            long union = counts[r + i];
            if (union == 0) {
                intersection = 1;
                union = 1;
            }
            perClass[c]++;
            byUnion.computeIfAbsent(union, u -> new long[classes])[c] += intersection;
        }
        return new RoiIoUs(perClass, byUnion);
    }

    /**
     * Adds the counts of two batches of the same classes.
     *
     * @param other the other counts
     * @return the sums ({@code this} or {@code other} itself if the other has no RoI)
     * @throws ArithmeticException naming the count, if a sum exceeds {@link Long#MAX_VALUE}
     */
    RoiIoUs plus(RoiIoUs other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        long[] perClass = new long[rois.length];
        for (int c = 0; c < rois.length; c++) {
            perClass[c] = add(rois[c], other.rois[c], "RoIs of class " + c);
        }
        NavigableMap<Long, long[]> byUnion = new TreeMap<>();
        intersections.forEach((u, s) -> byUnion.put(u, s.clone()));
        for (Map.Entry<Long, long[]> entry : other.intersections.entrySet()) {
            long[] sum = byUnion.computeIfAbsent(entry.getKey(), u -> new long[rois.length]);
            for (int c = 0; c < rois.length; c++) {
                sum[c] =
                        add(
                                sum[c],
                                entry.getValue()[c],
                                "intersections of class " + c + " at union " + entry.getKey());
            }
        }
        return new RoiIoUs(perClass, byUnion);
    }

    private static long add(long a, long b, String what) {
        if (b > Long.MAX_VALUE - a) {
            throw new ArithmeticException(
                    "the "
                            + what
                            + " would number "
                            + a
                            + " + "
                            + b
                            + ", more than a long holds ("
                            + Long.MAX_VALUE
                            + ")");
        }
        return a + b;
    }

    /**
     * Returns the number of classes C.
     *
     * @return C
     */
    int classes() {
        return rois.length;
    }

    /**
     * Tells whether no RoI was counted.
     *
     * @return true if there is none
     */
    boolean isEmpty() {
        return intersections.isEmpty();
    }

    /**
     * Returns each class's mean RoI IoU, \( \frac{1}{R_c} \sum_u S_{u,c} / u \), NaN for a class
     * without RoIs.
     *
     * @return C values
     */
    double[] perClassIoU() {
        double[] iou = new double[rois.length];
        for (int c = 0; c < rois.length; c++) {
            double sum = 0;
            for (Map.Entry<Long, long[]> entry : intersections.entrySet()) {
                sum += (double) entry.getValue()[c] / entry.getKey();
            }
            iou[c] = rois[c] == 0 ? Double.NaN : sum / rois[c];
        }
        return iou;
    }

    /**
     * Returns the mean IoU over all RoIs, \( \frac{1}{\sum_c R_c} \sum_u (\sum_c S_{u,c}) / u \),
     * NaN if there is none.
     *
     * @return the mean
     */
    double meanIoU() {
        if (isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (Map.Entry<Long, long[]> entry : intersections.entrySet()) {
            long intersection = 0;
            for (long s : entry.getValue()) {
                intersection = add(intersection, s, "intersections at union " + entry.getKey());
            }
            sum += (double) intersection / entry.getKey();
        }
        long total = 0;
        for (long n : rois) {
            total = add(total, n, "RoIs");
        }
        return sum / total;
    }
}
