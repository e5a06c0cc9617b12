package io.github.segloss.target;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.HostArrays;
import io.github.segloss.internal.Shapes;
import java.util.ArrayList;
import java.util.List;

/**
 * RoI Align as torchvision's {@code roi_align(input, rois, output_size, spatial_scale,
 * sampling_ratio, aligned)}, differentiable with respect to the feature map, on every engine.
 *
 * <p>For a RoI with box \( (x_1, y_1, x_2, y_2) \) on image \(b\), output cell \( (u, v) \) is the
 * mean of \( g_h \times g_w \) bilinear samples of feature map \( X_b \) on a regular grid inside
 * the cell. A bilinear sample is separable, \( X(y, x) = \sum_{i,j} a_i(y)\, X_{ij}\, c_j(x) \), so
 * the whole output is a product of two small interpolation matrices with the feature map:
 *
 * <p>\( \mathrm{out}_r = A^{(r)} \, X_{b_r} \, {B^{(r)}}^{\top} \), with \( A^{(r)}_{u i} =
 * \frac{1}{g_h} \sum_{s} a_i(y_{u s}) \) of shape {@code (outH, H)} and \( B^{(r)}_{v j} =
 * \frac{1}{g_w} \sum_{s} c_j(x_{v s}) \) of shape {@code (outW, W)}.
 *
 * <p>The matrices follow torchvision's CPU kernel exactly: sample positions \( y_{us} = y_1
 * s_{\mathrm{scale}} - o + (u + \frac{s + 0.5}{g_h}) \frac{h}{\mathrm{outH}} \) with offset \(o =
 * 0.5\) when aligned (else 0, and RoI sizes below 1 raised to 1); an adaptive grid \( g_h = \lceil
 * h / \mathrm{outH} \rceil \) when the sampling ratio is 0 or less; samples outside \( [-1, H] \)
 * count as 0 and samples in \( [-1, 0] \) or \( [H-1, H] \) are clamped to the border. The matrices
 * are built on the host from one copy of the boxes; the products run on the features' device with
 * batched {@code matMul}, so gradients flow to the features (not to the boxes, as in torchvision).
 *
 * <p>A RoI that is small against its map is multiplied with only its window, the rows and columns
 * where its weights are not 0: \( A'^{(r)} X_{b_r}[i_0{:}i_1, j_0{:}j_1] B'^{(r)\top} \), the same
 * sums without the zero terms. A 28×28 mask target from a 1024×1024 mask then costs about \( 28
 * \cdot h \cdot w \) multiply-adds for a box of h×w pixels instead of \( 28 \cdot 1024^2 \). The
 * RoIs that are large against their map (and all RoIs on small maps such as a mask head's features)
 * share one batched product with the whole map.
 */
public final class RoiAlign {

    /** The charge for a windowed product's own operator calls, in multiply-adds. */
    private static final long WINDOW_CALL_COST = 1L << 20;

    private final int outputHeight;
    private final int outputWidth;
    private final double spatialScale;
    private final int samplingRatio;
    private final boolean aligned;

    private RoiAlign(Builder builder) {
        this.outputHeight = builder.outputHeight;
        this.outputWidth = builder.outputWidth;
        this.spatialScale = builder.spatialScale;
        this.samplingRatio = builder.samplingRatio;
        this.aligned = builder.aligned;
    }

    /**
     * Returns a builder for RoI Align.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Crops and resizes each RoI from the feature map.
     *
     * @param features the feature maps {@code (B, C, H, W)}, floating point
     * @param boxes the RoIs {@code (R, 4)} as {@code x1, y1, x2, y2} in input-image coordinates
     *     (multiplied by the spatial scale to reach feature coordinates)
     * @param batchIndices {@code (R)}: the image in {@code [0, B)} of each RoI, integer or
     *     whole-number float
     * @return {@code (R, C, outH, outW)} in the features' type, on the features' device
     * @throws IllegalArgumentException if a shape, a batch index or a box is invalid
     */
    public NDArray apply(NDArray features, NDArray boxes, NDArray batchIndices) {
        Shapes.requireFloat(features, "features", 4, "(B, C, H, W)");
        Shape shape = features.getShape();
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException(
                    "features must have shape (B, C, H, W), got " + shape);
        }
        if (boxes.getShape().dimension() != 2 || boxes.getShape().get(1) != 4) {
            throw new IllegalArgumentException(
                    "boxes must have shape (R, 4) as x1, y1, x2, y2, got " + boxes.getShape());
        }
        int rois = Math.toIntExact(boxes.getShape().get(0));
        Shapes.requireShape(batchIndices, "batchIndices", new Shape(rois), "(R) with R from boxes");
        Shapes.requireNumeric(batchIndices, "batchIndices");
        int channels = Math.toIntExact(shape.get(1));
        if (rois == 0) {
            // Still connected to the features, with a zero gradient: a training step whose batch
            // has no RoI must be able to run backward through the mask loss. The gradient passes
            // where(false, features, 0), which selects 0 instead of multiplying by 0: MXNet's
            // backward from an empty array can leave NaN in a buffer, and 0 * NaN is NaN.
            NDArray zeros = features.zerosLike();
            return NDArrays.where(zeros.gt(0), features, zeros)
                    .sum()
                    .broadcast(new Shape(0, channels, outputHeight, outputWidth));
        }
        double[] box = boxes.toType(DataType.FLOAT64, false).toDoubleArray();
        int[] image = toImageIndices(batchIndices, shape.get(0));
        for (int i = 0; i < box.length; i++) {
            if (!Double.isFinite(box[i])) {
                throw new IllegalArgumentException(
                        "boxes must be finite, got " + box[i] + " in box " + i / 4);
            }
        }
        int height = Math.toIntExact(shape.get(2));
        int width = Math.toIntExact(shape.get(3));

        // Process the RoIs image by image. The RoIs that are large against their map share one
        // batched product with the whole map; each small one multiplies only the window where its
        // weights are non-zero (a 28x28 target from a 1024x1024 mask reads a few hundred rows,
        // not 1024). Both give the same sums: the terms left out are products with weight 0.
        int[] order = new int[rois];
        List<NDArray> parts = new ArrayList<>();
        int placed = 0;
        for (int b = 0; b < shape.get(0); b++) {
            List<Integer> whole = new ArrayList<>();
            List<AxisWindow[]> windows = new ArrayList<>();
            List<Integer> windowed = new ArrayList<>();
            for (int r = 0; r < rois; r++) {
                if (image[r] != b) {
                    continue;
                }
                AxisWindow rows =
                        AxisWindow.of(
                                axisWeights(
                                        box[4 * r + 1] * spatialScale,
                                        box[4 * r + 3] * spatialScale,
                                        outputHeight,
                                        height),
                                outputHeight,
                                height);
                AxisWindow cols =
                        AxisWindow.of(
                                axisWeights(
                                        box[4 * r] * spatialScale,
                                        box[4 * r + 2] * spatialScale,
                                        outputWidth,
                                        width),
                                outputWidth,
                                width);
                if (windowCost(rows, cols) < (long) outputHeight * height * width) {
                    windowed.add(r);
                    windows.add(new AxisWindow[] {rows, cols});
                } else {
                    whole.add(r);
                    windows.add(null);
                }
            }
            NDArray map = features.get(b);
            if (!whole.isEmpty()) {
                parts.add(wholeMapProducts(map, box, whole, height, width));
                for (int r : whole) {
                    order[placed++] = r;
                }
            }
            int k = 0;
            for (AxisWindow[] window : windows) {
                if (window != null) {
                    parts.add(windowProduct(map, window[0], window[1]));
                    order[placed++] = windowed.get(k++);
                }
            }
        }
        NDArray sorted = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts));
        return restoreOrder(sorted, order, features);
    }

    /**
     * The estimated multiply-adds of a windowed product, plus a fixed charge for its own operator
     * calls (about what a million multiply-adds take on a CPU).
     */
    private long windowCost(AxisWindow rows, AxisWindow cols) {
        long products =
                (long) outputHeight * rows.length() * cols.length()
                        + (long) outputHeight * cols.length() * outputWidth;
        return products + WINDOW_CALL_COST;
    }

    /** {@code (R, C, outH, outW)} for RoIs of one map: \( A X B^T \) with the whole map X. */
    private NDArray wholeMapProducts(
            NDArray map, double[] box, List<Integer> group, int height, int width) {
        int count = group.size();
        double[] rowWeights = new double[count * outputHeight * height];
        double[] colWeights = new double[count * width * outputWidth];
        for (int k = 0; k < count; k++) {
            int r = group.get(k);
            double[] rows =
                    axisWeights(
                            box[4 * r + 1] * spatialScale,
                            box[4 * r + 3] * spatialScale,
                            outputHeight,
                            height);
            System.arraycopy(rows, 0, rowWeights, k * rows.length, rows.length);
            double[] cols =
                    axisWeights(
                            box[4 * r] * spatialScale,
                            box[4 * r + 2] * spatialScale,
                            outputWidth,
                            width);
            // stored transposed, (W, outW), for the right-hand product
            int base = k * width * outputWidth;
            for (int v = 0; v < outputWidth; v++) {
                for (int j = 0; j < width; j++) {
                    colWeights[base + j * outputWidth + v] = cols[v * width + j];
                }
            }
        }
        NDArray rowMatrix = matrix(map, rowWeights, count, outputHeight, height);
        NDArray colMatrix = matrix(map, colWeights, count, width, outputWidth);
        return rowMatrix.matMul(map.expandDims(0)).matMul(colMatrix);
    }

    /** {@code (1, C, outH, outW)} for one RoI: \( A' X' B'^T \) with X' its window of the map. */
    private NDArray windowProduct(NDArray map, AxisWindow rows, AxisWindow cols) {
        NDArray window =
                map.get(
                        new NDIndex()
                                .addAllDim()
                                .addSliceDim(rows.first(), rows.end())
                                .addSliceDim(cols.first(), cols.end()));
        NDArray rowMatrix = matrix(map, rows.weights(), 1, outputHeight, rows.length());
        NDArray colMatrix = matrix(map, cols.transposedWeights(), 1, cols.length(), outputWidth);
        return rowMatrix.matMul(window.expandDims(0)).matMul(colMatrix);
    }

    /**
     * The columns {@code [first, end)} of one axis's {@code (out, size)} weight matrix outside
     * which every weight is 0, with the weights of those columns (row-major {@code (out, length)}).
     */
    private record AxisWindow(int first, int end, int out, double[] weights) {

        static AxisWindow of(double[] full, int out, int size) {
            int first = size;
            int last = -1;
            for (int u = 0; u < out; u++) {
                for (int j = 0; j < size; j++) {
                    if (full[u * size + j] != 0) {
                        first = Math.min(first, j);
                        last = Math.max(last, j);
                    }
                }
            }
            if (last < 0) {
                first = 0; // no sample inside the map: one column of zeros
                last = 0;
            }
            int length = last - first + 1;
            double[] weights = new double[out * length];
            for (int u = 0; u < out; u++) {
                System.arraycopy(full, u * size + first, weights, u * length, length);
            }
            return new AxisWindow(first, last + 1, out, weights);
        }

        int length() {
            return end - first;
        }

        /** The weights as {@code (length, out)}, for the right-hand product. */
        double[] transposedWeights() {
            int length = length();
            double[] transposed = new double[length * out];
            for (int v = 0; v < out; v++) {
                for (int j = 0; j < length; j++) {
                    transposed[j * out + v] = weights[v * length + j];
                }
            }
            return transposed;
        }
    }

    /**
     * The interpolation weights of one axis of one RoI: a row-major {@code (out, size)} matrix
     * whose row u averages the bilinear weights of the samples of output cell u.
     */
    private double[] axisWeights(double start, double end, int out, int size) {
        double offset = aligned ? 0.5 : 0.0;
        double first = start - offset;
        double extent = (end - offset) - first;
        if (!aligned) {
            extent = Math.max(extent, 1.0);
        }
        double bin = extent / out;
        int grid = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(extent / out);
        double[] weights = new double[out * size];
        if (grid <= 0) {
            return weights; // torchvision: no sample, the cell is 0
        }
        double step = bin / grid;
        for (int u = 0; u < out; u++) {
            // only samples in [-1, size] count: visit just those (a huge box has millions of
            // samples per cell, all but about size of them outside the map)
            double base = first + u * bin;
            long fromSample = 0;
            long toSample = grid - 1L;
            if (step > 0) { // an inverted aligned box with a fixed grid steps backwards: visit all
                fromSample = Math.max(0, (long) Math.ceil((-1.0 - base) / step - 0.5) - 1);
                toSample = Math.min(toSample, (long) Math.floor((size - base) / step - 0.5) + 1);
            }
            for (long s = fromSample; s <= toSample; s++) {
                // torchvision's expression, so samples on a pixel boundary fall the same way
                double position = first + u * bin + (s + 0.5) * bin / grid;
                if (position < -1.0 || position > size) {
                    continue;
                }
                if (position <= 0) {
                    position = 0;
                }
                int low = (int) position;
                int high;
                if (low >= size - 1) {
                    low = size - 1;
                    high = low;
                    position = low;
                } else {
                    high = low + 1;
                }
                double fraction = position - low;
                weights[u * size + low] += (1 - fraction) / grid;
                weights[u * size + high] += fraction / grid;
            }
        }
        return weights;
    }

    private static NDArray matrix(NDArray like, double[] data, int count, int rows, int cols) {
        return HostArrays.of(like, data, new Shape(count, 1, rows, cols));
    }

    /** Puts the per-image results back in the order of the RoIs with a permutation product. */
    private static NDArray restoreOrder(NDArray sorted, int[] order, NDArray like) {
        int rois = order.length;
        boolean identity = true;
        for (int k = 0; k < rois && identity; k++) {
            identity = order[k] == k;
        }
        if (identity) {
            return sorted;
        }
        double[] permutation = new double[rois * rois];
        for (int k = 0; k < rois; k++) {
            permutation[order[k] * rois + k] = 1;
        }
        Shape shape = sorted.getShape();
        NDArray p = HostArrays.of(like, permutation, new Shape(rois, rois));
        return p.matMul(sorted.reshape(rois, -1)).reshape(shape);
    }

    private static int[] toImageIndices(NDArray batchIndices, long images) {
        double[] values = batchIndices.toType(DataType.FLOAT64, false).toDoubleArray();
        int[] result = new int[values.length];
        for (int r = 0; r < values.length; r++) {
            double value = values[r];
            if (!(value >= 0 && value < images && value == Math.rint(value))) {
                throw new IllegalArgumentException(
                        "batchIndices must be whole numbers in [0, "
                                + images
                                + ") for "
                                + images
                                + " feature map(s), got "
                                + value
                                + " for RoI "
                                + r);
            }
            result[r] = (int) value;
        }
        return result;
    }

    /** Collects the settings of a {@link RoiAlign}. */
    public static final class Builder {

        private int outputHeight = -1;
        private int outputWidth = -1;
        private double spatialScale = 1.0;
        private int samplingRatio;
        private boolean aligned;

        Builder() {}

        /**
         * Sets the output size of each RoI (required).
         *
         * @param height the output height, >= 1
         * @param width the output width, >= 1
         * @return this builder
         * @throws IllegalArgumentException if a size is below 1
         */
        public Builder setOutputSize(int height, int width) {
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException(
                        "outputSize must be at least 1 x 1, got " + height + " x " + width);
            }
            this.outputHeight = height;
            this.outputWidth = width;
            return this;
        }

        /**
         * Sets the factor from box coordinates to feature coordinates (default 1; 1/16 for a
         * stride-16 feature map).
         *
         * @param spatialScale the scale, finite and > 0
         * @return this builder
         * @throws IllegalArgumentException if the scale is not finite and positive
         */
        public Builder optSpatialScale(double spatialScale) {
            if (!(spatialScale > 0) || Double.isInfinite(spatialScale)) {
                throw new IllegalArgumentException(
                        "spatialScale must be finite and > 0, got " + spatialScale);
            }
            this.spatialScale = spatialScale;
            return this;
        }

        /**
         * Sets the number of samples per output cell and axis; 0 or less (the default) chooses \(
         * \lceil \mathrm{roiSize} / \mathrm{outputSize} \rceil \) per RoI, as torchvision.
         *
         * @param samplingRatio the sampling ratio
         * @return this builder
         */
        public Builder optSamplingRatio(int samplingRatio) {
            this.samplingRatio = samplingRatio;
            return this;
        }

        /**
         * Sets whether pixel centres sit at half-integer coordinates (shift boxes by −0.5, as
         * detectron2 and torchvision's {@code aligned=True}); default false, as torchvision's
         * default and Mask R-CNN's {@code project_masks_on_boxes}.
         *
         * @param aligned true for the aligned variant
         * @return this builder
         */
        public Builder optAligned(boolean aligned) {
            this.aligned = aligned;
            return this;
        }

        /**
         * Builds the RoI Align operator.
         *
         * @return the operator
         * @throws IllegalArgumentException if no output size was set
         */
        public RoiAlign build() {
            if (outputHeight < 1) {
                throw new IllegalArgumentException("RoiAlign needs setOutputSize(height, width)");
            }
            return new RoiAlign(this);
        }
    }
}
