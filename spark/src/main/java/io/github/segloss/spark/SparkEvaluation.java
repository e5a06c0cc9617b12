package io.github.segloss.spark;

import io.github.segloss.example.eval.EvaluationCounts;
import io.github.segloss.example.eval.EvaluationModel;
import io.github.segloss.example.eval.EvaluationSpec;
import io.github.segloss.example.eval.MetricsJson;
import io.github.segloss.example.eval.PredictionFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * An evaluation on Spark: the driver opens the dataset (to count its samples and the bad ones found
 * as it opens) and checks the model, splits the sample indices into one range per partition, the
 * executors score their ranges ({@link PartitionScorer}), and the partial counts are merged with
 * {@code treeAggregate} into the counts of the whole dataset, which are exactly those of {@code
 * segloss-train evaluate}. Only the counts travel back to the driver (a C×C matrix per partition,
 * and at most {@value EvaluationCounts#KEPT_BAD_LINES} bad-image lines), never masks: the driver's
 * memory does not grow with the number of images.
 */
public final class SparkEvaluation {

    /** The format of a folder or URI of images without labels, predicted but not scored. */
    public static final String IMAGES = "images";

    private SparkEvaluation() {}

    /**
     * What a run does besides its spec.
     *
     * @param partitions the number of partitions, or 0 for Spark's default parallelism
     * @param batchSize the images predicted at once
     * @param failOnBad whether a bad image stops the run
     * @param output the folder of {@code metrics.json}
     * @param predictions the folder of the prediction files, or null
     * @param failFirstAttemptOf a test hook: a partition whose first attempt fails after a batch,
     *     or -1
     */
    public record Settings(
            int partitions,
            int batchSize,
            boolean failOnBad,
            Path output,
            Path predictions,
            int failFirstAttemptOf) {

        /**
         * Checks the settings.
         *
         * @throws IllegalArgumentException naming the option if partitions is negative or the batch
         *     size below 1
         */
        public Settings {
            if (partitions < 0) {
                throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
            }
        }
    }

    /**
     * Runs an evaluation and writes {@code metrics.json}.
     *
     * @param spark the context
     * @param spec the model and data
     * @param settings the settings
     * @param err where bad images are reported (the driver's error stream)
     * @return the merged counts
     * @throws IllegalArgumentException if the model or data is bad, or a bad image is met with
     *     {@code failOnBad}
     * @throws IOException if metrics.json cannot be written
     */
    public static EvaluationCounts run(
            JavaSparkContext spark, EvaluationSpec spec, Settings settings, PrintStream err)
            throws IOException {
        if (IMAGES.equals(spec.format())) {
            return predictImages(spark, spec, settings, err);
        }
        EvaluationSpec.OpenedData data = ExecutorCache.data(spec);
        List<String> classes = data.source().classes();
        if (settings.failOnBad() && data.skipped().badImages() > 0) {
            throw new IllegalArgumentException(
                    "bad image (--fail-on-bad): " + data.skipped().badLines().get(0));
        }
        EvaluationModel model =
                ExecutorCache.model(spec, spark.getConf().getInt("spark.task.cpus", 1));
        EvaluationCounts total = model.newCounts().merge(data.skipped());
        int samples = data.source().size();
        int partitions =
                settings.partitions() > 0 ? settings.partitions() : spark.defaultParallelism();
        PartitionScorer scorer =
                new PartitionScorer(
                        spec,
                        settings.batchSize(),
                        settings.failOnBad(),
                        settings.predictions() == null
                                ? null
                                : settings.predictions().toAbsolutePath().toString(),
                        run(spark),
                        !spark.isLocal(),
                        settings.failFirstAttemptOf());
        EvaluationCounts scored =
                spark.parallelize(ranges(samples, partitions), partitions)
                        .mapPartitions(scorer)
                        .treeAggregate(
                                model.newCounts(),
                                EvaluationCounts::merge,
                                EvaluationCounts::merge);
        total.merge(scored);
        report(spark, total, data.skipped(), err);
        if (settings.predictions() != null) {
            PredictionFolder.deleteLeftovers(settings.predictions(), run(spark));
        }
        MetricsJson.write(settings.output(), classes, total);
        return total;
    }

    /**
     * Predicts a folder or URI of images without labels: the counts hold the images, their pixels
     * and the bad ones; the metrics have no labelled pixel.
     */
    private static EvaluationCounts predictImages(
            JavaSparkContext spark, EvaluationSpec spec, Settings settings, PrintStream err)
            throws IOException {
        Map<String, String> hadoop = new HashMap<>();
        for (Tuple2<String, String> entry : spark.getConf().getAllWithPrefix("spark.hadoop.")) {
            hadoop.put(entry._1(), entry._2());
        }
        HadoopImages images = new HadoopImages(spec.data(), hadoop);
        List<String> uris = images.list();
        EvaluationModel model =
                ExecutorCache.model(spec, 0, spark.getConf().getInt("spark.task.cpus", 1));
        List<String> classes = model.classes();
        if (classes == null) {
            classes = IntStream.range(0, model.numClasses()).mapToObj(Integer::toString).toList();
        }
        int partitions =
                settings.partitions() > 0 ? settings.partitions() : spark.defaultParallelism();
        ImagePredictor predictor =
                new ImagePredictor(
                        spec,
                        images,
                        settings.batchSize(),
                        settings.failOnBad(),
                        settings.predictions() == null
                                ? null
                                : settings.predictions().toAbsolutePath().toString(),
                        run(spark),
                        !spark.isLocal());
        EvaluationCounts total =
                spark.parallelize(uris, partitions)
                        .mapPartitions(predictor)
                        .treeAggregate(
                                new EvaluationCounts(classes.size()),
                                EvaluationCounts::merge,
                                EvaluationCounts::merge);
        report(spark, total, new EvaluationCounts(classes.size()), err);
        if (settings.predictions() != null) {
            PredictionFolder.deleteLeftovers(settings.predictions(), run(spark));
        }
        MetricsJson.write(settings.output(), classes, total);
        return total;
    }

    /** The run's name in the temporary prediction files: its Spark application id. */
    private static String run(JavaSparkContext spark) {
        return PredictionFolder.runOf(spark.sc().applicationId());
    }

    private static void report(
            JavaSparkContext spark,
            EvaluationCounts total,
            EvaluationCounts skippedAtOpening,
            PrintStream err) {
        if (spark.isLocal()) {
            total.badLines().forEach(line -> err.println("segloss-eval: skipped " + line));
        } else {
            skippedAtOpening
                    .badLines()
                    .forEach(line -> err.println("segloss-eval: skipped " + line));
        }
        if (total.badImages() > total.badLines().size()) {
            err.println(
                    "segloss-eval: "
                            + total.badImages()
                            + " bad image(s) skipped in all, the first "
                            + total.badLines().size()
                            + " named (the executors' logs name every one)");
        }
    }

    /**
     * Splits {@code [0, samples)} into {@code partitions} contiguous ranges of sizes differing by
     * at most one (some empty if there are fewer samples than partitions).
     *
     * @param samples the number of samples
     * @param partitions the number of ranges, at least 1
     * @return the ranges {@code {start, end}}
     */
    static List<int[]> ranges(int samples, int partitions) {
        List<int[]> ranges = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            ranges.add(
                    new int[] {
                        (int) ((long) samples * p / partitions),
                        (int) ((long) samples * (p + 1) / partitions)
                    });
        }
        return ranges;
    }
}
