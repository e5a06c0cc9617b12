package io.github.segloss.target;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.EuclideanTransform;
import io.github.segloss.internal.HostArrays;
import io.github.segloss.internal.Shapes;
import io.github.segloss.internal.ValueChecks;
import java.util.Arrays;

/**
 * Exact Euclidean distance transforms and the distance maps of the distance-based losses ({@link
 * io.github.segloss.loss.BoundaryLoss}, {@link io.github.segloss.loss.HausdorffDTLoss}), on the
 * host (plain Java arrays, for a data loader) and for {@code NDArray}s of any engine.
 *
 * <ul>
 *   <li>{@link #euclidean}: equal to {@code scipy.ndimage.distance_transform_edt(x, sampling)}:
 *       each nonzero pixel gets its Euclidean distance to the nearest zero pixel, with the spacing
 *       {@code sampling} per axis; zero pixels get 0. An all-zero input gives all 0. An input
 *       without a zero pixel has no distance; it gets what scipy 1.10 gives there, the distance to
 *       a virtual zero pixel just before the first one, at index {@code (-1, 0, ..., 0)}: \(
 *       \sqrt{((i_0 + 1) s_0)^2 + \sum_{k \ge 1} (i_k s_k)^2} \) (the reference implementations
 *       read it for a class that fills its whole image, so it is kept).
 *   <li>{@link #signed}: the signed distance map of a mask (pixels above 0.5 inside), in the
 *       convention of boundary-loss's {@code one_hot2dist} (Kervadec et al.): outside the mask, the
 *       distance to the nearest inside pixel (positive); inside, minus the distance to the nearest
 *       outside pixel plus 1, so that the inside pixels along the border are 0 and deeper ones
 *       negative; an empty mask gives 0 everywhere.
 *   <li>{@link #signedPerClass}: the signed map of every class of class-index labels, {@code (C,
 *       d1..dk)} per image; an ignored pixel belongs to no class (it lies outside every mask).
 *   <li>{@link #distanceField}: MONAI's {@code HausdorffDTLoss.distance_field}, the unsigned field
 *       \( \mathrm{edt}(m) + \mathrm{edt}(\neg m) \) (inside, the distance to the nearest outside
 *       pixel; outside, to the nearest inside one; no −1), 0 everywhere for a mask that is empty or
 *       full.
 * </ul>
 *
 * <p>The transform is Felzenszwalb and Huttenlocher's separable exact algorithm (one linear pass
 * per axis, in float64): a 512 × 512 map costs a few milliseconds on one core. Exact distance
 * transforms have no practical formulation in DJL's operators (they need a sequential lower
 * envelope per line), so the {@code NDArray} methods copy their input to the host, transform it
 * there and copy the result back to the input's device: the same numbers on every engine and
 * device. The maps are not differentiable (they are targets, or depend on a thresholded
 * prediction). Images of any rank work; 2-D and 3-D are the usual. Sampling is optional: without it
 * every axis has spacing 1.
 */
public final class DistanceMaps {

    private DistanceMaps() {}

    /**
     * The Euclidean distance transform of one image on the host.
     *
     * @param nonzero the image, row-major: true for a nonzero pixel
     * @param shape the image's shape, each axis >= 1
     * @param sampling the spacing of each axis (positive, finite), or none for 1 everywhere
     * @return the distances, row-major, float64
     * @throws IllegalArgumentException if the shape does not match the image's size or the sampling
     *     is bad
     */
    public static double[] euclidean(boolean[] nonzero, int[] shape, double... sampling) {
        double[] spacing = checked(nonzero.length, shape, sampling);
        double[] out = new double[nonzero.length];
        if (nonzero.length > 0) {
            new EuclideanTransform(shape, spacing).transform(nonzero, 0, out, 0);
        }
        return out;
    }

    /**
     * The signed distance map of one mask on the host (boundary-loss's convention, see the class
     * documentation).
     *
     * @param mask the mask, row-major: true inside
     * @param shape the mask's shape, each axis >= 1
     * @param sampling the spacing of each axis (positive, finite), or none for 1 everywhere
     * @return the signed distances, row-major, float64
     * @throws IllegalArgumentException if the shape does not match the mask's size or the sampling
     *     is bad
     */
    public static double[] signed(boolean[] mask, int[] shape, double... sampling) {
        double[] spacing = checked(mask.length, shape, sampling);
        double[] out = new double[mask.length];
        new Maps(shape, spacing).signed(mask, 0, out, 0);
        return out;
    }

    /**
     * MONAI's unsigned distance field of one mask on the host (see the class documentation).
     *
     * @param mask the mask, row-major: true inside
     * @param shape the mask's shape, each axis >= 1
     * @param sampling the spacing of each axis (positive, finite), or none for 1 everywhere
     * @return the distances, row-major, float64
     * @throws IllegalArgumentException if the shape does not match the mask's size or the sampling
     *     is bad
     */
    public static double[] distanceField(boolean[] mask, int[] shape, double... sampling) {
        double[] spacing = checked(mask.length, shape, sampling);
        double[] out = new double[mask.length];
        new Maps(shape, spacing).field(mask, 0, out, 0);
        return out;
    }

    /**
     * The signed distance map of every class of one image's class-index labels on the host, for a
     * data loader that hands {@link io.github.segloss.loss.BoundaryLoss} its maps.
     *
     * @param labels the labels, row-major, each a class in {@code [0, numClasses)} or {@code
     *     ignoreIndex}
     * @param shape the image's shape, each axis >= 1
     * @param numClasses the number of classes C, >= 1
     * @param ignoreIndex the label of unlabelled pixels (with none, any value that is not a class)
     * @param sampling the spacing of each axis (positive, finite), or none for 1 everywhere
     * @return the maps {@code (C, d1..dk)}, row-major, float32
     * @throws IllegalArgumentException if a label is neither a class nor the ignore index, or the
     *     shape or sampling is bad
     */
    public static float[] signedPerClass(
            int[] labels, int[] shape, int numClasses, int ignoreIndex, double... sampling) {
        double[] spacing = checked(labels.length, shape, sampling);
        requireClasses(numClasses);
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            if ((label < 0 || label >= numClasses) && label != ignoreIndex) {
                throw new IllegalArgumentException(
                        "labels must be classes in [0, "
                                + numClasses
                                + ") or the ignore index "
                                + ignoreIndex
                                + ", got "
                                + label
                                + " at "
                                + Shapes.position(i, new Shape(toLongs(shape))));
            }
        }
        int size = labels.length;
        double[] maps = new double[numClasses * size];
        boolean[] mask = new boolean[size];
        Maps workspace = new Maps(shape, spacing);
        for (int c = 0; c < numClasses; c++) {
            for (int i = 0; i < size; i++) {
                mask[i] = labels[i] == c;
            }
            workspace.signed(mask, 0, maps, c * size);
        }
        float[] out = new float[maps.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) maps[i];
        }
        return out;
    }

    /**
     * The Euclidean distance transform of each image of an array, as {@link #euclidean(boolean[],
     * int[], double...)} (a pixel is nonzero when it is not 0; NaN is nonzero, as in scipy).
     *
     * @param input the images: the transform runs over the last {@code sampling.length} axes (all
     *     axes without sampling), the leading axes enumerate independent images
     * @param sampling the spacing of each transformed axis (positive, finite), or none for every
     *     axis with spacing 1
     * @return the distances, of the input's shape, on its device, in its float type (float32 for
     *     other inputs)
     * @throws IllegalArgumentException if the sampling has more axes than the input or a bad value
     */
    public static NDArray euclidean(NDArray input, double... sampling) {
        return onHost(input, sampling, "input", Kind.EUCLIDEAN);
    }

    /**
     * The signed distance map of each mask of an array, as {@link #signed(boolean[], int[],
     * double...)} (values above 0.5 are inside).
     *
     * @param masks the masks, e.g. one-hot targets {@code (N, C, d1..dk)}: the transform runs over
     *     the last {@code sampling.length} axes (all axes without sampling)
     * @param sampling the spacing of each transformed axis (positive, finite), or none for every
     *     axis with spacing 1
     * @return the maps, of the masks' shape, on their device, in their float type (float32 for
     *     other inputs)
     * @throws IllegalArgumentException if the sampling has more axes than the masks or a bad value
     */
    public static NDArray signed(NDArray masks, double... sampling) {
        return onHost(masks, sampling, "masks", Kind.SIGNED);
    }

    /**
     * MONAI's distance field of each mask of an array, as {@link #distanceField(boolean[], int[],
     * double...)} (values above 0.5 are inside, as MONAI thresholds).
     *
     * @param masks the masks, e.g. {@code (N, C, d1..dk)}: the transform runs over the last {@code
     *     sampling.length} axes (all axes without sampling)
     * @param sampling the spacing of each transformed axis (positive, finite), or none for every
     *     axis with spacing 1
     * @return the fields, of the masks' shape, on their device, in their float type (float32 for
     *     other inputs)
     * @throws IllegalArgumentException if the sampling has more axes than the masks or a bad value
     */
    public static NDArray distanceField(NDArray masks, double... sampling) {
        return onHost(masks, sampling, "masks", Kind.FIELD);
    }

    /**
     * The signed distance map of every class of class-index labels, as {@link
     * #signedPerClass(int[], int[], int, int, double...)} per image.
     *
     * @param labels the labels {@code (N, d1..dk)}, integer or whole-number floats
     * @param numClasses the number of classes C, >= 1
     * @param ignoreIndex the label of unlabelled pixels (with none, any value that is not a class)
     * @param sampling the spacing of each of {@code d1..dk} (positive, finite), or none for 1
     * @return the maps {@code (N, C, d1..dk)}, float32, on the labels' device
     * @throws IllegalArgumentException if a label is neither a class nor the ignore index, or the
     *     shape or sampling is bad
     */
    public static NDArray signedPerClass(
            NDArray labels, int numClasses, int ignoreIndex, double... sampling) {
        requireClasses(numClasses);
        Shape shape = labels.getShape();
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException(
                    "labels must have shape (N, d1..dk) with k >= 1, got " + shape);
        }
        Shapes.requireNumeric(labels, "labels");
        int[] image = toInts(shape.slice(1));
        double[] spacing = spacing(image.length, sampling, "labels", shape);
        ValueChecks.requireClassOrIgnore(labels, "labels", numClasses, ignoreIndex);
        int size = Math.toIntExact(shape.slice(1).size());
        int images = Math.toIntExact(shape.get(0));
        int[] values;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            values = labels.toType(DataType.INT32, false).toIntArray();
        }
        double[] maps = new double[Math.multiplyExact(images, numClasses * size)];
        boolean[] mask = new boolean[size];
        Maps workspace = size == 0 ? null : new Maps(image, spacing);
        for (int n = 0; n < images && size > 0; n++) {
            for (int c = 0; c < numClasses; c++) {
                for (int i = 0; i < size; i++) {
                    mask[i] = values[n * size + i] == c;
                }
                workspace.signed(mask, 0, maps, (n * numClasses + c) * size);
            }
        }
        Shape out = new Shape(shape.get(0), numClasses).addAll(shape.slice(1));
        return HostArrays.of(labels, maps, out, DataType.FLOAT32);
    }

    /** What a device method computes per image. */
    private enum Kind {
        EUCLIDEAN,
        SIGNED,
        FIELD
    }

    private static NDArray onHost(NDArray input, double[] sampling, String name, Kind kind) {
        Shape shape = input.getShape();
        int rank = shape.dimension();
        int axes = sampling.length == 0 ? rank : sampling.length;
        if (rank == 0 || axes > rank) {
            throw new IllegalArgumentException(
                    name
                            + " must have at least "
                            + Math.max(1, axes)
                            + " axes to transform, got shape "
                            + shape);
        }
        int[] image = toInts(shape.slice(rank - axes));
        double[] spacing = spacing(axes, sampling, name, shape);
        DataType type = input.getDataType().isFloating() ? input.getDataType() : DataType.FLOAT32;
        int total = Math.toIntExact(shape.size());
        boolean[] inside = new boolean[total];
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray condition =
                    kind == Kind.EUCLIDEAN
                            ? (input.getDataType() == DataType.BOOLEAN ? input : input.neq(0))
                            : (input.getDataType().isFloating()
                                            ? input
                                            : input.toType(DataType.FLOAT32, false))
                                    .gt(0.5);
            int[] flags = condition.toType(DataType.INT32, false).toIntArray();
            for (int i = 0; i < total; i++) {
                inside[i] = flags[i] != 0;
            }
        }
        double[] out = new double[total];
        int size = Math.toIntExact(new Shape(toLongs(image)).size());
        Maps workspace = size == 0 ? null : new Maps(image, spacing);
        for (int start = 0; size > 0 && start < total; start += size) {
            switch (kind) {
                case EUCLIDEAN:
                    workspace.transform.transform(inside, start, out, start);
                    break;
                case SIGNED:
                    workspace.signed(inside, start, out, start);
                    break;
                default:
                    workspace.field(inside, start, out, start);
            }
        }
        return HostArrays.of(input, out, shape, type);
    }

    /** The maps of one image shape and spacing, with buffers reused for every mask. */
    private static final class Maps {

        final EuclideanTransform transform;
        private final boolean[] negative;
        private final double[] outside;
        private final double[] inside;

        Maps(int[] shape, double[] spacing) {
            transform = new EuclideanTransform(shape, spacing);
            negative = new boolean[transform.size()];
            outside = new double[transform.size()];
            inside = new double[transform.size()];
        }

        /**
         * boundary-loss's {@code one_hot2dist} for one mask: {@code edt(neg) * neg - (edt(pos) - 1)
         * * pos} where the mask has a pixel, else 0.
         */
        void signed(boolean[] mask, int offset, double[] out, int outOffset) {
            int size = transform.size();
            if (!any(mask, offset, size, true)) {
                Arrays.fill(out, outOffset, outOffset + size, 0);
                return;
            }
            negate(mask, offset);
            transform.transform(negative, 0, outside, 0);
            transform.transform(mask, offset, inside, 0);
            for (int i = 0; i < size; i++) {
                out[outOffset + i] = mask[offset + i] ? -(inside[i] - 1) : outside[i];
            }
        }

        /** MONAI's {@code distance_field} for one mask: edt(fg) + edt(bg) unless empty or full. */
        void field(boolean[] mask, int offset, double[] out, int outOffset) {
            int size = transform.size();
            if (!any(mask, offset, size, true) || !any(mask, offset, size, false)) {
                Arrays.fill(out, outOffset, outOffset + size, 0);
                return;
            }
            negate(mask, offset);
            transform.transform(negative, 0, outside, 0);
            transform.transform(mask, offset, inside, 0);
            for (int i = 0; i < size; i++) {
                out[outOffset + i] = inside[i] + outside[i];
            }
        }

        private void negate(boolean[] mask, int offset) {
            for (int i = 0; i < negative.length; i++) {
                negative[i] = !mask[offset + i];
            }
        }
    }

    private static boolean any(boolean[] mask, int offset, int size, boolean value) {
        for (int i = offset; i < offset + size; i++) {
            if (mask[i] == value) {
                return true;
            }
        }
        return false;
    }

    private static double[] checked(int size, int[] shape, double[] sampling) {
        long product = 1;
        for (int length : shape) {
            if (length < 1) {
                throw new IllegalArgumentException(
                        "shape must have every axis >= 1, got " + Arrays.toString(shape));
            }
            product *= length;
        }
        if (shape.length == 0 || product != size) {
            throw new IllegalArgumentException(
                    "shape must have at least one axis and as many pixels as the image ("
                            + size
                            + "), got "
                            + Arrays.toString(shape));
        }
        return spacing(shape.length, sampling, "image", new Shape(toLongs(shape)));
    }

    /** The sampling, checked, or 1 on every axis when none is given. */
    private static double[] spacing(int axes, double[] sampling, String name, Shape shape) {
        if (sampling.length == 0) {
            double[] ones = new double[axes];
            Arrays.fill(ones, 1);
            return ones;
        }
        if (sampling.length != axes) {
            throw new IllegalArgumentException(
                    "sampling must have one spacing per transformed axis of "
                            + name
                            + " "
                            + shape
                            + ": "
                            + axes
                            + ", got "
                            + sampling.length);
        }
        for (double s : sampling) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException(
                        "sampling must be finite and > 0, got " + Arrays.toString(sampling));
            }
        }
        return sampling.clone();
    }

    private static void requireClasses(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
    }

    private static int[] toInts(Shape shape) {
        int[] dims = new int[shape.dimension()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = Math.toIntExact(shape.get(i));
        }
        return dims;
    }

    private static long[] toLongs(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }
}
