package io.github.segloss.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.target.MaskBoundary;

/**
 * Boundary IoU (Cheng et al., CVPR 2021) of semantic segmentation, and of a pair of binary masks
 * ({@link #of}), equal to boundary-iou-api with its dilation ratio (0.02 by default).
 *
 * <p>The boundary \( G_d \) of a mask \(G\) is the set of its pixels within \(d\) pixels (Chebyshev
 * distance) of the background or the image border, \( d = \max(1, \mathrm{round}(r \sqrt{H^2 +
 * W^2})) \) ({@link MaskBoundary}: the API's {@code mask_to_boundary}); the Boundary IoU of a
 * ground truth \(G\) and a prediction \(P\) is \( |G_d \cap P_d| / |G_d \cup P_d| \).
 *
 * <p>As an evaluator, for each class \(c\) and image, \(G\) is the pixels labelled \(c\) and \(P\)
 * the pixels predicted \(c\); the intersections \( I_c \) and unions \( U_c \) are summed over the
 * images, and
 *
 * <p>\( \mathrm{mBoundaryIoU} = \frac{1}{|K|} \sum_{c \in K} I_c / U_c \), with \(K\) the classes
 * whose boundary union is non-empty (labelled or predicted somewhere), as {@link MeanIoU} takes its
 * mean; the value is NaN when no class was measured.
 *
 * <p>Ignored pixels count in neither boundary: \( I_c \) and \( U_c \) count labelled pixels only.
 * The masks themselves are those of the whole image: an ignored pixel is outside every labelled
 * mask (so a region's edge along an ignored band is its boundary), while the predicted mask is what
 * was predicted there.
 *
 * <p>Labels ({@code labels.head()}) are {@code (N, H, W)} or {@code (N, 1, H, W)}, integers or
 * whole-number floats, each a class in {@code [0, C)} or the ignore index; predictions ({@code
 * predictions.head()}) are logits {@code (N, C, H, W)}, read as their argmax over axis 1, or class
 * ids of the labels' shape, as for {@link MeanIoU}. The boundaries are computed on the host in
 * O(H·W) per image for all classes at once. The counts are exact integers, so any split of the
 * images across devices or workers, merged ({@link #merge}, {@link #mergeCounts}), gives the number
 * of the whole.
 */
public class BoundaryIoU extends CountingEvaluator<BoundaryCounts> {

    private final int numClasses;
    private final int ignoreIndex;
    private final double dilationRatio;

    /**
     * Creates an evaluator named "boundaryIoU" that ignores label 255, with the dilation ratio
     * 0.02.
     *
     * @param numClasses the number of classes C, at least 1
     */
    public BoundaryIoU(int numClasses) {
        this(
                "boundaryIoU",
                numClasses,
                MeanIoU.DEFAULT_IGNORE_INDEX,
                MaskBoundary.DEFAULT_DILATION_RATIO);
    }

    /**
     * Creates a Boundary IoU evaluator.
     *
     * @param name the name that training logs show
     * @param numClasses the number of classes C, at least 1
     * @param ignoreIndex the label that marks pixels without a class
     * @param dilationRatio the boundary width as a ratio of the image diagonal (0.02 in the paper),
     *     finite and >= 0
     * @throws IllegalArgumentException if numClasses is below 1 or the ratio is negative, NaN or
     *     infinite
     */
    public BoundaryIoU(String name, int numClasses, int ignoreIndex, double dilationRatio) {
        super(name, BoundaryCounts.empty(MeanIoU.requireClasses(numClasses)), BoundaryCounts::plus);
        MaskBoundary.dilation(0, 0, dilationRatio);
        this.numClasses = numClasses;
        this.ignoreIndex = ignoreIndex;
        this.dilationRatio = dilationRatio;
    }

    /**
     * The Boundary IoU of two binary masks of one image: boundary-iou-api's boundaries of both
     * ({@link MaskBoundary#of(boolean[], int, int, double)}), \( |G_d \cap P_d| / |G_d \cup P_d|
     * \).
     *
     * @param gtMask the ground-truth mask, row-major
     * @param dtMask the predicted mask, row-major
     * @param height the masks' height H
     * @param width the masks' width W
     * @param dilationRatio the boundary width as a ratio of the image diagonal (0.02 in the paper)
     * @return the Boundary IoU, NaN when both masks are empty (no boundary at all)
     * @throws IllegalArgumentException if a mask does not hold H·W pixels or the ratio is bad
     */
    public static double of(
            boolean[] gtMask, boolean[] dtMask, int height, int width, double dilationRatio) {
        requirePixels(gtMask, "gtMask", height, width);
        requirePixels(dtMask, "dtMask", height, width);
        boolean[] gt = MaskBoundary.of(gtMask, height, width, dilationRatio);
        boolean[] dt = MaskBoundary.of(dtMask, height, width, dilationRatio);
        long intersection = 0;
        long union = 0;
        for (int i = 0; i < gt.length; i++) {
            intersection += gt[i] && dt[i] ? 1 : 0;
            union += gt[i] || dt[i] ? 1 : 0;
        }
        return union == 0 ? Double.NaN : (double) intersection / union;
    }

    private static void requirePixels(boolean[] mask, String name, int height, int width) {
        if (height < 0 || width < 0 || (long) height * width != mask.length) {
            throw new IllegalArgumentException(
                    name
                            + " must hold height × width = "
                            + height
                            + " × "
                            + width
                            + " pixels, got "
                            + mask.length);
        }
    }

    /**
     * The Boundary IoU of two binary masks {@code (H, W)} of one image, on any engine, as {@link
     * #of(boolean[], boolean[], int, int, double)} (computed on the host).
     *
     * @param gtMask the ground-truth mask {@code (H, W)}, boolean or 0 and 1 of any type
     * @param dtMask the predicted mask of the same shape
     * @param dilationRatio the boundary width as a ratio of the image diagonal (0.02 in the paper)
     * @return the Boundary IoU, NaN when both masks are empty
     * @throws IllegalArgumentException naming the mask if one is not 2-D, the shapes differ, a
     *     value is not 0 or 1, or the ratio is bad
     */
    public static double of(NDArray gtMask, NDArray dtMask, double dilationRatio) {
        Shape shape = gtMask.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("gtMask must be a mask (H, W), got shape " + shape);
        }
        if (!dtMask.getShape().equals(shape)) {
            throw new IllegalArgumentException(
                    "dtMask must have gtMask's shape " + shape + ", got " + dtMask.getShape());
        }
        MaskBoundary.dilation(0, 0, dilationRatio);
        return of(
                MaskBoundary.hostMask(gtMask, "gtMask"),
                MaskBoundary.hostMask(dtMask, "dtMask"),
                (int) shape.get(0),
                (int) shape.get(1),
                dilationRatio);
    }

    /**
     * Returns the number of classes C.
     *
     * @return C
     */
    public int getNumClasses() {
        return numClasses;
    }

    /**
     * Returns the label that marks pixels without a class.
     *
     * @return the ignore index
     */
    public int getIgnoreIndex() {
        return ignoreIndex;
    }

    /**
     * Returns the boundary width as a ratio of the image diagonal.
     *
     * @return the dilation ratio
     */
    public double getDilationRatio() {
        return dilationRatio;
    }

    /**
     * Returns the Boundary IoU of each class, NaN for a class whose boundary union is empty.
     *
     * @param key the accumulator's key
     * @return C values
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public double[] getPerClassIoU(String key) {
        return counts(key).perClassIoU();
    }

    /**
     * Returns the Boundary IoU of each class in the key's last finished epoch (see {@link
     * #getLastEpochAccumulator}).
     *
     * @param key the accumulator's key
     * @return C values, NaN for a class not measured (all NaN if the key was never reset after
     *     counting)
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public double[] getLastEpochPerClassIoU(String key) {
        return lastEpochCounts(key).perClassIoU();
    }

    /**
     * Returns a copy of the accumulated boundary intersections, in pixels.
     *
     * @param key the accumulator's key
     * @return C counts
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public long[] getIntersection(String key) {
        return counts(key).intersection();
    }

    /**
     * Returns a copy of the accumulated boundary unions, in pixels.
     *
     * @param key the accumulator's key
     * @return C counts
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public long[] getUnion(String key) {
        return counts(key).union();
    }

    /**
     * Adds counts to the accumulator of a key, e.g. those of another worker ({@link
     * #getIntersection}, {@link #getUnion}).
     *
     * @param key the accumulator's key
     * @param intersection C boundary intersections, >= 0
     * @param union C boundary unions, each at least its intersection
     * @throws IllegalArgumentException if the key has no accumulator, an array is not of length C,
     *     a count is negative, an intersection exceeds its union, or a sum overflows
     */
    public void mergeCounts(String key, long[] intersection, long[] union) {
        add(key, BoundaryCounts.copyOf(intersection, union, numClasses));
    }

    /**
     * Adds the counts of another evaluator's accumulator to the accumulator of a key.
     *
     * @param key this evaluator's accumulator
     * @param other the other evaluator, e.g. of another device or worker
     * @param otherKey the other evaluator's accumulator
     * @throws IllegalArgumentException if a key has no accumulator or the evaluators differ in
     *     their number of classes, ignore index or dilation ratio
     */
    public void merge(String key, BoundaryIoU other, String otherKey) {
        if (other.numClasses != numClasses
                || other.ignoreIndex != ignoreIndex
                || Double.compare(other.dilationRatio, dilationRatio) != 0) {
            throw new IllegalArgumentException(
                    "other must count as this evaluator does (numClasses "
                            + numClasses
                            + ", ignoreIndex "
                            + ignoreIndex
                            + ", dilationRatio "
                            + dilationRatio
                            + "), got numClasses "
                            + other.numClasses
                            + ", ignoreIndex "
                            + other.ignoreIndex
                            + ", dilationRatio "
                            + other.dilationRatio);
        }
        add(key, other.counts(otherKey));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The mean Boundary IoU over the measured classes, NaN if none was.
     */
    @Override
    float value(BoundaryCounts counts) {
        return (float) counts.mean();
    }

    /** {@inheritDoc} */
    @Override
    BoundaryCounts count(NDList labels, NDList predictions) {
        PixelClasses pixels = PixelClasses.of(labels, predictions, numClasses, ignoreIndex);
        Shape shape = labels.head().getShape();
        int rank = shape.dimension();
        if (rank != 3 && !(rank == 4 && shape.get(1) == 1)) {
            throw new IllegalArgumentException(
                    "labels must be 2-D images (N, H, W) or (N, 1, H, W) for Boundary IoU, got "
                            + shape);
        }
        int height = (int) shape.get(rank - 2);
        int width = (int) shape.get(rank - 1);
        return BoundaryCounts.of(pixels, height, width, numClasses, dilationRatio);
    }
}
