package io.github.segloss.enginetest.fuzz;

/**
 * Float64 references of the distance maps and the distance-based losses, written independently of
 * the library: the Euclidean distance transform by brute force (the minimum over every zero pixel,
 * O(n²)), and the losses' formulas with their exact gradients with respect to the predictions.
 */
final class DistanceReference {

    private DistanceReference() {}

    /**
     * scipy's {@code distance_transform_edt} of one image by brute force, with scipy's value for an
     * image without a zero pixel (the distance to index {@code (-1, 0, ..., 0)}).
     *
     * @param nonzero the image, row-major
     * @param offset where it starts
     * @param shape its shape
     * @param sampling the spacing per axis
     * @return the distances
     */
    static double[] euclidean(boolean[] nonzero, int offset, int[] shape, double[] sampling) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        double[] out = new double[size];
        boolean anyZero = false;
        for (int j = 0; j < size; j++) {
            anyZero |= !nonzero[offset + j];
        }
        for (int i = 0; i < size; i++) {
            if (!nonzero[offset + i]) {
                continue;
            }
            int[] a = index(i, shape);
            double best = Double.POSITIVE_INFINITY;
            if (!anyZero) {
                int[] virtual = new int[shape.length];
                virtual[0] = -1;
                best = squared(a, virtual, sampling);
            }
            for (int j = 0; j < size; j++) {
                if (!nonzero[offset + j]) {
                    best = Math.min(best, squared(a, index(j, shape), sampling));
                }
            }
            out[i] = Math.sqrt(best);
        }
        return out;
    }

    /**
     * boundary-loss's signed map of one mask: outside, the distance to the mask; inside, minus the
     * distance to the outside plus 1; 0 for an empty mask.
     */
    static double[] signed(boolean[] mask, int offset, int[] shape, double[] sampling) {
        int size = sizeOf(shape);
        double[] out = new double[size];
        if (!any(mask, offset, size, true)) {
            return out;
        }
        boolean[] negative = negated(mask, offset, size);
        double[] outside = euclidean(negative, 0, shape, sampling);
        double[] inside = euclidean(mask, offset, shape, sampling);
        for (int i = 0; i < size; i++) {
            out[i] = mask[offset + i] ? 1 - inside[i] : outside[i];
        }
        return out;
    }

    /** MONAI's distance field of one mask: edt(mask) + edt(not mask), 0 if empty or full. */
    static double[] field(boolean[] mask, int offset, int[] shape, double[] sampling) {
        int size = sizeOf(shape);
        double[] out = new double[size];
        if (!any(mask, offset, size, true) || !any(mask, offset, size, false)) {
            return out;
        }
        double[] outside = euclidean(negated(mask, offset, size), 0, shape, sampling);
        double[] inside = euclidean(mask, offset, shape, sampling);
        for (int i = 0; i < size; i++) {
            out[i] = inside[i] + outside[i];
        }
        return out;
    }

    /**
     * A loss \( \sum_c s_c L_c / \sum_c s_c \), \( L_c \) the mean of {@code term} over the valid
     * elements of class c in the batch, and its gradient with respect to the probabilities given
     * the term's derivative.
     *
     * @param term the term per element {@code (N, C, P)}
     * @param derivative the term's derivative with respect to the probability per element
     * @param valid where the elements count
     * @param selection the weight of each class (0 where it does not count)
     * @param n N
     * @param classes C
     * @param pixels P
     * @return the value (index 0) and the gradient with respect to the probabilities (after it)
     */
    static double[] classMean(
            double[] term,
            double[] derivative,
            boolean[] valid,
            double[] selection,
            int n,
            int classes,
            int pixels) {
        double total = 0;
        for (double s : selection) {
            total += s;
        }
        double[] result = new double[1 + term.length];
        if (total == 0) {
            return result;
        }
        for (int k = 0; k < classes; k++) {
            double sum = 0;
            int count = 0;
            for (int b = 0; b < n; b++) {
                for (int s = 0; s < pixels; s++) {
                    int at = (b * classes + k) * pixels + s;
                    if (valid[at]) {
                        sum += term[at];
                        count++;
                    }
                }
            }
            if (count == 0) {
                continue;
            }
            result[0] += selection[k] / total * sum / count;
            for (int b = 0; b < n; b++) {
                for (int s = 0; s < pixels; s++) {
                    int at = (b * classes + k) * pixels + s;
                    if (valid[at]) {
                        result[1 + at] = selection[k] / total * derivative[at] / count;
                    }
                }
            }
        }
        return result;
    }

    private static int sizeOf(int[] shape) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        return size;
    }

    private static int[] index(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return index;
    }

    private static double squared(int[] a, int[] b, double[] sampling) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            double d = (a[k] - b[k]) * sampling[k];
            sum += d * d;
        }
        return sum;
    }

    private static boolean any(boolean[] mask, int offset, int size, boolean value) {
        for (int i = offset; i < offset + size; i++) {
            if (mask[i] == value) {
                return true;
            }
        }
        return false;
    }

    private static boolean[] negated(boolean[] mask, int offset, int size) {
        boolean[] negative = new boolean[size];
        for (int i = 0; i < size; i++) {
            negative[i] = !mask[offset + i];
        }
        return negative;
    }
}
