package io.github.segloss.metric;

import ai.djl.ndarray.NDList;

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
public class PixelAccuracy extends CountingEvaluator<PixelAccuracy.Counts> {

    private final int ignoreIndex;

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
        super(name, Counts.NONE, Counts::plus);
        this.ignoreIndex = ignoreIndex;
    }

    /**
     * Returns the label that marks pixels without a class.
     *
     * @return the ignore index
     */
    public int getIgnoreIndex() {
        return ignoreIndex;
    }

    /** {@inheritDoc} */
    @Override
    Counts count(NDList labels, NDList predictions) {
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

    /**
     * {@inheritDoc}
     *
     * <p>Correct labelled pixels over labelled pixels, NaN if none was labelled.
     */
    @Override
    float value(Counts counts) {
        return counts.accuracy();
    }

    /** Correctly predicted and labelled pixels. */
    record Counts(long correct, long labelled) {

        static final Counts NONE = new Counts(0, 0);

        Counts plus(Counts other) {
            return new Counts(correct + other.correct, labelled + other.labelled);
        }

        float accuracy() {
            return labelled == 0 ? Float.NaN : (float) ((double) correct / labelled);
        }
    }
}
