package io.github.segloss.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.evaluator.Evaluator;

/**
 * Pixel accuracy of semantic segmentation: the share of labelled pixels whose predicted class is
 * their label,
 *
 * <p>\( \mathrm{acc} = \dfrac{|\{ i \in V : \hat{y}_i = y_i \}|}{|V|} \), with \(V\) the pixels
 * whose label is not the ignore index,
 *
 * <p>accumulated as the two counts, so a batch gives the same number whether it is evaluated whole
 * or split across devices. The accumulator reads NaN when no labelled pixel was seen.
 *
 * <p>Labels and predictions follow {@link MeanIoU}: labels {@code (N, d1..dk)} or {@code (N, 1,
 * d1..dk)}, predictions logits {@code (N, C, d1..dk)} (argmax over axis 1) or class ids of the
 * labels' shape. With logits, labels must be classes in {@code [0, C)} or the ignore index; with
 * class ids, C is unknown and labels and predictions need only be whole numbers from 0 to below
 * {@link Integer#MAX_VALUE}.
 */
public class PixelAccuracy extends Evaluator {

    private final int ignoreIndex;
    private final Accumulators<Counts> accumulators;

    /** Creates a pixel-accuracy evaluator named "PixelAccuracy" that ignores label 255. */
    public PixelAccuracy() {
        this("PixelAccuracy", MeanIoU.DEFAULT_IGNORE_INDEX);
    }

    /**
     * Creates a pixel-accuracy evaluator.
     *
     * @param name the name that training logs show
     * @param ignoreIndex the label that marks pixels without a class
     */
    public PixelAccuracy(String name, int ignoreIndex) {
        super(name);
        this.ignoreIndex = ignoreIndex;
        this.accumulators = new Accumulators<>(name, new Counts(0, 0), Counts::plus);
    }

    /**
     * Returns the label that marks pixels without a class.
     *
     * @return the ignore index
     */
    public int getIgnoreIndex() {
        return ignoreIndex;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns the batch's pixel accuracy as a 0-d float32 array on the predictions' manager (NaN
     * if no pixel is labelled).
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        float value = count(labels, predictions).accuracy();
        return predictions.head().getManager().create(value);
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
        accumulators.add(keys, count(labels, predictions));
    }

    /** {@inheritDoc} */
    @Override
    public void resetAccumulator(String key) {
        accumulators.reset(key);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns the accumulated pixel accuracy, NaN if no labelled pixel was seen.
     */
    @Override
    public float getAccumulator(String key) {
        return accumulators.get(key).accuracy();
    }

    private Counts count(NDList labels, NDList predictions) {
        PixelClasses pixels =
                PixelClasses.of(labels, predictions, PixelClasses.UNKNOWN_CLASSES, ignoreIndex);
        long correct = 0;
        long labelled = 0;
        for (int i = 0; i < pixels.size(); i++) {
            if (pixels.isLabelled(i)) {
                labelled++;
                if (pixels.truth()[i] == pixels.predicted()[i]) {
                    correct++;
                }
            }
        }
        return new Counts(correct, labelled);
    }

    /** Correctly predicted and labelled pixels. */
    private record Counts(long correct, long labelled) {

        Counts plus(Counts other) {
            return new Counts(correct + other.correct, labelled + other.labelled);
        }

        float accuracy() {
            return labelled == 0 ? Float.NaN : (float) ((double) correct / labelled);
        }
    }
}
