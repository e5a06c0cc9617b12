package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.AbstractCompositeLoss;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.github.segloss.internal.LossErrors;
import io.github.segloss.internal.SharedLabels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The weighted sum behind {@link WeightedSumLoss} and {@link DeepSupervisionLoss}: \( L = \sum_k
 * w_k L_k \) over the parts present in the model output, each a {@link WeightedLoss} (a {@link
 * HeadLoss} when it reads one head), sharing one normalisation and check of class-index labels.
 */
abstract class WeightedPartsLoss extends AbstractCompositeLoss {

    /**
     * Creates a weighted sum of the given parts.
     *
     * @param name the display name in training logs
     * @param parts the parts, each with its own name
     * @param what what a part is called in the error messages ("loss", "head")
     * @throws IllegalArgumentException if there is no part or two parts share a name
     */
    WeightedPartsLoss(String name, List<? extends WeightedLoss> parts, String what) {
        super(name);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException(name + " needs at least one " + what);
        }
        Set<String> names = new HashSet<>();
        for (WeightedLoss part : parts) {
            requireNewName(names, part.getName(), name, what);
        }
        components = Collections.unmodifiableList(new ArrayList<>(parts));
    }

    /**
     * Adds a part's name to the names taken, or says that two parts share it.
     *
     * @param names the names taken so far
     * @param partName the new part's name
     * @param lossName the name of the weighted sum, for the message
     * @param what what a part is called, for the message
     * @throws IllegalArgumentException if the name is taken
     */
    static void requireNewName(Set<String> names, String partName, String lossName, String what) {
        if (!names.add(partName)) {
            throw new IllegalArgumentException(
                    "each "
                            + what
                            + " of "
                            + lossName
                            + " needs its own name for the training log, got "
                            + partName
                            + " twice (set optName)");
        }
    }

    /**
     * Returns the parts, in the order they were added.
     *
     * @return the parts
     */
    public List<WeightedLoss> getParts() {
        List<WeightedLoss> parts = new ArrayList<>(components.size());
        for (Loss component : components) {
            parts.add((WeightedLoss) component);
        }
        return parts;
    }

    /** {@inheritDoc} */
    @Override
    protected Pair<NDList, NDList> inputForComponent(
            int componentIndex, NDList labels, NDList predictions) {
        return new Pair<>(labels, predictions);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if no part is present in the predictions (the error of the
     *     first part), or a part's loss rejects its input
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        // the parts share one normalisation and check of the labels (SharedLabels)
        return LossErrors.evaluate(
                this,
                LossErrors.NO_IGNORE_OPTION,
                () -> SharedLabels.during(() -> sumOfPresentParts(labels, predictions)));
    }

    private NDArray sumOfPresentParts(NDList labels, NDList predictions) {
        List<NDArray> values = new ArrayList<>(components.size());
        for (WeightedLoss part : getParts()) {
            if (part.isPresent(predictions)) {
                values.add(part.evaluate(labels, predictions));
            }
        }
        if (values.isEmpty()) {
            // says which prediction the first part needs
            return getParts().get(0).evaluate(labels, predictions);
        }
        return values.size() == 1 ? values.get(0) : NDArrays.add(values.toArray(new NDArray[0]));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The sum over the parts that measured at least one batch since the last reset: a head that
     * was absent from every batch (an auxiliary head during validation) is left out instead of
     * turning the total into NaN. NaN if no part measured a batch.
     */
    @Override
    public float getAccumulator(String key) {
        double total = 0;
        boolean any = false;
        for (WeightedLoss part : getParts()) {
            if (part.hasMeasured(key)) {
                total += part.getAccumulator(key);
                any = true;
            }
        }
        return any ? (float) total : Float.NaN;
    }
}
