package io.github.segloss.example.data;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * A source that skips the samples which fail to load ({@code --skip-bad-samples}): sample {@code i}
 * is the first good sample at or after {@code i} (wrapping around), so a bad sample's place in a
 * batch goes to its next good neighbour and batches keep their size.
 *
 * <p>A sample found bad is reported once to the {@link DataChecks} (counted and logged) and never
 * decoded again. The result depends only on which samples are bad, not on the thread that meets
 * them first, so a run stays reproducible. Thread-safe, as {@link SampleSource} requires.
 */
final class SkippingSource implements SampleSource {

    private final SampleSource source;
    private final IntFunction<String> keys;
    private final DataChecks checks;
    private final Set<Integer> bad = ConcurrentHashMap.newKeySet();
    private volatile IllegalArgumentException firstError;

    /**
     * Wraps a source.
     *
     * @param source the source whose {@code get} may throw {@link IllegalArgumentException}
     * @param keys the key of each sample (its image file), counted once by the checks
     * @param checks where skipped samples are counted and logged
     */
    SkippingSource(SampleSource source, IntFunction<String> keys, DataChecks checks) {
        this.source = Objects.requireNonNull(source, "source");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.checks = Objects.requireNonNull(checks, "checks");
    }

    /** {@inheritDoc} */
    @Override
    public List<String> classes() {
        return source.classes();
    }

    /** {@inheritDoc} */
    @Override
    public int size() {
        return source.size();
    }

    /**
     * Returns sample {@code index}, or the next good one when it is bad.
     *
     * @param index the sample's index in {@code [0, size())}
     * @return the sample at {@code index} or the first good one after it
     * @throws IllegalArgumentException if every sample of the source is bad
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    @Override
    public Sample get(int index) {
        int size = source.size();
        Objects.checkIndex(index, size);
        for (int k = 0; k < size; k++) {
            int position = (index + k) % size;
            if (bad.contains(position)) {
                continue;
            }
            try {
                return source.get(position);
            } catch (IllegalArgumentException e) {
                checks.reject(keys.apply(position), e);
                if (firstError == null) {
                    firstError = e;
                }
                bad.add(position);
            }
        }
        throw new IllegalArgumentException(
                "all "
                        + size
                        + " samples of the split are bad (each was logged as skipped), the first: "
                        + firstError.getMessage(),
                firstError);
    }
}
