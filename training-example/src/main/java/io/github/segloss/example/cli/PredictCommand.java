package io.github.segloss.example.cli;

import io.github.segloss.example.train.Prediction;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segloss-train predict}: class-id PNG masks and colour overlays from a checkpoint. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description =
                "Segment images with a semantic checkpoint: writes NAME.png (indexed class ids) and"
                        + " NAME-overlay.png per image.")
public final class PredictCommand implements Callable<Integer> {

    @Option(
            names = "--checkpoint",
            required = true,
            description = "checkpoint folder, e.g. runs/semantic/checkpoints/epoch-0120")
    Path checkpoint;

    @Option(names = "--input", required = true, description = "an image, or a folder of images")
    Path input;

    @Option(names = "--output", required = true, description = "folder for the masks and overlays")
    Path output;

    @Option(
            names = "--engine",
            defaultValue = "PyTorch",
            description = "PyTorch or MXNet (default: ${DEFAULT-VALUE})")
    String engine;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        new Prediction(checkpoint, engine, System.out).run(input, output);
        return 0;
    }
}
