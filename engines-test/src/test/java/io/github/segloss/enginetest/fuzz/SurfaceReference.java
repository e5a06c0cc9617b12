package io.github.segloss.enginetest.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A brute-force reference of the surface metrics, independent of the library: the surface of a mask
 * is found pixel by pixel from its coordinates (a mask pixel with a neighbour along some axis
 * outside the mask or the image, as scipy's binary erosion removes it), and the distance of a
 * surface pixel to another surface is the minimum over all of its pixels, in float64, then rounded
 * to float32 as MONAI returns it. A missing surface follows MONAI's {@code get_surface_distance}:
 * every distance to it is +∞, and from a missing surface to a present one come as many +∞ as it has
 * pixels.
 */
final class SurfaceReference {

    private SurfaceReference() {}

    /** The coordinates of the surface pixels of class c in one image. */
    static List<int[]> surface(int[] classes, int offset, int[] shape, int c) {
        List<int[]> out = new ArrayList<>();
        int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        for (int i = 0; i < size; i++) {
            if (classes[offset + i] != c) {
                continue;
            }
            int[] at = coordinates(i, shape);
            boolean edge = false;
            for (int axis = 0; axis < shape.length && !edge; axis++) {
                for (int step = -1; step <= 1 && !edge; step += 2) {
                    int[] next = at.clone();
                    next[axis] += step;
                    edge =
                            next[axis] < 0
                                    || next[axis] >= shape[axis]
                                    || classes[offset + flat(next, shape)] != c;
                }
            }
            if (edge) {
                out.add(at);
            }
        }
        return out;
    }

    /** The distances from the pixels of one surface to another. */
    static float[] distances(List<int[]> from, List<int[]> to, double[] spacing) {
        if (to.isEmpty() || from.isEmpty()) {
            float[] out = new float[to.isEmpty() ? from.size() : to.size()];
            Arrays.fill(out, Float.POSITIVE_INFINITY);
            return out;
        }
        float[] out = new float[from.size()];
        for (int i = 0; i < out.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int[] q : to) {
                double sum = 0;
                for (int k = 0; k < spacing.length; k++) {
                    double d = (from.get(i)[k] - q[k]) * spacing[k];
                    sum += d * d;
                }
                best = Math.min(best, sum);
            }
            out[i] = (float) Math.sqrt(best);
        }
        return out;
    }

    /** numpy's default (linear) percentile in float64, +∞ when the values are. */
    static double percentile(float[] values, double p) {
        double[] sorted = new double[values.length];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = values[i];
        }
        Arrays.sort(sorted);
        double rank = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        if (sorted[lo] == sorted[hi]) {
            return sorted[lo];
        }
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The maximum (p = 0) or percentile p of some distances, NaN for none. */
    static double hausdorff(float[] d, double p) {
        if (d.length == 0) {
            return Double.NaN;
        }
        if (p == 0) {
            double max = Double.NEGATIVE_INFINITY;
            for (float v : d) {
                max = Math.max(max, v);
            }
            return max;
        }
        return percentile(d, p);
    }

    /** The mean of some distances, NaN for none. */
    static double mean(float[]... sets) {
        double sum = 0;
        int count = 0;
        for (float[] set : sets) {
            for (float v : set) {
                sum += v;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The share of the distances within a tolerance (compared as float32), NaN for none. */
    static double surfaceDice(float[] a, float[] b, double tolerance) {
        float t = (float) tolerance;
        int within = 0;
        for (float v : a) {
            within += v <= t ? 1 : 0;
        }
        for (float v : b) {
            within += v <= t ? 1 : 0;
        }
        int total = a.length + b.length;
        return total == 0 ? Double.NaN : (double) within / total;
    }

    private static int[] coordinates(int i, int[] shape) {
        int[] at = new int[shape.length];
        for (int k = shape.length - 1; k >= 0; k--) {
            at[k] = i % shape[k];
            i /= shape[k];
        }
        return at;
    }

    private static int flat(int[] at, int[] shape) {
        int i = 0;
        for (int k = 0; k < shape.length; k++) {
            i = i * shape[k] + at[k];
        }
        return i;
    }
}
