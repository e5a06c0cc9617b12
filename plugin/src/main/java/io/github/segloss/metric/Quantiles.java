package io.github.segloss.metric;

import java.util.Arrays;

/** {@code torch.quantile} of float32 values, in float32 as PyTorch computes it. */
final class Quantiles {

    private Quantiles() {}

    /**
     * The percentile of some values: sorted, the rank \( q (n - 1) \) with \( q = p / 100 \),
     * linear between the two nearest values ({@code torch.lerp}); values that are all +∞ give +∞
     * (PyTorch: NaN unless the rank is whole).
     *
     * @param values the values, at least one, none NaN
     * @param percentile p in (0, 100]
     * @return the quantile
     */
    static double quantile(float[] values, double percentile) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        float q = (float) (percentile / 100);
        float rank = q * (sorted.length - 1);
        int lower = (int) Math.floor(rank);
        int upper = Math.min((int) Math.ceil(rank), sorted.length - 1);
        float start = sorted[lower];
        float end = sorted[upper];
        if (start == end) {
            return start;
        }
        if (Float.isInfinite(end)) {
            return end;
        }
        float weight = rank - lower;
        return weight < 0.5f ? start + weight * (end - start) : end - (end - start) * (1 - weight);
    }
}
