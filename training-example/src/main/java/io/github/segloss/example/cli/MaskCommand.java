package io.github.segloss.example.cli;

import io.github.segloss.example.train.MaskSettings;
import io.github.segloss.example.train.MaskTraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
                    + " false-negative rates are printed and written to summary.json."
        })
public final class MaskCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--data",
            defaultValue = "synthetic",
            description = "synthetic, or the dataset's root folder (default: ${DEFAULT-VALUE})")
    String data;

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
            names = "--batch-size",
            defaultValue = "8",
            description = "images per batch, with all their instances (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
            names = "--image-size",
            defaultValue = "64",
            description =
                    "side of the square training images, a multiple of 4 (default: ${DEFAULT-VALUE})")
    int imageSize;

    @Option(
            names = "--lr",
            defaultValue = "0.005",
            description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    float learningRate;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description =
                    "seed of data order, augmentation, box jitter and initialisation (default:"
                            + " ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--engine",
            defaultValue = "PyTorch",
            description = "PyTorch or MXNet (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(
            names = "--devices",
            defaultValue = "cpu",
            description =
                    "cpu, gpu (one GPU) or gpu:i; one device only (default: ${DEFAULT-VALUE})")
    String devices;

    @Option(
            names = "--output",
            defaultValue = "runs/mask",
            description = "folder of checkpoints, metrics and pictures (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(
            names = "--pretrained",
            description =
                    "checkpoint folder to start from, semantic or mask: a semantic checkpoint gives"
                            + " the backbone; layers whose shape or name differs are re-initialised (default: none)")
    Path pretrained;

    @Option(
            names = "--freeze-backbone-epochs",
            defaultValue = "0",
            description = "first epochs that train the mask head alone (default: ${DEFAULT-VALUE})")
    int freezeBackboneEpochs;

    @Option(
            names = "--resume",
            defaultValue = "false",
            description =
                    "continue from the newest checkpoint in --output (default: ${DEFAULT-VALUE})")
    boolean resume;

    @Option(
            names = "--max-batches",
            defaultValue = "0",
            description =
                    "at most this many batches per epoch and split, 0 for all (default: ${DEFAULT-VALUE})")
    int maxBatches;

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
            names = "--width",
            defaultValue = "16",
            description =
                    "base channel width of the backbone; the mask head has 4x as many channels"
                            + " (default: ${DEFAULT-VALUE})")
    int width;

    @Option(
            names = "--synthetic-classes",
            split = ",",
            defaultValue = "background,circle,square,triangle",
            description =
                    "classes of the synthetic data: background, then any of circle, square,"
                            + " triangle, ellipse, star (default: ${DEFAULT-VALUE})")
    List<String> syntheticClasses;

    @Option(
            names = "--synthetic-count",
            defaultValue = "400",
            description =
                    "synthetic training images; validation gets a quarter as many (default:"
                            + " ${DEFAULT-VALUE})")
    int syntheticCount;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        List<String> commandLine =
                new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        MaskSettings settings =
                new MaskSettings(
                        data,
                        format,
                        epochs,
                        batchSize,
                        imageSize,
                        learningRate,
                        seed,
                        engine,
                        devices,
                        output,
                        pretrained,
                        freezeBackboneEpochs,
                        resume,
                        maxBatches,
                        width,
                        classAgnostic,
                        jitter,
                        syntheticClasses,
                        syntheticCount,
                        commandLine);
        new MaskTraining(settings, System.out).run();
        return 0;
    }
}
