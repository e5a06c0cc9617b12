package io.github.segloss.example.cli;

import io.github.segloss.example.data.DataChecks;
import io.github.segloss.example.train.Prediction;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segloss-train predict}: class-id PNG masks and colour overlays from a checkpoint. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Segment images with a semantic checkpoint: writes NAME.png (indexed class ids) and"
                    + " NAME-overlay.png per image, at the image's size.",
            "",
            "--output must lie outside --input; predict never writes over an input image, and"
                    + " refuses two images that would write one file (a.png and a.jpg). In a"
                    + " folder, hidden files are left out, and a bad image (empty, truncated,"
                    + " corrupt, too large, unreadable) is reported in one line and skipped; the"
                    + " run then ends with exit code 2. Bad options, a bad checkpoint or output:"
                    + " one line, exit code 2."
        })
public final class PredictCommand implements Callable<Integer> {

    @Option(
            names = "--checkpoint",
            required = true,
            description = "checkpoint folder, e.g. runs/semantic/checkpoints/epoch-0120")
    Path checkpoint;

    @Option(names = "--input", required = true, description = "an image, or a folder of images")
    Path input;

    @Option(
            names = "--output",
            required = true,
            description = "folder for the masks and overlays, outside --input")
    Path output;

    @Option(
            names = "--engine",
            defaultValue = "PyTorch",
            description = "PyTorch or MXNet (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(
            names = "--max-image-pixels",
            defaultValue = "" + DataChecks.DEFAULT_MAX_IMAGE_PIXELS,
            description =
                    "refuse images whose header declares more pixels (width x height), before"
                            + " decoding them (default: ${DEFAULT-VALUE})")
    long maxImagePixels;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        new Prediction(checkpoint, engine, maxImagePixels, System.out, System.err)
                .run(input, output);
        return 0;
    }
}
