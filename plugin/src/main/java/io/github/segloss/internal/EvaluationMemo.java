package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;

/**
 * The values a loss computed for the label and prediction arrays of the current batch, so that
 * DJL's second evaluation of the same batch reuses them.
 *
 * <p>DJL evaluates a loss once for the backward pass and then again in {@code
 * Loss.updateAccumulators}, which a training listener calls for the same labels and predictions; a
 * composite loss's components are evaluated a third time when they are also added as evaluators. A
 * loss that remembers its result here, and runs its accumulator update through {@link #accumulate},
 * gets the remembered array back when the update evaluates it again with the very same arrays
 * (compared by identity) while that result is still open: the same value without a second forward
 * pass. Only accumulator updates reuse results (they never need a graph); any other evaluation
 * computes afresh, so a result computed outside a gradient collector is never handed to a backward
 * pass. Entries are dropped once the batch that owns them is closed. Thread-safe.
 */
public final class EvaluationMemo {

    /** Entries beyond this are dropped oldest first (a batch holds one per device and loss). */
    private static final int CAPACITY = 64;

    private static final ThreadLocal<Boolean> ACCUMULATING = ThreadLocal.withInitial(() -> false);

    private final List<Entry> entries = new ArrayList<>();

    /**
     * Runs an accumulator update, during which {@link #recall} returns remembered results.
     *
     * @param update the update, e.g. {@code () -> super.updateAccumulators(keys, labels,
     *     predictions)}
     */
    public static void accumulate(Runnable update) {
        boolean outer = ACCUMULATING.get();
        ACCUMULATING.set(true);
        try {
            update.run();
        } finally {
            ACCUMULATING.set(outer);
        }
    }

    private record Entry(List<NDArray> labels, List<NDArray> predictions, NDArray result) {

        boolean matches(NDList labelList, NDList predictionList) {
            return sameArrays(labels, labelList) && sameArrays(predictions, predictionList);
        }

        boolean isOpen() {
            if (result.isReleased()) {
                return false;
            }
            for (NDArray array : predictions) {
                if (array.isReleased()) {
                    return false;
                }
            }
            for (NDArray array : labels) {
                if (array.isReleased()) {
                    return false;
                }
            }
            return true;
        }

        private static boolean sameArrays(List<NDArray> remembered, NDList given) {
            if (remembered.size() != given.size()) {
                return false;
            }
            for (int i = 0; i < remembered.size(); i++) {
                if (remembered.get(i) != given.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Returns the result remembered for exactly these arrays, if it is still open and the caller
     * runs inside {@link #accumulate}.
     *
     * @param labels the labels
     * @param predictions the predictions
     * @return the remembered result, or {@code null}
     */
    public synchronized NDArray recall(NDList labels, NDList predictions) {
        if (!ACCUMULATING.get()) {
            return null;
        }
        entries.removeIf(entry -> !entry.isOpen());
        for (Entry entry : entries) {
            if (entry.matches(labels, predictions)) {
                return entry.result();
            }
        }
        return null;
    }

    /**
     * Remembers a result for these arrays.
     *
     * @param labels the labels
     * @param predictions the predictions
     * @param result the loss's result for them
     */
    public synchronized void remember(NDList labels, NDList predictions, NDArray result) {
        entries.removeIf(entry -> !entry.isOpen());
        if (entries.size() >= CAPACITY) {
            entries.remove(0);
        }
        entries.add(new Entry(List.copyOf(labels), List.copyOf(predictions), result));
    }
}
