package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
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
            Class<?> kind,
            NDArray labels,
            Shape shape,
            DataType type,
            int ignoreIndex,
            Object settings,
            Object result,
            List<NDArray> arrays) {

        boolean matches(
                Class<?> kind, NDArray labels, NDArray logits, int ignoreIndex, Object settings) {
            return this.kind == kind
                    && this.labels == labels
                    && this.ignoreIndex == ignoreIndex
                    && this.settings == settings
                    && shape.equals(logits.getShape())
                    && type == logits.getDataType()
                    && arrays.stream().noneMatch(NDArray::isReleased);
        }
    }

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
     * Returns what was derived from these labels earlier in this composite evaluation, or derives
     * and keeps it.
     *
     * @param kind what is derived (its class)
     * @param labels the labels
     * @param logits the logits they are checked against
     * @param ignoreIndex the ignore label
     * @param settings further settings it depends on, compared by identity (e.g. the class
     *     weights), or {@code null}
     * @param compute derives it
     * @param arrays the arrays it holds, which must still be open to be reused
     * @param <T> its type
     * @return the derived value
     */
    static <T> T get(
            Class<T> kind,
            NDArray labels,
            NDArray logits,
            int ignoreIndex,
            Object settings,
            Supplier<T> compute,
            Function<T, List<NDArray>> arrays) {
        List<Entry> entries = ACTIVE.get();
        if (entries == null) {
            return compute.get();
        }
        for (Entry entry : entries) {
            if (entry.matches(kind, labels, logits, ignoreIndex, settings)) {
                return kind.cast(entry.result());
            }
        }
        T result = compute.get();
        entries.add(
                new Entry(
                        kind,
                        labels,
                        logits.getShape(),
                        logits.getDataType(),
                        ignoreIndex,
                        settings,
                        result,
                        arrays.apply(result)));
        return result;
    }
}
