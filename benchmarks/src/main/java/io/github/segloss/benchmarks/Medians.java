package io.github.segloss.benchmarks;

import java.util.Arrays;

/** The median of timings, shared by the phase-timing benchmarks. */
final class Medians {

    private Medians() {}

    /**
     * Returns the median.
     *
     * @param values the values, not empty (not changed)
     * @return the middle value, or the mean of the two middle values
     */
    static double of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
