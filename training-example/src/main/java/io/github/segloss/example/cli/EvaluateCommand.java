package io.github.segloss.example.cli;

import io.github.segloss.example.data.DataChecks;
import io.github.segloss.example.eval.Evaluation;
import io.github.segloss.example.eval.EvaluationCounts;
import io.github.segloss.example.eval.EvaluationModel;
import io.github.segloss.example.eval.EvaluationSpec;
import io.github.segloss.example.eval.MetricsJson;
import io.github.segloss.example.eval.PredictionFolder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code segloss-train evaluate}: scores a semantic model, or a mask checkpoint (mask AP on the
 * ground-truth boxes), on a labelled dataset in one process and writes {@code metrics.json};
 * segloss-spark's {@code segloss-eval} gives the same numbers on Spark.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Score a semantic model (a segloss-train checkpoint folder, or a TorchScript file"
                    + " NAME.pt) on a labelled dataset at each image's own size, and write"
                    + " OUTPUT/metrics.json: mIoU, pixel accuracy, per-class IoU, Dice,"
                    + " precision and recall, the confusion matrix and the counts.",
            "",
            "A mask checkpoint (segloss-train mask) is scored on coco or voc data: each"
                    + " annotated instance's mask is predicted on its ground-truth box, as predict"
                    + " does (an upper bound for a full detector), and metrics.json holds the 12"
                    + " COCO mask-AP stats (AP, AP50, ..., ARl), per-class AP, Boundary AP and the"
                    + " mean instance Boundary IoU.",
            "",
            "A bad image (empty, truncated, corrupt, a mask of another size) is reported in one"
                    + " line, skipped and counted; with --fail-on-bad it stops the run with exit"
                    + " code 2. Bad options, model or data: one line, exit code 2; an output that"
                    + " cannot be written: exit code 5."
        })
public final class EvaluateCommand implements Callable<Integer> {

    @Option(
            names = {"--model", "--checkpoint"},
            required = true,
            description = "checkpoint folder (e.g. runs/semantic/checkpoints/epoch-0120) or .pt")
    String model;

    @Option(names = "--data", required = true, description = "the dataset's root folder")
    String data;

    @Option(
            names = "--format",
            defaultValue = "folder",
            description = "folder, voc or coco (default: ${DEFAULT-VALUE})")
    String format;

    @Option(
            names = "--split",
            defaultValue = "val",
            description = "the split to score (default: ${DEFAULT-VALUE})")
    String split;

    @Option(
            names = "--output",
            defaultValue = "evaluation",
            description = "folder for metrics.json (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(
            names = "--predictions",
            description = "folder for NAME.png (class ids) and NAME-overlay.png per image")
    Path predictions;

    @Option(names = "--fail-on-bad", description = "stop at the first bad image (exit code 2)")
    boolean failOnBad;

    @Option(
            names = "--engine",
            defaultValue = "PyTorch",
            description = "PyTorch or MXNet (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(
            names = "--batch-size",
            defaultValue = "8",
            description = "images predicted at once (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
            names = "--image-size",
            defaultValue = "64",
            description = "input side of a TorchScript model (default: ${DEFAULT-VALUE})")
    int imageSize;

    @Option(
            names = "--max-image-pixels",
            defaultValue = "" + DataChecks.DEFAULT_MAX_IMAGE_PIXELS,
            description = "refuse larger images, from their header (default: ${DEFAULT-VALUE})")
    long maxImagePixels;

    @Option(
            names = "--val-fraction",
            defaultValue = "0.2",
            description = "split of a folder dataset without lists (default: ${DEFAULT-VALUE})")
    double valFraction;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "seed of that split (default: ${DEFAULT-VALUE})")
    long seed;

    /**
     * The options as a spec.
     *
     * @return the spec
     */
    EvaluationSpec spec() {
        return new EvaluationSpec(
                model, data, format, split, engine, imageSize, maxImagePixels, valFraction, seed);
    }

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        EvaluationSpec spec = spec();
        EvaluationSpec.OpenedData data =
                spec.openData(line -> System.err.println("segloss-train: skipped " + line));
        if (failOnBad && data.skipped().badImages() > 0) {
            throw new IllegalArgumentException(
                    "bad image (--fail-on-bad): " + data.skipped().badLines().get(0));
        }
        List<String> classes = data.source().classes();
        EvaluationCounts counts;
        try (EvaluationModel loaded = spec.openModel(classes.size())) {
            counts = loaded.newCounts().merge(data.skipped());
            PredictionFolder folder =
                    predictions == null ? null : new PredictionFolder(predictions, "local");
            new Evaluation(
                            loaded,
                            data.source(),
                            batchSize,
                            failOnBad,
                            folder,
                            line -> System.err.println("segloss-train: skipped " + line))
                    .score(IntStream.range(0, data.source().size()).iterator(), counts);
        }
        Path file = MetricsJson.write(output, classes, counts);
        System.out.println(
                "scored "
                        + counts.images()
                        + " image(s), "
                        + counts.badImages()
                        + " bad image(s) skipped; "
                        + (counts.instances() == null
                                ? "mIoU " + MetricsJson.of(classes, counts).get("mIoU")
                                : "mask AP " + MetricsJson.of(classes, counts).get("AP"))
                        + "; wrote "
                        + file);
        return 0;
    }
}
