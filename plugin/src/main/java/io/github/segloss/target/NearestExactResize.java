package io.github.segloss.target;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.HostArrays;
import java.util.Arrays;

/**
 * Nearest-neighbour resizing of label maps, equal to PyTorch's {@code F.interpolate(labels.float(),
 * size, mode="nearest-exact")}, which MONAI's {@code DeepSupervisionLoss} uses to bring the labels
 * to each head's size (PyTorch's plain {@code "nearest"} picks other pixels).
 *
 * <p>Along each resized axis of input size \(n\) and output size \(m\), output index \(i\) reads
 * input index \( \min(\lfloor (i + \tfrac{1}{2}) n / m \rfloor, n - 1) \), computed in exact
 * integer arithmetic. The last {@code size.length} axes are resized; the values are copied, never
 * blended, so class indices, the ignore label and 0/1 masks stay what they were, in the input's
 * data type. The selection is applied as a product with a 0/1 matrix per axis, which copies values
 * exactly on every engine.
 */
public final class NearestExactResize {

    private NearestExactResize() {}

    /**
     * Resizes the trailing axes of a label map.
     *
     * @param labels the labels, e.g. {@code (N, H, W)}, {@code (N, 1, H, W)} or {@code (N, C, D, H,
     *     W)}, of any numeric type
     * @param size the output sizes of the last {@code size.length} axes, each >= 1
     * @return the resized labels in the input's type, on its device; the input itself when the
     *     sizes already match (also when they are 0)
     * @throws IllegalArgumentException if a size is below 1, there are no sizes, or the labels have
     *     fewer than {@code size.length + 1} axes
     */
    public static NDArray resize(NDArray labels, long... size) {
        Shape shape = labels.getShape();
        int rank = shape.dimension();
        if (size.length == 0 || rank < size.length + 1) {
            throw new IllegalArgumentException(
                    "labels must have a batch axis and "
                            + size.length
                            + " axes to resize, got shape "
                            + shape
                            + " for size "
                            + Arrays.toString(size));
        }
        int first = rank - size.length;
        boolean same = true;
        for (int a = 0; a < size.length; a++) {
            same &= shape.get(first + a) == size[a];
        }
        if (same) {
            return labels;
        }
        for (long s : size) {
            if (s < 1) {
                throw new IllegalArgumentException(
                        "size must be >= 1 on every axis, got " + Arrays.toString(size));
            }
        }
        DataType type = labels.getDataType();
        // float64 copies every int32 and float32 value exactly; float16 has no product on some CPUs
        NDArray x = type == DataType.FLOAT32 ? labels : labels.toType(DataType.FLOAT64, false);
        for (int a = 0; a < size.length; a++) {
            int axis = first + a;
            int in = Math.toIntExact(shape.get(axis));
            int out = Math.toIntExact(size[a]);
            if (in == 0) {
                throw new IllegalArgumentException(
                        "labels have no pixel on axis " + axis + " to resize, shape " + shape);
            }
            if (in != out) {
                x = resizeAxis(x, axis, in, out);
            }
        }
        return x.getDataType() == type ? x : x.toType(type, false);
    }

    /** Resizes one axis: moved last, flattened to rows, times the selection, and moved back. */
    private static NDArray resizeAxis(NDArray x, int axis, int in, int out) {
        int last = x.getShape().dimension() - 1;
        NDArray moved = x.swapAxes(axis, last);
        Shape kept = moved.getShape().slice(0, last);
        NDArray rows = moved.reshape(kept.size(), in).matMul(selection(x, in, out));
        return rows.reshape(kept.add(out)).swapAxes(axis, last);
    }

    /**
     * Returns the input index that output index {@code i} reads: \( \min(\lfloor (2i + 1) n / 2m
     * \rfloor, n - 1) \).
     *
     * @param i the output index
     * @param in the input size n
     * @param out the output size m
     * @return the input index
     */
    static int source(int i, int in, int out) {
        long index = ((2L * i + 1) * in) / (2L * out);
        return (int) Math.min(index, in - 1);
    }

    /** The {@code (in, out)} 0/1 matrix whose column i selects input row {@code source(i)}. */
    private static NDArray selection(NDArray like, int in, int out) {
        double[] ones = new double[Math.multiplyExact(in, out)];
        for (int i = 0; i < out; i++) {
            ones[source(i, in, out) * out + i] = 1;
        }
        return HostArrays.of(like, ones, new Shape(in, out));
    }
}
