package io.github.segloss.example.cli;

import io.github.segloss.example.train.MaskTask;
import io.github.segloss.example.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code segloss-train mask}: trains the Mask R-CNN-style mask head on ground-truth boxes. */
@Command(
        name = "mask",
        mixinStandardHelpOptions = true,
        description = {
            "Train a Mask R-CNN-style mask head on jittered ground-truth boxes with segloss's"
                    + " MaskRcnnMaskLoss, reporting mask IoU and detectron2's mask metrics every"
                    + " epoch.",
            "",
            "RoI Align (14x14, stride 4) of each box, 4 convolutions, 2x bilinear upsampling and"
                    + " one 28x28 mask per class. In metrics.csv the mIoU column holds the"
                    + " validation mask IoU (mean over RoIs), pixel_accuracy the mask accuracy and"
                    + " iou_<class> the mask IoU of each object class; the false-positive and"
                    + " false-negative rates are printed and written to summary.json.",
            "",
            "Every epoch each validation instance's mask, pasted into its ground-truth box at the"
                    + " image's resolution (threshold 0.5), is scored against its ground truth:"
                    + " COCO mask AP (columns mask_ap, mask_ap50, mask_ap75; scores are the mean"
                    + " mask probability over the predicted pixels) and the mean Boundary IoU"
                    + " (boundary_iou). With ground-truth boxes this AP measures the mask head"
                    + " alone, an upper bound for a full detector."
        })
public final class MaskCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin TrainingOptions options;

    @Option(
            names = "--format",
            defaultValue = "coco",
            description =
                    "voc or coco, for a dataset folder; folder datasets have no instances"
                            + " (default: ${DEFAULT-VALUE})")
    String format;

    @Option(
            names = "--epochs",
            defaultValue = "40",
            description = "epochs in total (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(
            names = "--output",
            defaultValue = "runs/mask",
            description = "folder of checkpoints, metrics and pictures (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(
            names = "--class-agnostic",
            defaultValue = "false",
            description =
                    "predict one mask per RoI (K = 1) instead of one per class (default:"
                            + " ${DEFAULT-VALUE})")
    boolean classAgnostic;

    @Option(
            names = "--jitter",
            defaultValue = "0.1",
            description =
                    "largest move of each training box coordinate, as a fraction of the box's"
                            + " size (default: ${DEFAULT-VALUE})")
    float jitter;

    @Option(
            names = "--max-rois-per-image",
            defaultValue = "" + MaskTask.DEFAULT_MAX_ROIS_PER_IMAGE,
            description =
                    "train on at most this many instances (RoIs) per image, a seeded random sample"
                            + " of each image that has more, as Mask R-CNN samples its RoIs;"
                            + " validation counts every instance (default: ${DEFAULT-VALUE})")
    int maxRoisPerImage;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        List<String> commandLine =
                new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        TrainingRun.mask(
                        options.settings(format, epochs, output, commandLine),
                        new MaskTask.Options(classAgnostic, jitter, maxRoisPerImage),
                        System.out)
                .run();
        return 0;
    }
}
