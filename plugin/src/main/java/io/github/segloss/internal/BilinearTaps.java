package io.github.segloss.internal;

/**
 * The two taps of bilinear interpolation along one axis, as PyTorch's {@code F.interpolate(...,
 * mode="bilinear")} places them: output index {@code u} reads input indices {@code low[u]} and
 * {@code high[u]} with weights {@code lowWeight[u]} and {@code highWeight[u]}. Where both taps fall
 * on the same input index (at the borders) the whole weight, 1, is on {@code low} and {@code
 * highWeight} is 0, so the taps and the interpolation matrix built from them hold the same numbers.
 *
 * @param low the first input index of each output index
 * @param high the second input index, {@code min(low + 1, in - 1)}
 * @param lowWeight the weight of {@code low}
 * @param highWeight the weight of {@code high}
 */
public record BilinearTaps(int[] low, int[] high, double[] lowWeight, double[] highWeight) {

    /**
     * Computes the taps of output indices {@code [first, first + count)}.
     *
     * @param in the input size, >= 1
     * @param out the output size, >= 1
     * @param alignCorners PyTorch's {@code align_corners}
     * @param first the first output index
     * @param count the output indices
     * @return the taps, {@code count} of each
     */
    public static BilinearTaps of(int in, int out, boolean alignCorners, int first, int count) {
        int[] low = new int[count];
        int[] high = new int[count];
        double[] lowWeight = new double[count];
        double[] highWeight = new double[count];
        for (int i = 0; i < count; i++) {
            int u = first + i;
            double source;
            if (alignCorners) {
                source = out > 1 ? u * (double) (in - 1) / (out - 1) : 0;
            } else {
                source = Math.max(0, (u + 0.5) * in / out - 0.5);
            }
            low[i] = Math.min((int) Math.floor(source), in - 1);
            high[i] = Math.min(low[i] + 1, in - 1);
            double fraction = source - low[i];
            if (low[i] == high[i]) {
                lowWeight[i] = 1 - fraction + fraction;
            } else {
                lowWeight[i] = 1 - fraction;
                highWeight[i] = fraction;
            }
        }
        return new BilinearTaps(low, high, lowWeight, highWeight);
    }

    /**
     * Returns the row-major {@code (count, in)} interpolation matrix of these taps.
     *
     * @param in the input size
     * @return the weights, two (or one) non-zero per row
     */
    public double[] matrix(int in) {
        double[] weights = new double[Math.multiplyExact(low.length, in)];
        for (int i = 0; i < low.length; i++) {
            weights[i * in + low[i]] += lowWeight[i];
            weights[i * in + high[i]] += highWeight[i];
        }
        return weights;
    }
}
