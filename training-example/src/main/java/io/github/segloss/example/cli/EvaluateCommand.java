package io.github.segloss.example.cli;

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
import picocli.CommandLine.Mixin;
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

    @Mixin EvaluationOptions options;

    @Option(
            names = {"--model", "--checkpoint"},
            required = true,
            paramLabel = "PATH",
            description = "checkpoint folder (e.g. runs/semantic/checkpoints/epoch-0120) or .pt")
    String model;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "PATH",
            description = "the dataset's root folder")
    String data;

    @Option(
            names = "--format",
            defaultValue = "folder",
            description = "folder, voc or coco (default: ${DEFAULT-VALUE})")
    String format;

    /**
     * The options as a spec.
     *
     * @return the spec
     */
    EvaluationSpec spec() {
        return options.spec(model, data, format);
    }

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        EvaluationSpec spec = spec();
        EvaluationSpec.OpenedData data =
                spec.openData(line -> System.err.println("segloss-train: skipped " + line));
        if (options.failOnBad() && data.skipped().badImages() > 0) {
            throw new IllegalArgumentException(
                    "bad image (--fail-on-bad): " + data.skipped().badLines().get(0));
        }
        List<String> classes = data.source().classes();
        EvaluationCounts counts;
        try (EvaluationModel loaded = spec.openModel(classes.size())) {
            counts = loaded.newCounts().merge(data.skipped());
            PredictionFolder folder =
                    options.predictions() == null
                            ? null
                            : new PredictionFolder(
                                    options.predictions(), PredictionFolder.newRun(), "local");
            new Evaluation(
                            loaded,
                            data.source(),
                            options.batchSize(),
                            options.failOnBad(),
                            folder,
                            line -> System.err.println("segloss-train: skipped " + line))
                    .score(IntStream.range(0, data.source().size()).iterator(), counts);
        }
        Path file = MetricsJson.write(options.output(), classes, counts);
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
