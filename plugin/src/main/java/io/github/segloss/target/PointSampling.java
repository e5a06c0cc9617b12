package io.github.segloss.target;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.EmptyBatch;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.HostArrays;
import io.github.segloss.internal.RowRanks;
import io.github.segloss.internal.Scalars;
import io.github.segloss.internal.Shapes;
import java.util.Random;

/**
 * Point sampling as PointRend (Kirillov et al. 2020) and Mask2Former use it, with detectron2's
 * semantics, on every engine.
 *
 * <ul>
 *   <li>{@link #sample}: detectron2's {@code point_sample}, i.e. {@code F.grid_sample(input, 2 *
 *       points - 1, align_corners=False)} with zero padding: point \((x, y) \in [0, 1]^2\) reads
 *       the bilinear interpolation at pixel coordinates \( (xW - \tfrac12, yH - \tfrac12) \),
 *       corners outside the map counting 0. Differentiable with respect to the input (the points
 *       are constants, as detectron2 samples them without gradient).
 *   <li>{@link #mostUncertain} and {@link #uncertainPoints}: detectron2's {@code
 *       get_uncertain_point_coords_with_randomness} with Mask2Former's uncertainty \( -|x| \) of a
 *       logit: of \( \lfloor kN \rfloor \) uniform candidates (oversample ratio k), the \( \lfloor
 *       \beta N \rfloor \) most uncertain (importance sample ratio β), then uniform points up to N.
 * </ul>
 *
 * <p>The corner indices and weights are computed on the device from the points and applied with one
 * {@code take} of the input per corner; the most uncertain candidates are chosen with an {@code
 * argSort} on the device, in slices of about a million candidates.
 */
public final class PointSampling {

    /** The candidates whose logits are sampled at once when choosing the most uncertain. */
    private static final int CANDIDATES_PER_SLICE = 1 << 20;

    private PointSampling() {}

    /**
     * Samples feature maps at normalised points (detectron2's {@code point_sample}).
     *
     * @param input the maps {@code (N, C, H, W)}, floating point
     * @param points the points {@code (N, P, 2)} as (x, y) in [0, 1] (outside, zero padding)
     * @return the samples {@code (N, C, P)} in the input's type, on its device (with P = 0 an empty
     *     array, which only PyTorch records in its graph)
     * @throws IllegalArgumentException if the input is not a 4-d float array, the points not {@code
     *     (N, P, 2)} with the input's N, or a point is not finite
     */
    public static NDArray sample(NDArray input, NDArray points) {
        Shapes.requireFloat(input, "input", 4, "(N, C, H, W)");
        Shape shape = input.getShape();
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException("input must have shape (N, C, H, W), got " + shape);
        }
        Shape pointShape = points.getShape();
        if (pointShape.dimension() != 3
                || pointShape.get(0) != shape.get(0)
                || pointShape.get(2) != 2) {
            throw new IllegalArgumentException(
                    "points must have shape (N, P, 2) with N = "
                            + shape.get(0)
                            + " from input "
                            + shape
                            + ", got "
                            + pointShape);
        }
        int n = Math.toIntExact(shape.get(0));
        int channels = Math.toIntExact(shape.get(1));
        int height = Math.toIntExact(shape.get(2));
        int width = Math.toIntExact(shape.get(3));
        int count = Math.toIntExact(pointShape.get(1));
        if (input.isEmpty()) {
            if ((long) n * channels == 0) {
                return input.reshape(n, channels, count); // no element either
            }
            // an empty map: every corner is outside, zeros connected to the graph (0 · Σx, the
            // one construction every engine differentiates on empty arrays)
            return EmptyBatch.loss(input).broadcast(new Shape(n, channels, count));
        }
        if (count == 0) {
            // an empty slice: in PyTorch's graph; MXNet records no empty slice (nor an empty take
            // or broadcast that it could differentiate)
            return input.reshape(n, channels, (long) height * width)
                    .get(":, :, 0:0")
                    .reshape(n, channels, 0) // MXNet drops the shape and type of an empty slice
                    .toType(input.getDataType(), false);
        }
        DataType math =
                input.getDataType() == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
        NDArray xy = points.toType(math, false);
        FiniteCheck.requireFinite(true, xy, "points");
        // pixel coordinates (N, 1, P): x W - 1/2 and y H - 1/2
        NDArray x = Scalars.sub(Scalars.mul(xy.get(":, :, 0"), width), 0.5).expandDims(1);
        NDArray y = Scalars.sub(Scalars.mul(xy.get(":, :, 1"), height), 0.5).expandDims(1);
        // per axis: the two taps' clipped indices and their weights, 0 for a tap outside
        NDArray[] columns = taps(x, width, math);
        NDArray[] rows = taps(y, height, math);
        long[] planes = new long[n * channels];
        for (int i = 0; i < planes.length; i++) {
            planes[i] = (long) i * height * width;
        }
        NDArray plane = HostArrays.ofLongs(input, planes, new Shape(n, channels, 1));
        NDArray result = null;
        for (int corner = 0; corner < 4; corner++) {
            int dx = corner & 1;
            int dy = corner >> 1;
            NDArray pixel =
                    Scalars.mul(rows[dy], width)
                            .add(columns[dx])
                            .toType(DataType.INT64, false)
                            .add(plane);
            NDArray weight = rows[2 + dy].mul(columns[2 + dx]).toType(input.getDataType(), false);
            NDArray values = input.take(input.getManager(), pixel).mul(weight);
            result = result == null ? values : result.add(values);
        }
        return result;
    }

    /**
     * The two bilinear taps along one axis for pixel coordinates {@code c} {@code (N, 1, P)}:
     * indices \( \lfloor c \rfloor \) and \( \lfloor c \rfloor + 1 \) clipped to {@code [0, size -
     * 1]}, and weights \( 1 - f \) and \( f \) (\( f = c - \lfloor c \rfloor \)), each 0 where its
     * index lies outside (zero padding).
     *
     * @return {low index, high index, low weight, high weight}
     */
    private static NDArray[] taps(NDArray c, int size, DataType math) {
        NDArray low = c.floor();
        NDArray fraction = c.sub(low);
        NDArray high = Scalars.add(low, 1);
        NDArray lowInside = low.gte(0).logicalAnd(low.lte(size - 1)).toType(math, false);
        NDArray highInside = high.gte(0).logicalAnd(high.lte(size - 1)).toType(math, false);
        return new NDArray[] {
            low.clip(0, size - 1),
            high.clip(0, size - 1),
            Scalars.sub(1, fraction).mul(lowInside),
            fraction.mul(highInside)
        };
    }

    /**
     * Picks, for each map, the {@code count} candidates whose sampled logit is the most uncertain,
     * \( -|x| \) largest (ties in candidate order), as detectron2's {@code topk}.
     *
     * @param coarseLogits the logits {@code (N, 1, H, W)}
     * @param candidates the candidates {@code (N, S, 2)} in [0, 1]
     * @param count how many to keep, in [0, S]
     * @return the chosen points {@code (N, count, 2)}, most uncertain first, float32 on the logits'
     *     device
     * @throws IllegalArgumentException if the logits do not have one channel or count is out of
     *     range
     */
    public static NDArray mostUncertain(NDArray coarseLogits, NDArray candidates, int count) {
        Shape shape = coarseLogits.getShape();
        if (shape.dimension() != 4 || shape.get(1) != 1) {
            throw new IllegalArgumentException(
                    "coarseLogits must have shape (N, 1, H, W), got " + shape);
        }
        long sampled = candidates.getShape().get(1);
        if (count < 0 || count > sampled) {
            throw new IllegalArgumentException(
                    "count must lie in [0, " + sampled + "] (the candidates), got " + count);
        }
        int n = Math.toIntExact(shape.get(0));
        int s = Math.toIntExact(sampled);
        if (count == 0 || n == 0) {
            return HostArrays.ofFloat32(coarseLogits, new float[0], new Shape(n, count, 2));
        }
        // in slices of about a million candidates: their samples serve only the choice
        int slice = Math.max(1, CANDIDATES_PER_SLICE / Math.max(1, s));
        NDArray constant = coarseLogits.stopGradient();
        NDArray flatCandidates = candidates.toType(DataType.FLOAT32, false).reshape(-1);
        NDList parts = new NDList();
        for (int first = 0; first < n; first += slice) {
            int last = Math.min(n, first + slice);
            String rows = first + ":" + last;
            NDArray magnitude = sample(constant.get(rows), candidates.get(rows)).squeeze(1).abs();
            // most uncertain first: -|x| descending is |x| ascending
            NDArray order = RowRanks.smallest(magnitude, count).toType(DataType.INT64, false);
            long[] rowStarts = new long[last - first];
            for (int r = 0; r < rowStarts.length; r++) {
                rowStarts[r] = (long) (first + r) * s * 2;
            }
            NDArray start = HostArrays.ofLongs(order, rowStarts, new Shape(last - first, 1, 1));
            NDArray at = Scalars.mul(order, 2).expandDims(2).add(start);
            NDArray axis = HostArrays.ofLongs(order, new long[] {0, 1}, new Shape(1, 1, 2));
            parts.add(flatCandidates.take(flatCandidates.getManager(), at.add(axis)));
        }
        return parts.size() == 1 ? parts.head() : NDArrays.concat(parts, 0);
    }

    /**
     * Draws PointRend's training points for each map: \( \lfloor kN \rfloor \) uniform candidates,
     * the \( \lfloor \beta N \rfloor \) most uncertain of them ({@link #mostUncertain}), and
     * uniform points up to N.
     *
     * @param coarseLogits the logits {@code (N, 1, H, W)}
     * @param numPoints the points per map N, >= 0
     * @param oversampleRatio k, >= 1
     * @param importanceSampleRatio β, in [0, 1]
     * @param random the source of the uniform points
     * @return the points {@code (N, numPoints, 2)}, float32 on the logits' device
     * @throws IllegalArgumentException if a setting is out of range
     */
    public static NDArray uncertainPoints(
            NDArray coarseLogits,
            int numPoints,
            float oversampleRatio,
            float importanceSampleRatio,
            Random random) {
        requireSettings(numPoints, oversampleRatio, importanceSampleRatio);
        int n = Math.toIntExact(coarseLogits.getShape().get(0));
        int sampled = (int) (numPoints * (double) oversampleRatio);
        int uncertain = (int) (importanceSampleRatio * (double) numPoints);
        NDArray candidates = uniform(coarseLogits, n, sampled, random);
        NDArray chosen = mostUncertain(coarseLogits, candidates, uncertain);
        if (uncertain == numPoints) {
            return chosen;
        }
        return chosen.concat(uniform(coarseLogits, n, numPoints - uncertain, random), 1);
    }

    /**
     * Checks PointRend's sampling settings.
     *
     * @param numPoints the points per map, >= 0
     * @param oversampleRatio the oversample ratio, finite and >= 1
     * @param importanceSampleRatio the importance sample ratio, in [0, 1]
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public static void requireSettings(
            int numPoints, float oversampleRatio, float importanceSampleRatio) {
        if (numPoints < 0) {
            throw new IllegalArgumentException("numPoints must be >= 0, got " + numPoints);
        }
        if (!(oversampleRatio >= 1) || Float.isInfinite(oversampleRatio)) {
            throw new IllegalArgumentException(
                    "oversampleRatio must be finite and >= 1, got " + oversampleRatio);
        }
        if (!(importanceSampleRatio >= 0 && importanceSampleRatio <= 1)) {
            throw new IllegalArgumentException(
                    "importanceSampleRatio must lie in [0, 1], got " + importanceSampleRatio);
        }
    }

    private static NDArray uniform(NDArray like, int n, int count, Random random) {
        float[] values = new float[n * count * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return HostArrays.ofFloat32(like, values, new Shape(n, count, 2));
    }
}
