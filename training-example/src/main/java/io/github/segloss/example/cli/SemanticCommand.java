package io.github.segloss.example.cli;

import io.github.segloss.example.train.LossChoice;
import io.github.segloss.example.train.SemanticTask;
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

/** {@code segloss-train semantic}: trains the PSPNet-style model (the default command). */
@Command(
        name = "semantic",
        mixinStandardHelpOptions = true,
        description =
                "Train a PSPNet-style semantic segmentation model with segloss's deep supervision"
                        + " (main + aux head), reporting mIoU and pixel accuracy every epoch.")
public final class SemanticCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin TrainingOptions options;

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
            names = "--output",
            defaultValue = "runs/semantic",
            description = "folder of checkpoints, metrics and pictures (default: ${DEFAULT-VALUE})")
    Path output;

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
        TrainingRun.semantic(
                        options.settings(format, epochs, output, commandLine),
                        new SemanticTask.Options(
                                LossChoice.parse(loss), classWeights, auxWeight, torchscript),
                        System.out)
                .run();
        return 0;
    }
}
