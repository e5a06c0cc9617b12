package io.github.segloss.example.eval;

import io.github.segloss.example.data.Instance;
import io.github.segloss.example.data.Sample;
import io.github.segloss.example.data.SampleSource;
import io.github.segloss.example.train.Prediction;
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
 *
 * <p>With a mask checkpoint ({@link EvaluationModel#isInstanceModel}) each sample's annotated
 * instances are predicted on their ground-truth boxes, as {@code predict} does, and scored against
 * their ground-truth masks into the counts' {@link InstanceScores}; the prediction folder is not
 * written then (use {@code segloss-train predict} for instance PNGs).
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
     * @throws IllegalArgumentException if the batch size is below 1, the model predicts another
     *     number of classes than the source has, or prediction files are asked of a mask checkpoint
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
        if (model.isInstanceModel() && predictions != null) {
            throw new IllegalArgumentException(
                    "--predictions is for semantic models: a mask checkpoint's evaluation writes"
                            + " no prediction files (write its instance PNGs with segloss-train"
                            + " predict)");
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
        List<Integer> batchIndices = new ArrayList<>(batchSize);
        while (indices.hasNext()) {
            int index = indices.next();
            Sample sample;
            try {
                sample = source.get(index);
            } catch (IllegalArgumentException e) {
                String line = Prediction.oneLine(e.getMessage());
                if (failOnBad) {
                    throw new IllegalArgumentException("bad image (--fail-on-bad): " + line, e);
                }
                badImages.accept(line);
                counts.addBadImage(line);
                continue;
            }
            batch.add(sample);
            batchIndices.add(index);
            if (batch.size() == batchSize) {
                scoreBatch(batch, batchIndices, counts);
                batch.clear();
                batchIndices.clear();
            }
        }
        if (!batch.isEmpty()) {
            scoreBatch(batch, batchIndices, counts);
        }
    }

    private static boolean[] binary(byte[] mask) {
        boolean[] values = new boolean[mask.length];
        for (int p = 0; p < mask.length; p++) {
            values[p] = mask[p] != 0;
        }
        return values;
    }

    private void scoreBatch(List<Sample> batch, List<Integer> indices, EvaluationCounts counts)
            throws IOException {
        if (!model.isInstanceModel()) {
            scoreBatch(batch, counts);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            scoreInstances(indices.get(i), batch.get(i), counts);
        }
    }

    /**
     * Scores the instances of one sample: each annotated instance's mask predicted on its
     * ground-truth box, against its ground-truth mask, with the sample's crowd regions as crowd
     * ground truths.
     */
    private void scoreInstances(int index, Sample sample, EvaluationCounts counts) {
        List<Instance> instances = sample.instances();
        int rois = instances.size();
        boolean[][] predicted = new boolean[rois][];
        double[] scores = new double[rois];
        int[] classIds = new int[rois];
        boolean[][] truths = new boolean[rois][];
        model.predictInstances(
                sample,
                (r, mask, score) -> {
                    predicted[r] = mask;
                    scores[r] = score;
                });
        for (int r = 0; r < rois; r++) {
            Instance instance = instances.get(r);
            classIds[r] = instance.classIndex() - 1;
            truths[r] = binary(instance.mask());
        }
        List<Instance> crowds = sample.crowds();
        boolean[][] crowdMasks = new boolean[crowds.size()][];
        int[] crowdClasses = new int[crowds.size()];
        for (int k = 0; k < crowds.size(); k++) {
            crowdMasks[k] = binary(crowds.get(k).mask());
            crowdClasses[k] = crowds.get(k).classIndex() - 1;
        }
        counts.addInstances(
                index,
                new InstanceScores.Predicted(
                        sample.height(),
                        sample.width(),
                        predicted,
                        scores,
                        classIds,
                        truths,
                        crowdMasks,
                        crowdClasses));
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
