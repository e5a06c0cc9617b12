package io.github.segloss.metric;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;

/**
 * The accumulators of one evaluator: an immutable value per key, replaced atomically on each
 * update, so that concurrent updates and reads are safe as in DJL's own evaluators. The values
 * compare by {@code equals}, so that a sum of empty counts reads as nothing counted. A reset keeps
 * the value it replaces, when anything was counted since the previous reset, as the key's last
 * finished value: DJL's training listener resets the epoch keys at the end of each epoch, so that
 * value is the last finished epoch's.
 *
 * @param <T> the immutable accumulated value, e.g. a confusion matrix
 */
final class Accumulators<T> {

    private final String evaluator;
    private final T empty;
    private final BinaryOperator<T> plus;
    private final Map<String, T> values = new ConcurrentHashMap<>();
    private final Map<String, T> finished = new ConcurrentHashMap<>();

    /**
     * Creates the accumulators of an evaluator.
     *
     * @param evaluator the evaluator's name, for messages
     * @param empty the value of a new or reset accumulator
     * @param plus how two values add
     */
    Accumulators(String evaluator, T empty, BinaryOperator<T> plus) {
        this.evaluator = evaluator;
        this.empty = empty;
        this.plus = plus;
    }

    /**
     * Sets the accumulator of the key to the empty value, adding it if it is new.
     *
     * @param key the accumulator's key
     */
    void reset(String key) {
        T replaced = values.put(key, empty);
        if (replaced != null && !replaced.equals(empty)) {
            finished.put(key, replaced);
        }
    }

    /**
     * Returns the value the key's accumulator had when it was last reset with something counted
     * (the empty value if it never was).
     *
     * @param key the accumulator's key
     * @return the value
     * @throws IllegalArgumentException if the key has no accumulator
     */
    T lastFinished(String key) {
        get(key);
        return finished.getOrDefault(key, empty);
    }

    /**
     * Adds a value to the accumulators of every key.
     *
     * @param keys the accumulators' keys
     * @param value the value to add
     * @throws IllegalArgumentException if a key has no accumulator (then none is updated), or if
     *     the sum overflows (then that accumulator and the following ones keep their values)
     */
    void add(String[] keys, T value) {
        for (String key : keys) {
            get(key);
        }
        for (String key : keys) {
            try {
                values.computeIfPresent(key, (k, sum) -> plus.apply(sum, value));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(
                        "the counts cannot be added to accumulator \""
                                + key
                                + "\" of evaluator "
                                + evaluator
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
    }

    /**
     * Returns the accumulated value of the key.
     *
     * @param key the accumulator's key
     * @return the value
     * @throws IllegalArgumentException if the key has no accumulator
     */
    T get(String key) {
        T value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException(
                    "evaluator "
                            + evaluator
                            + " has no accumulator \""
                            + key
                            + "\"; add it with addAccumulator");
        }
        return value;
    }
}
