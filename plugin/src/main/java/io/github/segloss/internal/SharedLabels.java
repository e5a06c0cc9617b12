package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Class-index labels normalised once for all the heads or terms of one composite loss evaluation.
 *
 * <p>The heads of a {@code DeepSupervisionLoss} (and the terms of a {@code WeightedSumLoss}) read
 * the same label array; each would normalise and check it again, about ten operator calls on every
 * pixel. Inside {@link #during}, {@link ClassIndexLabels#of} keeps its first result for a label
 * array (by identity) with the same logits shape, type and ignore index and hands it to the later
 * heads. Nothing is kept once the composite evaluation returns, so labels that are filled anew in
 * place between batches are always read afresh.
 */
public final class SharedLabels {

    private static final ThreadLocal<List<Entry>> ACTIVE = new ThreadLocal<>();

    private record Entry(
            NDArray labels, Shape shape, DataType type, int ignoreIndex, ClassIndexLabels result) {}

    private SharedLabels() {}

    /**
     * Runs one composite evaluation, sharing normalised labels between its parts (nested calls
     * share the outer one's).
     *
     * @param evaluation the evaluation
     * @param <T> its result type
     * @return its result
     */
    public static <T> T during(Supplier<T> evaluation) {
        if (ACTIVE.get() != null) {
            return evaluation.get();
        }
        ACTIVE.set(new ArrayList<>());
        try {
            return evaluation.get();
        } finally {
            ACTIVE.remove();
        }
    }

    /**
     * Returns the labels normalised earlier in this composite evaluation, or computes and keeps
     * them.
     *
     * @param labels the labels
     * @param logits the logits they are checked against
     * @param ignoreIndex the ignore label
     * @param compute computes the normalised labels
     * @return the normalised labels
     */
    static ClassIndexLabels get(
            NDArray labels, NDArray logits, int ignoreIndex, Supplier<ClassIndexLabels> compute) {
        List<Entry> entries = ACTIVE.get();
        if (entries == null) {
            return compute.get();
        }
        for (Entry entry : entries) {
            if (entry.labels() == labels
                    && entry.ignoreIndex() == ignoreIndex
                    && entry.shape().equals(logits.getShape())
                    && entry.type() == logits.getDataType()
                    && !entry.result().index().isReleased()
                    && !entry.result().valid().isReleased()) {
                return entry.result();
            }
        }
        ClassIndexLabels result = compute.get();
        entries.add(
                new Entry(labels, logits.getShape(), logits.getDataType(), ignoreIndex, result));
        return result;
    }
}
