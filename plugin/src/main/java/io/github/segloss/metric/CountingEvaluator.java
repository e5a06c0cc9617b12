package io.github.segloss.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.evaluator.Evaluator;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.HostArrays;
import java.util.function.BinaryOperator;

/**
 * An evaluator that counts on the host: each batch is reduced to exact counts of type {@code C},
 * the counts of a key are summed, and the reported number is computed from the sum. Batches split
 * across devices, or results of several workers, therefore give the number of the whole.
 *
 * @param <C> the counts
 */
abstract class CountingEvaluator<C> extends Evaluator {

    private final Accumulators<C> accumulators;

    /**
     * Creates the evaluator.
     *
     * @param name the name that training logs show
     * @param empty the counts of nothing
     * @param plus how counts add up
     */
    CountingEvaluator(String name, C empty, BinaryOperator<C> plus) {
        super(name);
        this.accumulators = new Accumulators<>(name, empty, plus);
    }

    /**
     * Counts one batch.
     *
     * @param labels the labels
     * @param predictions the predictions
     * @return the batch's counts
     */
    abstract C count(NDList labels, NDList predictions);

    /**
     * Checks a batch's inputs, then counts it: both lists hold an array, all arrays share the
     * engine and device of the predictions, and the predictions read ({@code predictions[0]}) are
     * finite, for a NaN or an infinity must never count as a correct prediction (the argmax of NaN
     * logits is some class). The finite check costs two element-wise passes and one reduction over
     * the predictions, and one boolean copied to the host.
     *
     * @param labels the labels
     * @param predictions the predictions
     * @return the batch's counts
     * @throws IllegalArgumentException if a list is empty, an array lives on another engine or
     *     device, or a prediction is NaN or infinite (with the count and the first position)
     */
    private C checkedCount(NDList labels, NDList predictions) {
        EvaluationInputs.require(labels, predictions);
        FiniteCheck.requireFinite(true, predictions.head(), "predictions");
        return count(labels, predictions);
    }

    /**
     * The reported number of some counts (NaN when nothing was counted).
     *
     * @param counts the counts
     * @return the number
     */
    abstract float value(C counts);

    /**
     * Returns the summed counts of a key.
     *
     * @param key the accumulator's key
     * @return the counts
     * @throws IllegalArgumentException if the key has no accumulator
     */
    C counts(String key) {
        return accumulators.get(key);
    }

    /**
     * Returns the counts that the key had at its last reset with something counted: after {@code
     * EasyTrain.fit}, whose listener resets {@code "validate/epoch"} at the end of every epoch, the
     * counts of the last epoch.
     *
     * @param key the accumulator's key
     * @return the counts (those of nothing if the key was never reset after counting)
     * @throws IllegalArgumentException if the key has no accumulator
     */
    C lastEpochCounts(String key) {
        return accumulators.lastFinished(key);
    }

    /**
     * Rounds per-class values to the floats that the evaluators report.
     *
     * @param values the values
     * @return the values as floats (NaN stays NaN)
     */
    static float[] toFloats(double[] values) {
        float[] result = new float[values.length];
        for (int c = 0; c < values.length; c++) {
            result[c] = (float) values[c];
        }
        return result;
    }

    /**
     * Adds counts to the accumulator of a key.
     *
     * @param key the accumulator's key
     * @param counts the counts to add
     */
    void add(String key, C counts) {
        accumulators.add(new String[] {key}, counts);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns the batch's number as a 0-d float32 array on the predictions' manager.
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return HostArrays.scalar(
                predictions.head().getManager(), value(checkedCount(labels, predictions)));
    }

    /** {@inheritDoc} */
    @Override
    public void addAccumulator(String key) {
        accumulators.reset(key);
    }

    /** {@inheritDoc} */
    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
        updateAccumulators(new String[] {key}, labels, predictions);
    }

    /** {@inheritDoc} */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        accumulators.add(keys, checkedCount(labels, predictions));
    }

    /** {@inheritDoc} */
    @Override
    public void resetAccumulator(String key) {
        accumulators.reset(key);
    }

    /** {@inheritDoc} */
    @Override
    public float getAccumulator(String key) {
        return value(accumulators.get(key));
    }

    /**
     * Returns the number of the key's last finished epoch: the value {@link #getAccumulator} had
     * right before the key's last reset with something counted. DJL's training listener resets
     * {@code "train/epoch"} and {@code "validate/epoch"} at the end of every epoch, after logging
     * them, so after {@code EasyTrain.fit} {@code getAccumulator("validate/epoch")} is NaN while
     * this returns the last epoch's validation value. An epoch that counted nothing (e.g. no
     * validation data) leaves the previous value in place.
     *
     * @param key the accumulator's key, e.g. {@code "validate/epoch"}
     * @return the value, NaN if the key was never reset after counting
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public float getLastEpochAccumulator(String key) {
        return value(accumulators.lastFinished(key));
    }
}
