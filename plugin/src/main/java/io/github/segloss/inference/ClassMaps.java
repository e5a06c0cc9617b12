package io.github.segloss.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.BilinearTaps;
import io.github.segloss.internal.HostArrays;
import io.github.segloss.internal.Shapes;
import io.github.segloss.target.BilinearResize;

/**
 * Class maps from class logits: the argmax over classes of the logits bilinearly upsampled to the
 * image's size (PyTorch's {@code F.interpolate(logits, size, mode="bilinear").argmax(1)}, the
 * weights of {@link BilinearResize}), without ever holding the upsampled logits of the whole image.
 *
 * <p>The output rows are computed in bands: the band's logits {@code (N, C, band, W)} are reduced
 * by {@code argMax(1)} and released before the next band. Peak memory is then a few times {@code N
 * × C × band × W} values plus the {@code N × H × W} class ids, instead of {@code N × C × H × W}
 * values: 200 classes over a 4000 × 3000 image take 9.6 GB as float32 logits, a band of 5 rows 16
 * MB.
 *
 * <p>Each upsampled value is the two-tap blend \( w_0 x_0 + w_1 x_1 \) along the rows, then along
 * the columns, with the interpolation matrices' weights; the taps are picked by products with 0/1
 * matrices, which are exact. Every value is therefore computed by the same elementwise operations
 * whatever the band height, and the class map does not depend on it, bit for bit, ties included
 * (broken as the engine's {@code argMax} breaks them: the first class on PyTorch). A matrix product
 * \( A_y X A_x^\top \) with the band's rows of \( A_y \) would not do: PyTorch picks its matrix
 * kernel by size, and fused multiply-adds round differently. The values differ from {@link
 * BilinearResize#resize}'s by float rounding only (a few units in the last place), so the class
 * maps agree except where two classes' logits are that close. The logits must be finite: a product
 * with a 0 weight spreads a NaN or infinity along its row or column. float16 logits are widened to
 * float32 (exactly) on every engine, float64 logits are upsampled in float64.
 */
public final class ClassMaps {

    /**
     * The default number of upsampled logit values per band, {@value} (16 MB as float32; a band
     * holds a few such arrays at once), whatever the image size and the class count.
     */
    public static final long DEFAULT_BAND_VALUES = 1L << 22;

    private ClassMaps() {}

    /**
     * Computes the class map of logits upsampled to {@code height × width}, in bands of about
     * {@link #DEFAULT_BAND_VALUES} upsampled values (at least one row).
     *
     * @param logits the class logits {@code (N, C, h, w)}, floating point
     * @param height the output height, >= 1
     * @param width the output width, >= 1
     * @param alignCorners PyTorch's {@code align_corners} for the upsampling
     * @return {@code N × height × width} class ids in {@code [0, C)}, row-major
     * @throws IllegalArgumentException as {@link #upsampledArgMax(NDArray, int, int, boolean, int)}
     */
    public static int[] upsampledArgMax(
            NDArray logits, int height, int width, boolean alignCorners) {
        Shapes.requireFloat(logits, "logits", 4, "(N, C, h, w)");
        Shape shape = logits.getShape();
        long perRow = Math.max(1, shape.get(0) * shape.get(1) * width);
        int bandRows = (int) Math.max(1, Math.min(height, DEFAULT_BAND_VALUES / perRow));
        return upsampledArgMax(logits, height, width, alignCorners, bandRows);
    }

    /**
     * Computes the class map of logits upsampled to {@code height × width}, {@code bandRows} output
     * rows at a time (the last band may be shorter). The result does not depend on {@code
     * bandRows}.
     *
     * @param logits the class logits {@code (N, C, h, w)}, floating point
     * @param height the output height, >= 1
     * @param width the output width, >= 1
     * @param alignCorners PyTorch's {@code align_corners} for the upsampling
     * @param bandRows the output rows per band, >= 1
     * @return {@code N × height × width} class ids in {@code [0, C)}, row-major
     * @throws IllegalArgumentException if the logits are not a 4-d float array with at least one
     *     class, a size or {@code bandRows} is below 1, or the map has more than {@code
     *     Integer.MAX_VALUE} pixels
     */
    public static int[] upsampledArgMax(
            NDArray logits, int height, int width, boolean alignCorners, int bandRows) {
        Shapes.requireFloat(logits, "logits", 4, "(N, C, h, w)");
        Shape shape = logits.getShape();
        if (shape.dimension() != 4 || shape.get(1) < 1) {
            throw new IllegalArgumentException(
                    "logits must have shape (N, C, h, w) with C >= 1, got " + shape);
        }
        if (height < 1 || width < 1 || bandRows < 1) {
            throw new IllegalArgumentException(
                    "height, width and bandRows must be >= 1, got "
                            + height
                            + ", "
                            + width
                            + " and "
                            + bandRows);
        }
        long images = shape.get(0);
        long plane = (long) height * width;
        if (images * plane > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "a class map of "
                            + images
                            + " x "
                            + height
                            + " x "
                            + width
                            + " pixels does not fit in a Java array");
        }
        int inHeight = Math.toIntExact(shape.get(2));
        int inWidth = Math.toIntExact(shape.get(3));
        int[] classes = new int[(int) (images * plane)];
        try (NDScope call = new NDScope()) {
            // float16 is widened (exactly): MXNet has no float16 matrix product on the CPU
            NDArray x =
                    logits.getDataType() == DataType.FLOAT16
                            ? logits.toType(DataType.FLOAT32, false)
                            : logits;
            BilinearTaps columns = BilinearTaps.of(inWidth, width, alignCorners, 0, width);
            NDArray lowColumns = selector(x, columns.low(), inWidth).transpose(0, 1, 3, 2);
            NDArray highColumns = selector(x, columns.high(), inWidth).transpose(0, 1, 3, 2);
            NDArray lowColumnWeights = weights(x, columns.lowWeight(), new Shape(1, 1, 1, width));
            NDArray highColumnWeights = weights(x, columns.highWeight(), new Shape(1, 1, 1, width));
            for (int first = 0; first < height; first += bandRows) {
                int rows = Math.min(bandRows, height - first);
                int[] values;
                // the band's arrays are created in this scope and freed when it closes
                try (NDScope band = new NDScope()) {
                    BilinearTaps taps =
                            BilinearTaps.of(inHeight, height, alignCorners, first, rows);
                    NDArray blended =
                            blend(
                                    selector(x, taps.low(), inHeight).matMul(x),
                                    weights(x, taps.lowWeight(), new Shape(1, 1, rows, 1)),
                                    selector(x, taps.high(), inHeight).matMul(x),
                                    weights(x, taps.highWeight(), new Shape(1, 1, rows, 1)));
                    values =
                            blend(
                                            blended.matMul(lowColumns),
                                            lowColumnWeights,
                                            blended.matMul(highColumns),
                                            highColumnWeights)
                                    .argMax(1)
                                    .toType(DataType.INT32, false)
                                    .toIntArray();
                }
                int bandPlane = rows * width;
                for (int n = 0; n < images; n++) {
                    System.arraycopy(
                            values,
                            n * bandPlane,
                            classes,
                            (int) (n * plane + (long) first * width),
                            bandPlane);
                }
            }
        }
        return classes;
    }

    /** {@code low * lowWeight + high * highWeight}, elementwise with broadcasting. */
    private static NDArray blend(NDArray low, NDArray lowWeight, NDArray high, NDArray highWeight) {
        return low.mul(lowWeight).add(high.mul(highWeight));
    }

    /** The 0/1 matrix {@code (1, 1, count, in)} whose row i picks input index {@code index[i]}. */
    private static NDArray selector(NDArray like, int[] index, int in) {
        float[] ones = new float[Math.multiplyExact(index.length, in)];
        for (int i = 0; i < index.length; i++) {
            ones[i * in + index[i]] = 1;
        }
        return HostArrays.of(like, ones, new Shape(1, 1, index.length, in));
    }

    /** Weights as an array of the given broadcastable shape, in the logits' type and device. */
    private static NDArray weights(NDArray like, double[] values, Shape shape) {
        return HostArrays.of(like, values, shape);
    }
}
