package io.github.segloss.example.eval;

import io.github.segloss.example.data.Sample;
import io.github.segloss.example.data.SampleSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Scores samples of a labelled source with a model, in batches, into {@link EvaluationCounts}: the
 * one code path of {@code segloss-train evaluate} (all samples) and of each segloss-spark partition
 * (a range of them), so that their merged counts are those of one pass.
 *
 * <p>Each sample is predicted at the model's input size and its class map resized back to the image
 * ({@link EvaluationModel#predict}); its labels are read at the image's own size, ignore label 255
 * not counted. A sample that fails to load (a bad image or mask: the source throws) is reported in
 * one line, counted and skipped, or, with {@code failOnBad}, stops the evaluation.
 */
public final class Evaluation {

    private final EvaluationModel model;
    private final SampleSource source;
    private final int batchSize;
    private final boolean failOnBad;
    private final PredictionFolder predictions;
    private final Consumer<String> badImages;

    /**
     * Creates an evaluation.
     *
     * @param model the model, whose classes are the source's
     * @param source the labelled samples
     * @param batchSize the images predicted at once, at least 1
     * @param failOnBad whether a bad sample stops the evaluation
     * @param predictions where the class maps and overlays go, or null for none
     * @param badImages receives one line per bad sample skipped (path and reason)
     * @throws IllegalArgumentException if the batch size is below 1 or the model predicts another
     *     number of classes than the source has
     */
    public Evaluation(
            EvaluationModel model,
            SampleSource source,
            int batchSize,
            boolean failOnBad,
            PredictionFolder predictions,
            Consumer<String> badImages) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        if (model.numClasses() != source.classes().size()) {
            throw new IllegalArgumentException(
                    "the model predicts "
                            + model.numClasses()
                            + " classes "
                            + (model.classes() == null ? "" : model.classes() + " ")
                            + "but the data has "
                            + source.classes().size()
                            + " "
                            + source.classes());
        }
        this.model = model;
        this.source = source;
        this.batchSize = batchSize;
        this.failOnBad = failOnBad;
        this.predictions = predictions;
        this.badImages = badImages;
    }

    /**
     * Scores the samples of the given indices into counts.
     *
     * @param indices indices of the source's samples
     * @param counts where they are counted
     * @throws IllegalArgumentException if a sample is bad and {@code failOnBad} is set
     * @throws IOException if a prediction file cannot be written
     */
    public void score(Iterator<Integer> indices, EvaluationCounts counts) throws IOException {
        List<Sample> batch = new ArrayList<>(batchSize);
        while (indices.hasNext()) {
            int index = indices.next();
            Sample sample;
            try {
                sample = source.get(index);
            } catch (IllegalArgumentException e) {
                String line = Lines.oneLine(e.getMessage());
                if (failOnBad) {
                    throw new IllegalArgumentException("bad image (--fail-on-bad): " + line, e);
                }
                badImages.accept(line);
                counts.addBadImage(line);
                continue;
            }
            batch.add(sample);
            if (batch.size() == batchSize) {
                scoreBatch(batch, counts);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            scoreBatch(batch, counts);
        }
    }

    private void scoreBatch(List<Sample> batch, EvaluationCounts counts) throws IOException {
        List<EvaluationModel.Picture> pictures = new ArrayList<>(batch.size());
        for (Sample sample : batch) {
            pictures.add(
                    new EvaluationModel.Picture(sample.height(), sample.width(), sample.image()));
        }
        List<int[]> maps = model.predict(pictures);
        for (int i = 0; i < batch.size(); i++) {
            counts.addImage(batch.get(i).semantic(), maps.get(i));
            if (predictions != null) {
                predictions.write(batch.get(i).id(), pictures.get(i), maps.get(i));
            }
        }
    }
}
