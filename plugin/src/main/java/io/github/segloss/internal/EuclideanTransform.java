package io.github.segloss.internal;

import java.util.Arrays;

/**
 * The exact Euclidean distance transform of Felzenszwalb and Huttenlocher ("Distance Transforms of
 * Sampled Functions", 2012) on a row-major host array: the squared distance is the lower envelope
 * of parabolas, computed by one linear pass per axis, so an image of n pixels costs O(n · rank).
 *
 * <p>It equals {@code scipy.ndimage.distance_transform_edt} (scipy 1.10): each nonzero pixel gets
 * its distance to the nearest zero pixel, with the per-axis spacing {@code sampling}; zero pixels
 * get 0. An input without any zero pixel gets what scipy gives there, the distance to a virtual
 * zero pixel at index {@code (-1, 0, ..., 0)}, i.e. \( \sqrt{((i_0 + 1) s_0)^2 + \sum_{k \ge 1}
 * (i_k s_k)^2} \): an artefact of scipy's feature transform, kept because the reference
 * implementations (boundary-loss's {@code one_hot2dist} on a class that fills its image) read it.
 */
public final class EuclideanTransform {

    private final int[] shape;
    private final double[] sampling;
    private final int size;
    private final double[] squared;
    private final Line line;

    /**
     * Creates the transform of images of one shape and spacing, with its buffers: one instance
     * transforms any number of images (not concurrently) without allocating.
     *
     * @param shape the images' shape, every axis >= 1
     * @param sampling the spacing per axis, positive and finite
     */
    public EuclideanTransform(int[] shape, double[] sampling) {
        this.shape = shape.clone();
        this.sampling = sampling.clone();
        int product = 1;
        for (int length : shape) {
            product = Math.multiplyExact(product, length);
        }
        this.size = product;
        this.squared = new double[product];
        this.line = new Line(Arrays.stream(shape).max().orElse(1));
    }

    /**
     * Returns the number of pixels of an image.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /**
     * Transforms one image.
     *
     * @param nonzero the image, row-major; true marks a nonzero pixel (whose distance is computed)
     * @param offset where the image starts in {@code nonzero}
     * @param out where the distances go
     * @param outOffset where they start in {@code out}
     */
    public void transform(boolean[] nonzero, int offset, double[] out, int outOffset) {
        boolean anyZero = false;
        for (int i = 0; i < size && !anyZero; i++) {
            anyZero = !nonzero[offset + i];
        }
        if (!anyZero) {
            noZeroPixel(outOffset, shape, sampling, out, size);
            return;
        }
        for (int i = 0; i < size; i++) {
            squared[i] = nonzero[offset + i] ? Double.POSITIVE_INFINITY : 0;
        }
        int stride = size;
        for (int axis = 0; axis < shape.length; axis++) {
            int length = shape[axis];
            stride /= length;
            if (length > 1) {
                transformAxis(squared, size, length, stride, sampling[axis], line);
            }
        }
        for (int i = 0; i < size; i++) {
            out[outOffset + i] = Math.sqrt(squared[i]);
        }
    }

    /** scipy's value for an image without a zero pixel (see the class documentation). */
    private static void noZeroPixel(
            int offset, int[] shape, double[] sampling, double[] out, int size) {
        for (int i = 0; i < size; i++) {
            double sum = 0;
            int rest = i;
            for (int axis = shape.length - 1; axis >= 0; axis--) {
                int index = rest % shape[axis];
                rest /= shape[axis];
                double d = (axis == 0 ? index + 1 : index) * sampling[axis];
                sum += d * d;
            }
            out[offset + i] = Math.sqrt(sum);
        }
    }

    /** The squared transform along one axis of every line of {@code f}, in place. */
    private static void transformAxis(
            double[] f, int size, int length, int stride, double spacing, Line line) {
        int block = length * stride;
        for (int start = 0; start < size; start += block) {
            for (int inner = 0; inner < stride; inner++) {
                int first = start + inner;
                for (int q = 0; q < length; q++) {
                    line.values[q] = f[first + q * stride];
                }
                line.transform(length, spacing);
                for (int q = 0; q < length; q++) {
                    f[first + q * stride] = line.result[q];
                }
            }
        }
    }

    /** The buffers of the one-dimensional transform, reused for every line. */
    private static final class Line {

        final double[] values;
        final double[] result;
        private final int[] parabolas;
        private final double[] bounds;

        Line(int capacity) {
            values = new double[capacity];
            result = new double[capacity];
            parabolas = new int[capacity];
            bounds = new double[capacity + 1];
        }

        /**
         * \( d(p) = \min_q ((p - q) s)^2 + f(q) \) over the finite \( f(q) \); all infinite if none
         * is.
         */
        void transform(int length, double spacing) {
            int k = -1;
            for (int q = 0; q < length; q++) {
                double fq = values[q];
                if (fq == Double.POSITIVE_INFINITY) {
                    continue;
                }
                if (k < 0) {
                    k = 0;
                    parabolas[0] = q;
                    bounds[0] = Double.NEGATIVE_INFINITY;
                    bounds[1] = Double.POSITIVE_INFINITY;
                    continue;
                }
                double xq = q * spacing;
                double crossing;
                while (true) {
                    int v = parabolas[k];
                    double xv = v * spacing;
                    crossing = ((fq + xq * xq) - (values[v] + xv * xv)) / (2 * (xq - xv));
                    if (crossing <= bounds[k]) {
                        k--;
                    } else {
                        break;
                    }
                }
                k++;
                parabolas[k] = q;
                bounds[k] = crossing;
                bounds[k + 1] = Double.POSITIVE_INFINITY;
            }
            if (k < 0) {
                Arrays.fill(result, 0, length, Double.POSITIVE_INFINITY);
                return;
            }
            k = 0;
            for (int p = 0; p < length; p++) {
                double x = p * spacing;
                while (bounds[k + 1] < x) {
                    k++;
                }
                double dx = x - parabolas[k] * spacing;
                result[p] = dx * dx + values[parabolas[k]];
            }
        }
    }
}
