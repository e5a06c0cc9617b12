package io.github.segloss.spark.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.initializer.XavierInitializer;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.segloss.example.data.DataChecks;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.eval.Evaluation;
import io.github.segloss.example.eval.EvaluationCounts;
import io.github.segloss.example.eval.EvaluationModel;
import io.github.segloss.example.eval.EvaluationSpec;
import io.github.segloss.example.model.PspNet;
import io.github.segloss.example.report.FolderDatasetWriter;
import io.github.segloss.example.train.Checkpoints;
import io.github.segloss.spark.SparkContexts;
import io.github.segloss.spark.SparkEvaluation;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Measures segloss-eval: images per second of the single-process evaluator, of Spark {@code
 * local[1]} and of {@code local[2]} on the same data and model (PyTorch, one intra-op thread per
 * task, so that {@code local[2]} against {@code local[1]} is the scaling of one added core), and
 * the driver's used heap after garbage collection with 1,000 and with 10,000 images.
 *
 * <p>Usage: {@code spark/benchmark.sh [IMAGES] [IMAGE_SIDE]} (defaults 400 and 64).
 */
public final class EvalBenchmark {

    private EvalBenchmark() {}

    /**
     * Runs the benchmark and prints its results.
     *
     * @param args the number of images and their side, optional
     * @throws IOException if the data cannot be written
     */
    public static void main(String[] args) throws IOException {
        io.github.segloss.spark.SeglossEval.quietLogs();
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int side = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        Path root = Files.createTempDirectory("segloss-eval-bench");
        // one thread per task everywhere, so one core per task (set before any model loads)
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(1);
        Path model = checkpoint(root.resolve("model"), side);
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());

        EvaluationSpec spec = dataset(root.resolve("data"), images, side, model);
        double single = singleProcess(spec, 2);
        double local1 = spark(spec, "local[1]", 1, quiet);
        double local2 = spark(spec, "local[2]", 2, quiet);
        System.out.printf(
                Locale.ROOT,
                "%d images of %dx%d, batch 8, PyTorch, 1 thread per task, %d cores seen%n"
                        + "single process: %.1f images/s%n"
                        + "local[1]:       %.1f images/s (%.2f of single process)%n"
                        + "local[2]:       %.1f images/s (scaling efficiency %.2f per core)%n",
                images,
                side,
                side,
                Runtime.getRuntime().availableProcessors(),
                single,
                local1,
                local1 / single,
                local2,
                local2 / (2 * local1));

        for (int count : new int[] {1_000, 10_000}) {
            EvaluationSpec small = dataset(root.resolve("heap-" + count), count, 16, model);
            long before = usedHeapAfterGc();
            try (JavaSparkContext spark = new JavaSparkContext(SparkContexts.conf("local[2]"))) {
                spark.setLogLevel("WARN");
                SparkEvaluation.run(
                        spark,
                        small,
                        new SparkEvaluation.Settings(
                                8, 8, false, root.resolve("out-" + count), null, -1),
                        quiet);
                long after = usedHeapAfterGc();
                System.out.printf(
                        Locale.ROOT,
                        "%,d images of 16x16 on local[2]: driver heap after GC %.1f MB before,"
                                + " %.1f MB after the job (%+.1f MB)%n",
                        count,
                        before / 1e6,
                        after / 1e6,
                        (after - before) / 1e6);
            }
        }
    }

    private static double singleProcess(EvaluationSpec spec, int rounds) throws IOException {
        EvaluationSpec.OpenedData data = spec.openData(line -> {});
        try (EvaluationModel model = spec.openModel(data.source().classes().size())) {
            Evaluation evaluation = new Evaluation(model, data.source(), 8, false, null, l -> {});
            double best = 0;
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                evaluation.score(
                        IntStream.range(0, data.source().size()).iterator(),
                        new EvaluationCounts(model.numClasses()));
                best = Math.max(best, data.source().size() / seconds(start));
            }
            return best;
        }
    }

    private static double spark(EvaluationSpec spec, String master, int cores, PrintStream quiet)
            throws IOException {
        try (JavaSparkContext spark = new JavaSparkContext(SparkContexts.conf(master))) {
            spark.setLogLevel("WARN");
            double best = 0;
            for (int r = 0; r < 2; r++) {
                long start = System.nanoTime();
                EvaluationCounts counts =
                        SparkEvaluation.run(
                                spark,
                                spec,
                                new SparkEvaluation.Settings(
                                        4 * cores,
                                        8,
                                        false,
                                        Files.createTempDirectory("segloss-eval-bench-out"),
                                        null,
                                        -1),
                                quiet);
                best = Math.max(best, counts.images() / seconds(start));
            }
            return best;
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static EvaluationSpec dataset(Path folder, int count, int side, Path model)
            throws IOException {
        FolderDatasetWriter.write(
                folder,
                Map.of(
                        "val",
                        DataSources.synthetic(count, side, DataSources.SYNTHETIC_CLASSES, 7)));
        return new EvaluationSpec(
                model.toString(),
                folder.toString(),
                "folder",
                "val",
                "PyTorch",
                side,
                DataChecks.DEFAULT_MAX_IMAGE_PIXELS,
                0.2,
                42);
    }

    /**
     * An untrained PSPNet checkpoint as segloss-train writes one (speed does not need training).
     */
    private static Path checkpoint(Path folder, int side) throws IOException {
        int size = Math.max(32, side / 32 * 32);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            PspNet net = new PspNet(DataSources.SYNTHETIC_CLASSES.size(), 16);
            net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
            JsonObject description = new JsonObject();
            description.addProperty("task", "semantic");
            JsonArray classes = new JsonArray();
            DataSources.SYNTHETIC_CLASSES.forEach(classes::add);
            description.add("classes", classes);
            JsonObject model = new JsonObject();
            model.addProperty("name", "PspNet");
            model.addProperty("width", 16);
            model.addProperty("imageSize", size);
            description.add("model", model);
            return Checkpoints.save(folder, 1, net, description);
        }
    }
}
