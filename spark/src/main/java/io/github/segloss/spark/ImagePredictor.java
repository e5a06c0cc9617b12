package io.github.segloss.spark;

import io.github.segloss.example.data.ImageFiles;
import io.github.segloss.example.eval.EvaluationCounts;
import io.github.segloss.example.eval.EvaluationModel;
import io.github.segloss.example.eval.EvaluationSpec;
import io.github.segloss.example.eval.PredictionFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Predicts one partition of a folder of images without labels ({@code --format images}): each image
 * is read from its Hadoop file system, predicted in batches with the JVM's cached model, and its
 * class map and overlay written ({@link PredictionFolder}); the partition's result counts the
 * images, their pixels and the bad ones.
 */
final class ImagePredictor implements FlatMapFunction<Iterator<String>, EvaluationCounts> {

    private static final long serialVersionUID = 1L;

    private final EvaluationSpec spec;
    private final HadoopImages images;
    private final int batchSize;
    private final boolean failOnBad;
    private final String predictions;
    private final String run;
    private final boolean printBadImages;

    /**
     * Creates the predictor of a job.
     *
     * @param spec the model (its data is {@code images})
     * @param images the folder of images
     * @param batchSize the images predicted at once
     * @param failOnBad whether a bad image fails the task (and the job)
     * @param predictions the folder of the prediction files, or null
     * @param run the run's name in the temporary prediction files ({@link PredictionFolder})
     * @param printBadImages whether bad images are printed on the executor's error stream
     */
    ImagePredictor(
            EvaluationSpec spec,
            HadoopImages images,
            int batchSize,
            boolean failOnBad,
            String predictions,
            String run,
            boolean printBadImages) {
        this.spec = spec;
        this.images = images;
        this.batchSize = batchSize;
        this.failOnBad = failOnBad;
        this.predictions = predictions;
        this.run = run;
        this.printBadImages = printBadImages;
    }

    /** {@inheritDoc} */
    @Override
    public Iterator<EvaluationCounts> call(Iterator<String> uris) throws IOException {
        TaskContext task = TaskContext.get();
        int cpus = task == null ? 1 : Math.max(1, task.cpus());
        EvaluationModel model = ExecutorCache.model(spec, 0, cpus);
        String writer = task == null ? "driver" : "attempt-" + task.taskAttemptId();
        PredictionFolder folder =
                predictions == null
                        ? null
                        : new PredictionFolder(Path.of(predictions), run, writer);
        EvaluationCounts counts = new EvaluationCounts(model.numClasses());
        List<String> ids = new ArrayList<>();
        List<EvaluationModel.Picture> batch = new ArrayList<>();
        while (uris.hasNext()) {
            String uri = uris.next();
            ImageFiles.Rgb image;
            try {
                image = images.read(uri, spec.maxImagePixels());
            } catch (IllegalArgumentException e) {
                String line = e.getMessage().replaceAll("\\p{Cntrl}", "?");
                if (failOnBad) {
                    throw new IllegalArgumentException("bad image (--fail-on-bad): " + line, e);
                }
                if (printBadImages) {
                    System.err.println("segloss-eval: skipped " + line);
                }
                counts.addBadImage(line);
                continue;
            }
            ids.add(images.id(uri));
            batch.add(new EvaluationModel.Picture(image.height(), image.width(), image.chw()));
            if (batch.size() == batchSize) {
                predict(model, ids, batch, folder, counts);
            }
        }
        predict(model, ids, batch, folder, counts);
        return List.of(counts).iterator();
    }

    private static void predict(
            EvaluationModel model,
            List<String> ids,
            List<EvaluationModel.Picture> batch,
            PredictionFolder folder,
            EvaluationCounts counts)
            throws IOException {
        List<int[]> maps = model.predict(batch);
        for (int i = 0; i < batch.size(); i++) {
            EvaluationModel.Picture picture = batch.get(i);
            counts.addUnlabelledImage((long) picture.height() * picture.width());
            if (folder != null) {
                folder.write(ids.get(i), picture, maps.get(i));
            }
        }
        ids.clear();
        batch.clear();
    }
}
