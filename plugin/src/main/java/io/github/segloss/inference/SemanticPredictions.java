package io.github.segloss.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.Shapes;
import java.util.ArrayList;
import java.util.List;

/**
 * Semantic predictions: the class map of each image from a model's class logits, as PSPNet's
 * inference computes it, PyTorch's {@code F.interpolate(logits, size, mode="bilinear",
 * align_corners=False).argmax(1)}.
 *
 * <p>The logits {@code (N, C, h, w)} are upsampled to each image's size and reduced to class ids in
 * bands of rows by {@link ClassMaps#upsampledArgMax(NDArray, int, int, boolean)}: the upsampled
 * logits of a whole image, {@code C × H × W} values, are never held at once, so memory stays
 * bounded for large images and many classes (about 16 MB of upsampled logits per band, plus the
 * {@code H × W} class ids). The images of a batch may have different sizes: each image's logits are
 * upsampled to its own size (logits of padded images must be cropped to the image's region first,
 * as a model's padding is not the image's). The class maps are returned on the host, one {@code
 * int} per pixel, row-major.
 *
 * <p>Ties between classes go to the class the engine's {@code argMax} picks (the first on PyTorch);
 * classes whose logits differ by a few float rounding units may differ from PyTorch's choice, as
 * the upsampled values are computed in another order. The logits must be finite.
 */
public final class SemanticPredictions {

    private SemanticPredictions() {}

    /**
     * Computes the class maps of a batch of images of one size.
     *
     * @param logits the class logits {@code (N, C, h, w)}, floating point
     * @param height the images' height, >= 1
     * @param width the images' width, >= 1
     * @return {@code N × height × width} class ids in {@code [0, C)}, row-major
     * @throws IllegalArgumentException if the logits are not a 4-d float array with at least one
     *     class, a size is below 1, or the maps have more than {@code Integer.MAX_VALUE} pixels
     */
    public static int[] classMap(NDArray logits, int height, int width) {
        return ClassMaps.upsampledArgMax(logits, height, width, false);
    }

    /**
     * Computes the class map of each image of a batch at its own size.
     *
     * @param logits the class logits {@code (N, C, h, w)}, floating point
     * @param sizes one {@code (height, width)} per image, both >= 1
     * @return one class map per image, {@code height × width} class ids in {@code [0, C)},
     *     row-major
     * @throws IllegalArgumentException if the logits are not a 4-d float array with at least one
     *     class, the sizes are not one 2-d shape of positive sizes per image, or a map has more
     *     than {@code Integer.MAX_VALUE} pixels
     */
    public static List<int[]> classMaps(NDArray logits, List<Shape> sizes) {
        Shapes.requireFloat(logits, "logits", 4, "(N, C, h, w)");
        Shape shape = logits.getShape();
        if (shape.dimension() != 4 || shape.get(1) < 1) {
            throw new IllegalArgumentException(
                    "logits must have shape (N, C, h, w) with C >= 1, got " + shape);
        }
        if (sizes == null || sizes.size() != shape.get(0)) {
            throw new IllegalArgumentException(
                    "sizes must hold one (height, width) per image of logits "
                            + shape
                            + ", expected "
                            + shape.get(0)
                            + ", got "
                            + (sizes == null ? "null" : sizes.size() + " sizes"));
        }
        for (int n = 0; n < sizes.size(); n++) {
            Shape size = sizes.get(n);
            if (size == null
                    || size.dimension() != 2
                    || size.get(0) < 1
                    || size.get(1) < 1
                    || size.get(0) > Integer.MAX_VALUE
                    || size.get(1) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "sizes["
                                + n
                                + "] must be (height, width) with both in [1, "
                                + Integer.MAX_VALUE
                                + "], got "
                                + size);
            }
        }
        List<int[]> maps = new ArrayList<>(sizes.size());
        for (int n = 0; n < sizes.size(); n++) {
            Shape size = sizes.get(n);
            try (NDScope image = new NDScope()) {
                image.suppressNotUsedWarning();
                NDArray one = logits.get(n).expandDims(0);
                maps.add(
                        ClassMaps.upsampledArgMax(
                                one, (int) size.get(0), (int) size.get(1), false));
            }
        }
        return maps;
    }
}
