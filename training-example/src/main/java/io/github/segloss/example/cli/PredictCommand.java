package io.github.segloss.example.cli;

import io.github.segloss.example.data.DataChecks;
import io.github.segloss.example.train.MaskPrediction;
import io.github.segloss.example.train.Prediction;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code segloss-train predict}: class-id PNG masks and colour overlays from a semantic checkpoint
 * ({@code --input} images), or instance-id PNG masks, overlays and {@code instances.json} from a
 * mask checkpoint ({@code --data} with instance annotations: the mask head has no detector, so the
 * boxes and classes come from the dataset).
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Segment images with a semantic checkpoint: writes NAME.png (indexed class ids) and"
                    + " NAME-overlay.png per image, at the image's size.",
            "",
            "With a mask checkpoint, predict the masks of the annotated instances of --data"
                    + " (--format coco or voc, --split, default val; the head has no detector):"
                    + " writes ID.png (indexed instance ids: 0 background, k the k-th instance of"
                    + " the image in annotation order; where masks overlap the higher-scoring"
                    + " instance wins), ID-overlay.png (each instance its own colour, outlined)"
                    + " and instances.json (each instance's id, class, box and score: its mean"
                    + " mask probability over its predicted pixels). A mask checkpoint with --input,"
                    + " or a semantic one with --data, --format or --split: one line, exit code 2.",
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

    @Option(
            names = "--input",
            description = "an image, or a folder of images (semantic checkpoints)")
    Path input;

    @Option(
            names = "--data",
            description = "a dataset folder with instance annotations (mask checkpoints)")
    Path data;

    @Option(
            names = "--format",
            description = "coco or voc, the layout of --data (mask checkpoints; default: coco)")
    String format;

    @Option(
            names = "--split",
            description =
                    "the split of --data: a VOC list or a COCO instances_<split>.json (mask"
                            + " checkpoints; default: val)")
    String split;

    @Option(
            names = "--output",
            required = true,
            description = "folder for the masks and overlays, outside --input or --data")
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
        if ("mask".equals(Prediction.task(checkpoint))) {
            if (input != null || data == null) {
                throw new IllegalArgumentException(
                        (input != null ? "--input " + input : "--data")
                                + ": "
                                + MaskPrediction.NEEDS_DATA);
            }
            new MaskPrediction(checkpoint, engine, maxImagePixels, System.out)
                    .run(
                            data,
                            format == null ? "coco" : format,
                            split == null ? "val" : split,
                            output);
            return 0;
        }
        if (data != null || format != null || split != null) {
            String option = data != null ? "--data" : format != null ? "--format" : "--split";
            throw new IllegalArgumentException(
                    option
                            + ": instance options are for mask checkpoints; --checkpoint "
                            + checkpoint
                            + " is a semantic checkpoint, give it images with --input");
        }
        if (input == null) {
            throw new IllegalArgumentException(
                    "--input: missing; a semantic checkpoint segments an image or a folder of"
                            + " images");
        }
        new Prediction(checkpoint, engine, maxImagePixels, System.out, System.err)
                .run(input, output);
        return 0;
    }
}
