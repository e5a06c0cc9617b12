package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;

/** The positions of each row's smallest values, with the fastest operation each engine offers. */
public final class RowRanks {

    private RowRanks() {}

    /**
     * Returns the column indices of the {@code count} smallest values of each row of a 2-d array,
     * smallest first: a partial top-k on PyTorch, a full {@code argSort} on the engines whose DJL
     * binding has no top-k (MXNet), which is the same ranking at a higher cost.
     *
     * @param values the values {@code (R, S)}
     * @param count how many per row, in [0, S]
     * @return the indices {@code (R, count)}
     */
    public static NDArray smallest(NDArray values, int count) {
        if ("PyTorch".equals(values.getManager().getEngine().getEngineName())) {
            return values.topK(count, 1, false, true).get(1);
        }
        return values.argSort(1, true).get(":, 0:" + count);
    }
}
