package io.github.segloss.example.cli;

import io.github.segloss.example.data.DataChecks;
import io.github.segloss.example.eval.EvaluationSpec;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that {@code segloss-train evaluate} and segloss-spark's {@code segloss-eval} share (a
 * picocli mixin): the model, the split and how it is read, the batch, the outputs and the bad-image
 * policy. Each command declares {@code --data} and {@code --format} itself, as they accept
 * different formats.
 */
public final class EvaluationOptions {

    @Option(
            names = "--split",
            defaultValue = "val",
            description = "the split to score (default: ${DEFAULT-VALUE})")
    String split;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            defaultValue = "evaluation",
            description = "folder for metrics.json (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(
            names = "--predictions",
            paramLabel = "DIR",
            description =
                    "folder for ID.png (class ids) and ID-overlay.png per image (on Spark, one"
                            + " that every executor sees)")
    Path predictions;

    @Option(names = "--fail-on-bad", description = "stop at the first bad image, with exit code 2")
    boolean failOnBad;

    @Option(
            names = "--engine",
            defaultValue = "PyTorch",
            description = "PyTorch or MXNet, for a checkpoint (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(
            names = "--batch-size",
            defaultValue = "8",
            description =
                    "images predicted at once (per task on Spark) (default: ${DEFAULT-VALUE})")
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
     * Returns the model and data of a run.
     *
     * @param model the checkpoint folder or TorchScript file
     * @param data the dataset's root, or a folder or URI of images
     * @param format the dataset's format
     * @return the spec
     */
    public EvaluationSpec spec(String model, String data, String format) {
        return new EvaluationSpec(
                model, data, format, split, engine, imageSize, maxImagePixels, valFraction, seed);
    }

    /**
     * Returns the folder of {@code metrics.json}.
     *
     * @return the folder
     */
    public Path output() {
        return output;
    }

    /**
     * Returns the folder of the prediction files.
     *
     * @return the folder, or null for none
     */
    public Path predictions() {
        return predictions;
    }

    /**
     * Tells whether a bad image stops the run.
     *
     * @return true with {@code --fail-on-bad}
     */
    public boolean failOnBad() {
        return failOnBad;
    }

    /**
     * Returns the number of images predicted at once.
     *
     * @return the batch size
     */
    public int batchSize() {
        return batchSize;
    }
}
