package io.github.segloss.spark;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.segloss.example.cli.EvaluationOptions;
import io.github.segloss.example.eval.EvaluationCounts;
import io.github.segloss.example.eval.EvaluationSpec;
import io.github.segloss.example.eval.MetricsJson;
import io.github.segloss.example.files.OutputWriteException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code segloss-eval} command: scores a semantic segmentation model on a labelled dataset with
 * Apache Spark and writes {@code OUTPUT/metrics.json}, the numbers of {@code segloss-train
 * evaluate} on the same model and data.
 */
@Command(
        name = "segloss-eval",
        mixinStandardHelpOptions = true,
        version = "segloss-eval 0.1.0",
        description = {
            "Score a semantic segmentation model (a segloss-train checkpoint folder, or a"
                    + " TorchScript file NAME.pt) on a labelled dataset with Apache Spark, at each"
                    + " image's own size, and write OUTPUT/metrics.json: mIoU, pixel accuracy,"
                    + " per-class IoU, Dice, precision and recall, the confusion matrix and the"
                    + " counts.",
            "",
            "A mask checkpoint (segloss-train mask) is scored on coco or voc data: each"
                    + " annotated instance's mask is predicted on its ground-truth box (an upper"
                    + " bound for a full detector), and metrics.json holds the 12 COCO mask-AP"
                    + " stats, per-class AP, Boundary AP and the mean instance Boundary IoU.",
            "",
            "Embedded Spark on every core (local[*]) unless --master or spark-submit names a"
                    + " cluster. A bad image is reported in one line, skipped and counted."
                    + " Exit codes: 0 done; 2 bad options, model or data, or a bad image with"
                    + " --fail-on-bad; 5 an output that cannot be written; 1 the Spark job"
                    + " failed otherwise."
        })
public final class SeglossEval implements Callable<Integer> {

    /** The formats of {@code --format}. */
    public static final List<String> FORMATS =
            List.of("folder", "voc", "coco", SparkEvaluation.IMAGES);

    /** Exit code for bad options, a bad model or dataset, or a bad image with --fail-on-bad. */
    public static final int USAGE = 2;

    /** Exit code for an output that cannot be written. */
    public static final int CANNOT_WRITE = 5;

    /** Exit code for a Spark job that failed for another reason. */
    public static final int FAILED = 1;

    @Mixin EvaluationOptions options;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "PATH",
            description = "segloss-train checkpoint folder (epoch-NNNN) or TorchScript file .pt")
    String model;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "PATH",
            description =
                    "the dataset's root folder (on a file system every executor sees); with"
                            + " --format images, a folder or URI (file:, hdfs:, s3a:) of images")
    String data;

    @Option(
            names = "--format",
            defaultValue = "folder",
            description =
                    "folder, voc or coco (labelled datasets, scored), or images (a folder or"
                            + " Hadoop URI of images, predicted only) (default: ${DEFAULT-VALUE})")
    String format;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description =
                    "Spark master, e.g. local[4] or spark://host:7077 (default: spark-submit's,"
                            + " else "
                            + SparkContexts.DEFAULT_MASTER
                            + ")")
    String master;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            description = "partitions of the dataset (default: Spark's default parallelism)")
    Integer partitions;

    /** The test hook of {@link SparkEvaluation.Settings#failFirstAttemptOf}; hidden. */
    @Option(names = "--test-fail-first-attempt-of", hidden = true, defaultValue = "-1")
    int failFirstAttemptOf;

    /**
     * Runs the command and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        quietLogs();
        System.exit(execute(args));
    }

    /**
     * Sets the logging of a command-line run: warnings and errors, without DJL's GPU probe,
     * Hadoop's native-library notice, and the stack traces of failed tasks (the command reports a
     * failed job in one line).
     */
    public static void quietLogs() {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.hadoop", "error");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.spark.executor.Executor", "off");
        System.setProperty(
                "org.slf4j.simpleLogger.log.org.apache.spark.scheduler.TaskSetManager", "off");
    }

    /**
     * Runs the command.
     *
     * @param args the command line
     * @return 0 on success; with one line on standard error, {@value #USAGE} for bad options, model
     *     or data or a bad image with {@code --fail-on-bad}, {@value #CANNOT_WRITE} for an output
     *     that cannot be written, {@value #FAILED} for a job that failed otherwise
     */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new SeglossEval());
        commandLine.setParameterExceptionHandler(
                (exception, rejected) -> {
                    exception
                            .getCommandLine()
                            .getErr()
                            .println(
                                    "segloss-eval: "
                                            + exception.getMessage()
                                            + " (see segloss-eval --help)");
                    return USAGE;
                });
        commandLine.setExecutionExceptionHandler(
                (exception, command, parseResult) -> {
                    PrintWriter err = command.getErr();
                    OutputWriteException unwritable = cause(exception, OutputWriteException.class);
                    if (unwritable != null) {
                        err.println("segloss-eval: " + firstLine(unwritable.getMessage()));
                        return CANNOT_WRITE;
                    }
                    IllegalArgumentException bad = cause(exception, IllegalArgumentException.class);
                    if (bad != null) {
                        err.println("segloss-eval: " + firstLine(bad.getMessage()));
                        return USAGE;
                    }
                    String message = String.valueOf(exception.getMessage());
                    int marker = message.indexOf("bad image (--fail-on-bad): ");
                    if (marker >= 0) {
                        err.println("segloss-eval: " + firstLine(message.substring(marker)));
                        return USAGE;
                    }
                    err.println("segloss-eval: the Spark job failed: " + firstLine(message));
                    return FAILED;
                });
        return commandLine.execute(args);
    }

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException(
                    "--format must be one of " + FORMATS + ", got " + format);
        }
        if (partitions != null && partitions < 1) {
            throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
        }
        EvaluationSpec spec = options.spec(model, data, format);
        SparkEvaluation.Settings settings =
                new SparkEvaluation.Settings(
                        partitions == null ? 0 : partitions,
                        options.batchSize(),
                        options.failOnBad(),
                        options.output(),
                        options.predictions(),
                        failFirstAttemptOf);
        PrintStream err = System.err;
        try (JavaSparkContext spark = SparkContexts.start(master)) {
            spark.setLogLevel("WARN");
            EvaluationCounts counts = SparkEvaluation.run(spark, spec, settings, err);
            Path metrics = options.output().resolve(MetricsJson.FILE);
            JsonObject json = JsonParser.parseString(Files.readString(metrics)).getAsJsonObject();
            JsonElement meanIoU = json.get("mIoU");
            JsonElement maskAp = json.get("AP");
            System.out.println(
                    (SparkEvaluation.IMAGES.equals(format) ? "predicted " : "scored ")
                            + counts.images()
                            + " image(s), "
                            + counts.badImages()
                            + " bad image(s) skipped"
                            + (meanIoU == null || meanIoU.isJsonNull() ? "" : "; mIoU " + meanIoU)
                            + (maskAp == null || maskAp.isJsonNull() ? "" : "; mask AP " + maskAp)
                            + "; wrote "
                            + metrics);
        }
        return 0;
    }

    private static String firstLine(String text) {
        String value = text == null ? "" : text;
        int newline = value.indexOf('\n');
        return newline < 0 ? value : value.substring(0, newline);
    }

    private static <T extends Throwable> T cause(Throwable exception, Class<T> type) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
