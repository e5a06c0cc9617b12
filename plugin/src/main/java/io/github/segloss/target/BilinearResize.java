package io.github.segloss.target;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.BilinearTaps;
import io.github.segloss.internal.HostArrays;
import io.github.segloss.internal.Shapes;

/**
 * Bilinear resizing of feature maps {@code (N, C, H, W)}, equal to PyTorch's {@code
 * F.interpolate(x, size=(outH, outW), mode="bilinear", align_corners=...)} and differentiable on
 * every engine (DJL's {@code interpolation} is missing on MXNet and its {@code resize} has no
 * gradient there).
 *
 * <p>Bilinear interpolation is separable: \( \mathrm{out} = A_y \, X \, A_x^\top \) with the
 * interpolation matrices \( A_y \) of shape {@code (outH, H)} and \( A_x \) of shape {@code (outW,
 * W)}, applied with a batched {@code matMul}. Row \(u\) of \( A_y \) has the weights \( 1 - \lambda
 * \) and \( \lambda \) at rows \( \lfloor s \rfloor \) and \( \min(\lfloor s \rfloor + 1, H - 1) \)
 * of the input, for the source coordinate \( s = \max(0, (u + 0.5) H / \mathrm{outH} - 0.5) \) (or
 * \( s = u (H - 1)/(\mathrm{outH} - 1) \) with aligned corners) and \( \lambda = s - \lfloor s
 * \rfloor \).
 */
public final class BilinearResize {

    private BilinearResize() {}

    /**
     * Resizes feature maps.
     *
     * @param input the maps {@code (N, C, H, W)}, floating point
     * @param height the output height, >= 1
     * @param width the output width, >= 1
     * @param alignCorners PyTorch's {@code align_corners}
     * @return {@code (N, C, height, width)} in the input's type, on its device
     * @throws IllegalArgumentException if the input is not a 4-d float array or a size is below 1
     */
    public static NDArray resize(NDArray input, int height, int width, boolean alignCorners) {
        Shapes.requireFloat(input, "input", 4, "(N, C, H, W)");
        Shape shape = input.getShape();
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException("input must have shape (N, C, H, W), got " + shape);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "output size must be at least 1 x 1, got " + height + " x " + width);
        }
        int inHeight = Math.toIntExact(shape.get(2));
        int inWidth = Math.toIntExact(shape.get(3));
        if (inHeight == height && inWidth == width) {
            return input;
        }
        NDArray rows = matrix(input, weights(inHeight, height, alignCorners), height, inHeight);
        NDArray columns =
                matrix(input, weights(inWidth, width, alignCorners), width, inWidth)
                        .transpose(0, 1, 3, 2);
        return rows.matMul(input).matMul(columns);
    }

    /**
     * The row-major {@code (out, in)} interpolation matrix of one axis.
     *
     * @param in the input size
     * @param out the output size
     * @param alignCorners PyTorch's {@code align_corners}
     * @return the weights
     */
    static double[] weights(int in, int out, boolean alignCorners) {
        return BilinearTaps.of(in, out, alignCorners, 0, out).matrix(in);
    }

    private static NDArray matrix(NDArray like, double[] weights, int rows, int columns) {
        return HostArrays.of(like, weights, new Shape(1, 1, rows, columns));
    }
}
