package io.github.segloss.target;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.HostArrays;
import io.github.segloss.internal.Shapes;
import io.github.segloss.internal.ValueChecks;

/**
 * The inner boundary of binary masks and label maps, as Boundary IoU (Cheng et al., CVPR 2021)
 * defines it: boundary-iou-api's {@code mask_to_boundary(mask, dilation_ratio)}, computed on the
 * host.
 *
 * <p>The API pads the mask with one zero pixel on every side ({@code cv2.copyMakeBorder}), erodes
 * it {@code d} times with a 3×3 kernel of ones ({@code cv2.erode}, whose own border never erodes)
 * and subtracts the eroded mask from the mask, with \( d = \max(1, \mathrm{round}(r \sqrt{H^2 +
 * W^2})) \) pixels ({@link #dilation}; Python's {@code round}, halves to even). A foreground pixel
 * is therefore on the boundary exactly when a background pixel or the padding frame lies within
 * Chebyshev distance {@code d} (at most {@code d} rows and {@code d} columns away): the mask's
 * pixels along the image border are boundary pixels too.
 *
 * <p>Erosion by a (2d+1)×(2d+1) square is separable, and for one label per pixel each line is a
 * sequence of runs: a pixel survives a line's erosion when its run reaches more than {@code d}
 * pixels to either side. Two passes (rows, then columns) over the pixels compute the boundary in
 * O(H·W), whatever {@code d}. {@link #ofLabels} does this for every region of a label map at once
 * (each pixel is on the boundary of its own label's mask), so the boundaries of C classes cost one
 * pass, not C.
 */
public final class MaskBoundary {

    /** The dilation ratio of the Boundary IoU paper and of boundary-iou-api's default. */
    public static final double DEFAULT_DILATION_RATIO = 0.02;

    private MaskBoundary() {}

    /**
     * The boundary width in pixels of boundary-iou-api for an image: \( \max(1, \mathrm{round}(r
     * \sqrt{H^2 + W^2})) \), rounded half to even as Python's {@code round} does, at most {@link
     * Integer#MAX_VALUE} (any width of {@code max(H, W)} or more gives the same boundary: the whole
     * mask).
     *
     * @param height the image height H, >= 0
     * @param width the image width W, >= 0
     * @param dilationRatio the ratio r of the image diagonal, finite and >= 0
     * @return the width d, >= 1
     * @throws IllegalArgumentException if a size is negative or the ratio is negative, NaN or
     *     infinite
     */
    public static int dilation(long height, long width, double dilationRatio) {
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException(
                    "height and width must be >= 0, got " + height + " and " + width);
        }
        requireRatio(dilationRatio);
        double diagonal = Math.sqrt((double) height * height + (double) width * width);
        double rounded = Math.rint(dilationRatio * diagonal);
        return (int) Math.max(1, Math.min(rounded, Integer.MAX_VALUE));
    }

    /**
     * Requires a dilation ratio that is finite and not negative.
     *
     * @param dilationRatio the ratio
     * @throws IllegalArgumentException naming the ratio if it is negative, NaN or infinite
     */
    static void requireRatio(double dilationRatio) {
        if (!(dilationRatio >= 0) || Double.isInfinite(dilationRatio)) {
            throw new IllegalArgumentException(
                    "dilationRatio must be finite and >= 0 (the API's default is "
                            + DEFAULT_DILATION_RATIO
                            + "), got "
                            + dilationRatio);
        }
    }

    /**
     * The boundary of one binary mask on the host: boundary-iou-api's {@code mask_to_boundary(mask,
     * dilationRatio)}.
     *
     * @param mask the mask, row-major: true for a foreground pixel
     * @param height the mask's height H
     * @param width the mask's width W
     * @param dilationRatio the ratio r of the image diagonal (0.02 in the paper), finite and >= 0
     * @return the boundary, row-major: the foreground pixels within {@link #dilation} pixels of the
     *     background or the image border
     * @throws IllegalArgumentException if H·W is not the mask's length or the ratio is bad
     */
    public static boolean[] of(boolean[] mask, int height, int width, double dilationRatio) {
        requireSize(mask.length, height, width, "mask");
        int[] labels = new int[mask.length];
        for (int i = 0; i < mask.length; i++) {
            labels[i] = mask[i] ? 1 : 0;
        }
        boolean[] boundary =
                ofLabels(labels, height, width, dilation(height, width, dilationRatio));
        for (int i = 0; i < mask.length; i++) {
            boundary[i] &= mask[i];
        }
        return boundary;
    }

    /**
     * The boundary of each mask of an array, as {@link #of(boolean[], int, int, double)}, computed
     * on the host.
     *
     * @param masks the masks {@code (H, W)} or {@code (..., H, W)} (leading axes enumerate masks),
     *     boolean or numbers 0 and 1 of any type
     * @param dilationRatio the ratio r of the image diagonal (0.02 in the paper), finite and >= 0
     * @return the boundaries, 1 on the boundary and 0 elsewhere, of the masks' shape and type
     *     (boolean stays boolean), on their device
     * @throws IllegalArgumentException if the masks have fewer than 2 axes, a value other than 0
     *     and 1 (named with its position), or the ratio is bad
     */
    public static NDArray of(NDArray masks, double dilationRatio) {
        requireRatio(dilationRatio);
        Shape shape = masks.getShape();
        boolean[] foreground = hostMask(masks, "masks");
        int height = (int) shape.get(shape.dimension() - 2);
        int width = (int) shape.get(shape.dimension() - 1);
        int size = height * width;
        int d = dilation(height, width, dilationRatio);
        double[] out = new double[foreground.length];
        int[] labels = new int[size];
        for (int start = 0; size > 0 && start < foreground.length; start += size) {
            for (int i = 0; i < size; i++) {
                labels[i] = foreground[start + i] ? 1 : 0;
            }
            boolean[] boundary = ofLabels(labels, height, width, d);
            for (int i = 0; i < size; i++) {
                out[start + i] = boundary[i] && foreground[start + i] ? 1 : 0;
            }
        }
        return HostArrays.of(masks, out, shape, masks.getDataType());
    }

    /**
     * Copies binary masks of at least 2 axes to the host, after checking them.
     *
     * @param masks the masks {@code (..., H, W)}, boolean or 0 and 1 of any numeric type
     * @param name the argument's name for messages
     * @return true for each foreground pixel, row-major
     * @throws IllegalArgumentException naming the argument if the rank, type or a value is bad, or
     *     it holds more than {@link Integer#MAX_VALUE} pixels
     */
    public static boolean[] hostMask(NDArray masks, String name) {
        Shape shape = masks.getShape();
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException(
                    name + " must be binary masks (H, W) or (..., H, W), got shape " + shape);
        }
        if (shape.size() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    name
                            + " must hold at most "
                            + Integer.MAX_VALUE
                            + " pixels, got "
                            + shape.size()
                            + " of shape "
                            + shape);
        }
        boolean[] foreground = new boolean[(int) shape.size()];
        if (foreground.length == 0) {
            return foreground;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray values = masks;
            if (masks.getDataType() != DataType.BOOLEAN) {
                Shapes.requireNumeric(masks, name);
                ValueChecks.requireClassOrIgnore(masks, name, 2, ValueChecks.NO_IGNORE);
                values = masks.neq(0);
            }
            int[] flags = values.toType(DataType.INT32, false).toIntArray();
            for (int i = 0; i < flags.length; i++) {
                foreground[i] = flags[i] != 0;
            }
        }
        return foreground;
    }

    /**
     * The boundary of every region of a label map at once: a pixel is on its own label's boundary
     * when a pixel of another label, or the padding frame around the map, lies within Chebyshev
     * distance {@code d}. For the mask of any label {@code c}, {@code boundary[i] && labels[i] ==
     * c} is {@code mask_to_boundary(labels == c)} with that width.
     *
     * @param labels the label map, row-major, any int values
     * @param height the map's height H
     * @param width the map's width W
     * @param d the boundary width in pixels ({@link #dilation}), >= 1
     * @return true for each pixel on the boundary of its label's region
     * @throws IllegalArgumentException if H·W is not the map's length or d is below 1
     */
    public static boolean[] ofLabels(int[] labels, int height, int width, int d) {
        requireSize(labels.length, height, width, "labels");
        if (d < 1) {
            throw new IllegalArgumentException("d must be >= 1, got " + d);
        }
        // rows: interior where the run of equal labels reaches more than d pixels on both sides
        boolean[] rowInterior = new boolean[labels.length];
        for (int y = 0; y < height; y++) {
            int rowStart = y * width;
            int start = 0;
            while (start < width) {
                int end = start;
                int label = labels[rowStart + start];
                while (end + 1 < width && labels[rowStart + end + 1] == label) {
                    end++;
                }
                markInterior(rowInterior, rowStart, 1, start, end, d);
                start = end + 1;
            }
        }
        // columns: interior where the run of row-interior pixels of equal labels reaches as far
        boolean[] interior = new boolean[labels.length];
        for (int x = 0; x < width; x++) {
            int start = 0;
            while (start < height) {
                int first = start * width + x;
                if (!rowInterior[first]) {
                    start++;
                    continue;
                }
                int end = start;
                while (end + 1 < height
                        && rowInterior[(end + 1) * width + x]
                        && labels[(end + 1) * width + x] == labels[first]) {
                    end++;
                }
                markInterior(interior, x, width, start, end, d);
                start = end + 1;
            }
        }
        boolean[] boundary = interior;
        for (int i = 0; i < boundary.length; i++) {
            boundary[i] = !interior[i];
        }
        return boundary;
    }

    /**
     * Marks the positions of a run {@code [start, end]} on a line that lie more than {@code d}
     * positions from both of its ends (positions before 0 and after the line count as ends).
     */
    private static void markInterior(
            boolean[] out, int offset, int stride, int start, int end, int d) {
        for (int k = start + d; k <= end - d; k++) {
            out[offset + k * stride] = true;
        }
    }

    private static void requireSize(int length, int height, int width, String name) {
        if (height < 0 || width < 0 || (long) height * width != length) {
            throw new IllegalArgumentException(
                    name
                            + " must hold height × width = "
                            + height
                            + " × "
                            + width
                            + " pixels, got "
                            + length);
        }
    }
}
