package io.github.segloss.metric;

import io.github.segloss.target.MaskBoundary;
import java.util.Arrays;

/**
 * Per-class boundary intersections and unions in pixels, for a batch or summed over batches: the
 * state of {@link BoundaryIoU}. Counts add element-wise, so batches, devices and workers merge by
 * addition.
 */
final class BoundaryCounts {

    private final long[] intersection;
    private final long[] union;

    private BoundaryCounts(long[] intersection, long[] union) {
        this.intersection = intersection;
        this.union = union;
    }

    /**
     * Returns counts of zeros.
     *
     * @param numClasses the number of classes C
     * @return nothing counted
     */
    static BoundaryCounts empty(int numClasses) {
        return new BoundaryCounts(new long[numClasses], new long[numClasses]);
    }

    /**
     * Counts the boundary pixels of a batch of 2-D images: per image and class c, the boundaries of
     * the labelled mask (labels == c) and the predicted mask (predictions == c), intersected and
     * united over the labelled pixels.
     *
     * @param pixels the pixels' true and predicted classes, row-major over (N, H, W)
     * @param height the images' height H
     * @param width the images' width W
     * @param numClasses the number of classes C
     * @param dilationRatio the boundary width as a ratio of the image diagonal
     * @return the batch's counts
     */
    static BoundaryCounts of(
            PixelClasses pixels, int height, int width, int numClasses, double dilationRatio) {
        long[] intersection = new long[numClasses];
        long[] union = new long[numClasses];
        int size = height * width;
        if (size == 0) {
            return new BoundaryCounts(intersection, union);
        }
        int d = MaskBoundary.dilation(height, width, dilationRatio);
        int[] truth = new int[size];
        int[] predicted = new int[size];
        for (int start = 0; start < pixels.size(); start += size) {
            System.arraycopy(pixels.truth(), start, truth, 0, size);
            System.arraycopy(pixels.predicted(), start, predicted, 0, size);
            boolean[] trueEdge = MaskBoundary.ofLabels(truth, height, width, d);
            boolean[] predictedEdge = MaskBoundary.ofLabels(predicted, height, width, d);
            for (int i = 0; i < size; i++) {
                if (!pixels.isLabelled(start + i)) {
                    continue;
                }
                int t = truth[i];
                int p = predicted[i];
                if (trueEdge[i]) {
                    union[t]++;
                }
                if (predictedEdge[i]) {
                    if (trueEdge[i] && t == p) {
                        intersection[t]++;
                    } else {
                        union[p]++;
                    }
                }
            }
        }
        return new BoundaryCounts(intersection, union);
    }

    /**
     * Wraps copies of given counts, after checking them.
     *
     * @param intersection C boundary intersections
     * @param union C boundary unions
     * @param numClasses the number of classes C
     * @return the counts
     * @throws IllegalArgumentException if an array is null or not of length C, a count is negative,
     *     or an intersection exceeds its union
     */
    static BoundaryCounts copyOf(long[] intersection, long[] union, int numClasses) {
        requireLength(intersection, "intersection", numClasses);
        requireLength(union, "union", numClasses);
        for (int c = 0; c < numClasses; c++) {
            if (intersection[c] < 0 || intersection[c] > union[c]) {
                throw new IllegalArgumentException(
                        "counts must satisfy 0 <= intersection <= union for every class, got"
                                + " intersection "
                                + intersection[c]
                                + " and union "
                                + union[c]
                                + " for class "
                                + c);
            }
        }
        return new BoundaryCounts(intersection.clone(), union.clone());
    }

    private static void requireLength(long[] counts, String name, int numClasses) {
        if (counts == null || counts.length != numClasses) {
            throw new IllegalArgumentException(
                    name
                            + " must hold numClasses = "
                            + numClasses
                            + " counts, got "
                            + (counts == null ? "null" : counts.length));
        }
    }

    /**
     * Adds two counts of the same number of classes.
     *
     * @param other the other counts
     * @return the sums
     * @throws ArithmeticException naming the class, if a sum exceeds {@link Long#MAX_VALUE}
     */
    BoundaryCounts plus(BoundaryCounts other) {
        long[] i = new long[union.length];
        long[] u = new long[union.length];
        for (int c = 0; c < union.length; c++) {
            if (other.union[c] > Long.MAX_VALUE - union[c]) {
                throw new ArithmeticException(
                        "the boundary union of class "
                                + c
                                + " would number "
                                + union[c]
                                + " + "
                                + other.union[c]
                                + " pixels, more than a long holds ("
                                + Long.MAX_VALUE
                                + ")");
            }
            i[c] = intersection[c] + other.intersection[c];
            u[c] = union[c] + other.union[c];
        }
        return new BoundaryCounts(i, u);
    }

    /**
     * Returns a copy of the intersections.
     *
     * @return C counts
     */
    long[] intersection() {
        return intersection.clone();
    }

    /**
     * Returns a copy of the unions.
     *
     * @return C counts
     */
    long[] union() {
        return union.clone();
    }

    /**
     * Returns each class's boundary IoU, NaN where its boundary union is empty.
     *
     * @return C values
     */
    double[] perClassIoU() {
        double[] iou = new double[union.length];
        for (int c = 0; c < union.length; c++) {
            iou[c] = union[c] == 0 ? Double.NaN : (double) intersection[c] / union[c];
        }
        return iou;
    }

    /**
     * Returns the mean boundary IoU over the classes with a non-empty union, NaN if none has.
     *
     * @return the mean
     */
    double mean() {
        double sum = 0;
        int measured = 0;
        for (double iou : perClassIoU()) {
            if (!Double.isNaN(iou)) {
                sum += iou;
                measured++;
            }
        }
        return measured == 0 ? Double.NaN : sum / measured;
    }

    /** {@inheritDoc} Two counts are equal when they hold the same numbers. */
    @Override
    public boolean equals(Object other) {
        return other instanceof BoundaryCounts counts
                && Arrays.equals(intersection, counts.intersection)
                && Arrays.equals(union, counts.union);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(intersection) + Arrays.hashCode(union);
    }
}
