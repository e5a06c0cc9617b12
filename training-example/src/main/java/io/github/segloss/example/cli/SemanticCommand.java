package io.github.segloss.example.cli;

import io.github.segloss.example.train.LossChoice;
import io.github.segloss.example.train.SemanticSettings;
import io.github.segloss.example.train.SemanticTraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code segloss-train semantic}: trains the PSPNet-style model (the default command). */
@Command(
        name = "semantic",
        mixinStandardHelpOptions = true,
        description =
                "Train a PSPNet-style semantic segmentation model with segloss's deep supervision"
                        + " (main + aux head), reporting mIoU and pixel accuracy every epoch.")
public final class SemanticCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--data",
            defaultValue = "synthetic",
            description = "synthetic, or the dataset's root folder (default: ${DEFAULT-VALUE})")
    String data;

    @Option(
            names = "--format",
            defaultValue = "folder",
            description = "folder, voc or coco, for a dataset folder (default: ${DEFAULT-VALUE})")
    String format;

    @Option(
            names = "--epochs",
            defaultValue = "120",
            description = "epochs in total (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(
            names = "--batch-size",
            defaultValue = "8",
            description = "global batch size, split across the devices (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
            names = "--image-size",
            defaultValue = "64",
            description =
                    "side of the square training images, a multiple of 32 (default: ${DEFAULT-VALUE})")
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
                    "seed of data order, augmentation and initialisation (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--engine",
            defaultValue = "PyTorch",
            description = "PyTorch or MXNet (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(
            names = "--devices",
            defaultValue = "cpu",
            description = "cpu, gpu (all GPUs) or gpu:0,1 (default: ${DEFAULT-VALUE})")
    String devices;

    @Option(
            names = "--output",
            defaultValue = "runs/semantic",
            description = "folder of checkpoints, metrics and pictures (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(
            names = "--pretrained",
            description =
                    "checkpoint folder to start from; layers whose shape differs are re-initialised")
    Path pretrained;

    @Option(
            names = "--freeze-backbone-epochs",
            defaultValue = "0",
            description = "first epochs that train the heads alone (default: ${DEFAULT-VALUE})")
    int freezeBackboneEpochs;

    @Option(names = "--resume", description = "continue from the newest checkpoint in --output")
    boolean resume;

    @Option(
            names = "--max-batches",
            defaultValue = "0",
            description =
                    "at most this many batches per epoch and split, 0 for all (default: ${DEFAULT-VALUE})")
    int maxBatches;

    @Option(
            names = "--loss",
            defaultValue = "ce",
            description =
                    "loss of each head: ce, ce+dice, dice, focal, lovasz or ohem (default: ${DEFAULT-VALUE})")
    String loss;

    @Option(
            names = "--class-weights",
            defaultValue = "none",
            description =
                    "none, auto (median-frequency balancing) or w1,w2,... (default: ${DEFAULT-VALUE})")
    String classWeights;

    @Option(
            names = "--aux-weight",
            defaultValue = "0.4",
            description = "weight of the auxiliary head (default: ${DEFAULT-VALUE})")
    float auxWeight;

    @Option(
            names = "--val-fraction",
            defaultValue = "0.2",
            description =
                    "validation share of a folder dataset without val.txt (default: ${DEFAULT-VALUE})")
    double valFraction;

    @Option(
            names = "--width",
            defaultValue = "16",
            description = "base channel width of the model (default: ${DEFAULT-VALUE})")
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

    @Option(
            names = "--torchscript",
            description =
                    "fine-tune this TorchScript model (PyTorch engine) instead of the built-in"
                            + " PSPNet; it must return (out, aux) logits of the input's size, see"
                            + " training-example/scripts/trace_model.py")
    Path torchscript;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        List<String> commandLine =
                new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        SemanticSettings settings =
                new SemanticSettings(
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
                        LossChoice.parse(loss),
                        classWeights,
                        auxWeight,
                        valFraction,
                        width,
                        syntheticClasses,
                        syntheticCount,
                        torchscript,
                        commandLine);
        new SemanticTraining(settings, System.out).run();
        return 0;
    }
}
