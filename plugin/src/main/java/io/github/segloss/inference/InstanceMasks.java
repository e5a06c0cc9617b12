package io.github.segloss.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.segloss.internal.BilinearTaps;
import io.github.segloss.internal.HostArrays;
import io.github.segloss.internal.MaskHeadInputs;
import io.github.segloss.internal.Shapes;
import io.github.segloss.internal.ValueChecks;

/**
 * Instance masks: Mask R-CNN's M×M mask of each detection's class pasted into its box at image
 * resolution, as torchvision 0.14's {@code maskrcnn_inference} and {@code paste_masks_in_image}
 * compute them, then thresholded.
 *
 * <p>For detection r with class \(k_r\), box \((x_1, y_1, x_2, y_2)\) in image pixels:
 *
 * <ol>
 *   <li>the probabilities \( \sigma(x_{r, k_r}) \) (channel 0 when K = 1), padded by one pixel of
 *       zeros to (M + 2) × (M + 2) ({@code expand_masks});
 *   <li>the box scaled about its centre by \( s = (M + 2) / M \) ({@code expand_boxes}, in the
 *       boxes' float type), its corners truncated towards zero to integers \( b_{x1}, b_{y1},
 *       b_{x2}, b_{y2} \);
 *   <li>the padded mask resized to \( h = \max(b_{y2} - b_{y1} + 1, 1) \) by \( w = \max(b_{x2} -
 *       b_{x1} + 1, 1) \) (bilinear, {@code align_corners=False}) and placed with its top-left
 *       pixel at \( (b_{y1}, b_{x1}) \), on image rows \( [\max(b_{y1}, 0), \min(b_{y2} + 1, H)) \)
 *       and columns \( [\max(b_{x1}, 0), \min(b_{x2} + 1, W)) \), 0 elsewhere ({@code
 *       paste_mask_in_image}): boxes partly outside the image are clipped to it, a box of zero size
 *       still covers one pixel;
 *   <li>for {@link #paste}, a pixel belongs to the mask where that probability is {@code >=
 *       threshold} (0.5 in torchvision's documentation of its Mask R-CNN and in detectron2).
 * </ol>
 *
 * <p>A box wholly outside the image gives an empty mask; torchvision 0.14 raises a {@code
 * RuntimeError} for most such boxes (its slices then have negative ends). Pasted probabilities
 * differ from torchvision's by float rounding only (the resize is computed as products of
 * interpolation matrices), so a thresholded pixel can differ only where torchvision's probability
 * is within a few rounding units of the threshold.
 *
 * <p>Memory: the output holds R × H × W values (one byte each as booleans, 100 detections of a 1024
 * × 1024 image take 100 MB); the float probabilities are computed for a group of detections at a
 * time, about {@link #DEFAULT_GROUP_VALUES} pixels, so the peak is a few times that many float
 * values on top of the output. Each detection costs about H × M × W multiply-adds (the products run
 * on the logits' device, in their float type; float16 is widened to float32).
 */
public final class InstanceMasks {

    /** The default mask threshold, {@value}. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    /** The padding of the M×M masks, as {@code paste_masks_in_image}'s default, {@value} pixel. */
    public static final int PADDING = 1;

    /**
     * The image pixels of the detections whose probabilities are computed at once, {@value} (16 MB
     * as float32; at least one detection).
     */
    public static final long DEFAULT_GROUP_VALUES = 1L << 22;

    /** The largest box coordinate magnitude accepted, 2^24, beyond any image's size. */
    private static final double MAX_COORDINATE = 0x1p24;

    private InstanceMasks() {}

    /**
     * Pastes each detection's mask into the image and thresholds it at {@link #DEFAULT_THRESHOLD}.
     *
     * @param maskLogits the mask logits {@code (R, K, M, M)}, floating point
     * @param boxes the detections' boxes {@code (R, 4)} as {@code x1, y1, x2, y2} in image pixels
     * @param classIds {@code (R)}: each detection's class in {@code [0, K)}; not read (may be null)
     *     when K = 1
     * @param height the image height, >= 1
     * @param width the image width, >= 1
     * @return the masks {@code (R, height, width)}, boolean, on the logits' device
     * @throws IllegalArgumentException as {@link #paste(NDArray, NDArray, NDArray, int, int,
     *     double)}
     */
    public static NDArray paste(
            NDArray maskLogits, NDArray boxes, NDArray classIds, int height, int width) {
        return paste(maskLogits, boxes, classIds, height, width, DEFAULT_THRESHOLD);
    }

    /**
     * Pastes each detection's mask into the image and thresholds it.
     *
     * @param maskLogits the mask logits {@code (R, K, M, M)}, floating point
     * @param boxes the detections' boxes {@code (R, 4)} as {@code x1, y1, x2, y2} in image pixels
     * @param classIds {@code (R)}: each detection's class in {@code [0, K)}; not read (may be null)
     *     when K = 1
     * @param height the image height, >= 1
     * @param width the image width, >= 1
     * @param threshold the probability from which a pixel belongs to the mask, in (0, 1] (at 0
     *     every pixel of the image would belong to it)
     * @return the masks {@code (R, height, width)}, boolean (true where the pasted probability is
     *     {@code >= threshold}), on the logits' device
     * @throws IllegalArgumentException if the logits are not {@code (R, K, M, M)} floats with M >=
     *     1, the boxes not {@code (R, 4)} with finite coordinates of magnitude at most 2^24, the
     *     class ids not {@code (R)} whole numbers in {@code [0, K)} (when K > 1), a size is below 1
     *     or the threshold is not in (0, 1]
     */
    public static NDArray paste(
            NDArray maskLogits,
            NDArray boxes,
            NDArray classIds,
            int height,
            int width,
            double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
        }
        return pasted(maskLogits, "maskLogits", boxes, classIds, height, width, threshold);
    }

    /**
     * Pastes each detection's mask probabilities into the image: the output of torchvision's {@code
     * paste_masks_in_image} for the probabilities of each detection's class.
     *
     * @param probabilities the mask probabilities {@code (R, K, M, M)}, floating point in [0, 1]
     * @param boxes the detections' boxes {@code (R, 4)} as {@code x1, y1, x2, y2} in image pixels
     * @param classIds {@code (R)}: each detection's class in {@code [0, K)}; not read (may be null)
     *     when K = 1
     * @param height the image height, >= 1
     * @param width the image width, >= 1
     * @return the pasted probabilities {@code (R, height, width)}, in the probabilities' float type
     *     (float32 for float16), 0 outside each box, on their device
     * @throws IllegalArgumentException as {@link #paste(NDArray, NDArray, NDArray, int, int,
     *     double)}, and if a probability is outside [0, 1]
     */
    public static NDArray pasteProbabilities(
            NDArray probabilities, NDArray boxes, NDArray classIds, int height, int width) {
        return pasted(probabilities, "probabilities", boxes, classIds, height, width, Double.NaN);
    }

    /**
     * Validates, selects, pastes; thresholds unless {@code threshold} is NaN (probabilities given).
     */
    private static NDArray pasted(
            NDArray masks,
            String name,
            NDArray boxes,
            NDArray classIds,
            int height,
            int width,
            double threshold) {
        boolean fromLogits = !Double.isNaN(threshold);
        Shapes.requireFloat(masks, name, 4, "(R, K, M, M)");
        Shape shape = masks.getShape();
        if (shape.dimension() != 4
                || shape.get(1) < 1
                || shape.get(2) < 1
                || shape.get(2) != shape.get(3)) {
            throw new IllegalArgumentException(
                    name + " must have shape (R, K, M, M) with K >= 1 and M >= 1, got " + shape);
        }
        int rois = Math.toIntExact(shape.get(0));
        int m = Math.toIntExact(shape.get(2));
        if (boxes == null || boxes.getShape().dimension() != 2 || boxes.getShape().get(1) != 4) {
            throw new IllegalArgumentException(
                    "boxes must have shape (R, 4) as x1, y1, x2, y2, got "
                            + (boxes == null ? "null" : boxes.getShape()));
        }
        Shapes.requireShape(boxes, "boxes", new Shape(rois, 4), "(R, 4) with R from " + name);
        if (shape.get(1) > 1) {
            if (classIds == null) {
                throw new IllegalArgumentException(
                        "classIds must be given when " + name + " has K > 1 classes, got null");
            }
            Shapes.requireShape(classIds, "classIds", new Shape(rois), "(R) with R from " + name);
            Shapes.requireNumeric(classIds, "classIds");
            ValueChecks.requireClassOrIgnore(
                    classIds, "classIds", shape.get(1), ValueChecks.NO_IGNORE);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "height and width must be >= 1, got " + height + " and " + width);
        }
        long[] corners = integerBoxes(boxes, m);
        if (!fromLogits) {
            ValueChecks.requireRange(masks, name, 0, 1);
        }
        if (rois == 0) {
            return masks.getManager()
                    .zeros(
                            new Shape(0, height, width),
                            fromLogits ? DataType.BOOLEAN : floatType(masks));
        }
        NDList parts = new NDList();
        try (NDScope call = new NDScope()) {
            call.suppressNotUsedWarning();
            NDArray x =
                    masks.getDataType() == DataType.FLOAT16
                            ? masks.toType(DataType.FLOAT32, false)
                            : masks;
            NDArray selected = new MaskHeadInputs(x, classIds, null).selectedLogits();
            if (fromLogits) {
                selected = Activation.sigmoid(selected);
            }
            long plane = (long) height * width;
            int group = (int) Math.max(1, Math.min(rois, DEFAULT_GROUP_VALUES / plane));
            for (int first = 0; first < rois; first += group) {
                int count = Math.min(group, rois - first);
                NDArray rows =
                        HostArrays.of(
                                x,
                                interpolation(corners, first, count, 1, 3, height, m),
                                new Shape(count, height, m));
                NDArray columns =
                        HostArrays.of(
                                x,
                                interpolation(corners, first, count, 0, 2, width, m),
                                new Shape(count, width, m));
                NDArray slice = selected.get(first + ":" + (first + count));
                NDArray halfway = rows.matMul(slice);
                NDArray probabilities = halfway.matMul(columns.transpose(0, 2, 1));
                NDArray part = fromLogits ? probabilities.gte(threshold) : probabilities;
                NDScope.unregister(part);
                parts.add(part);
                // the group's float arrays are freed before the next group
                rows.close();
                columns.close();
                slice.close();
                halfway.close();
                if (part != probabilities) {
                    probabilities.close();
                }
            }
        }
        NDArray result = parts.size() == 1 ? parts.head() : NDArrays.concat(parts, 0);
        if (parts.size() > 1) {
            parts.close();
        }
        NDScope.register(result);
        return result;
    }

    /** The float type the probabilities are computed in: float16 widened to float32. */
    private static DataType floatType(NDArray masks) {
        return masks.getDataType() == DataType.FLOAT16 ? DataType.FLOAT32 : masks.getDataType();
    }

    /**
     * The integer boxes of {@code paste_masks_in_image}: each box scaled about its centre by {@code
     * (M + 2 * PADDING) / M} in the boxes' float type (float32 unless float64), truncated towards
     * zero; {@code (R, 4)} row-major as {@code bx1, by1, bx2, by2}.
     */
    private static long[] integerBoxes(NDArray boxes, int m) {
        Shapes.requireNumeric(boxes, "boxes");
        int rois = Math.toIntExact(boxes.getShape().get(0));
        double[] box = boxes.toType(DataType.FLOAT64, false).toDoubleArray();
        for (int i = 0; i < box.length; i++) {
            if (!(Math.abs(box[i]) <= MAX_COORDINATE)) {
                throw new IllegalArgumentException(
                        "boxes must be finite with coordinates in [-2^24, 2^24], got "
                                + box[i]
                                + " in box "
                                + i / 4);
            }
        }
        double scale = (double) (m + 2 * PADDING) / m;
        boolean wide = boxes.getDataType() == DataType.FLOAT64;
        long[] corners = new long[rois * 4];
        for (int r = 0; r < rois; r++) {
            int at = 4 * r;
            if (wide) {
                double halfWidth = (box[at + 2] - box[at]) * 0.5 * scale;
                double halfHeight = (box[at + 3] - box[at + 1]) * 0.5 * scale;
                double centreX = (box[at + 2] + box[at]) * 0.5;
                double centreY = (box[at + 3] + box[at + 1]) * 0.5;
                corners[at] = (long) (centreX - halfWidth);
                corners[at + 1] = (long) (centreY - halfHeight);
                corners[at + 2] = (long) (centreX + halfWidth);
                corners[at + 3] = (long) (centreY + halfHeight);
            } else {
                // torch computes a float32 tensor's products with a Python float in float32
                float s = (float) scale;
                float x1 = (float) box[at];
                float y1 = (float) box[at + 1];
                float x2 = (float) box[at + 2];
                float y2 = (float) box[at + 3];
                float halfWidth = (x2 - x1) * 0.5f;
                float halfHeight = (y2 - y1) * 0.5f;
                halfWidth *= s;
                halfHeight *= s;
                float centreX = (x2 + x1) * 0.5f;
                float centreY = (y2 + y1) * 0.5f;
                corners[at] = (long) (centreX - halfWidth);
                corners[at + 1] = (long) (centreY - halfHeight);
                corners[at + 2] = (long) (centreX + halfWidth);
                corners[at + 3] = (long) (centreY + halfHeight);
            }
        }
        return corners;
    }

    /**
     * The interpolation matrices {@code (count, size, M)} along one image axis of detections {@code
     * [first, first + count)}: row {@code i} of detection r holds the bilinear weights of box pixel
     * {@code i - low} of the padded (M + 2)-pixel mask resized to the box's extent, without the
     * padding's columns (whose values are 0), and is 0 outside the box and the image.
     */
    private static double[] interpolation(
            long[] corners, int first, int count, int lowCorner, int highCorner, int size, int m) {
        int padded = m + 2 * PADDING;
        double[] weights = new double[Math.multiplyExact(count, Math.multiplyExact(size, m))];
        for (int d = 0; d < count; d++) {
            long low = corners[4 * (first + d) + lowCorner];
            long high = corners[4 * (first + d) + highCorner];
            long extent = Math.max(high - low + 1, 1);
            long start = Math.max(low, 0);
            long end = Math.min(high + 1, size);
            if (start >= end) {
                continue;
            }
            BilinearTaps taps =
                    BilinearTaps.of(
                            padded,
                            Math.toIntExact(extent),
                            false,
                            Math.toIntExact(start - low),
                            Math.toIntExact(end - start));
            for (int i = 0; i < end - start; i++) {
                int row = (d * size + (int) start + i) * m;
                add(weights, row, taps.low()[i], taps.lowWeight()[i], m);
                add(weights, row, taps.high()[i], taps.highWeight()[i], m);
            }
        }
        return weights;
    }

    /** Adds a tap's weight to its column, unless the tap falls on the padding. */
    private static void add(double[] weights, int row, int paddedIndex, double weight, int m) {
        int column = paddedIndex - PADDING;
        if (column >= 0 && column < m) {
            weights[row + column] += weight;
        }
    }
}
