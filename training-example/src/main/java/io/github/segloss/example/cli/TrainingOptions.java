package io.github.segloss.example.cli;

import io.github.segloss.example.train.FineTuning;
import io.github.segloss.example.train.RunSettings;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that {@code semantic} and {@code mask} share, with the same defaults: everything that
 * {@link RunSettings} holds but the format, the epochs and the output folder, whose defaults differ
 * by task.
 */
final class TrainingOptions {

    @Option(
            names = "--data",
            defaultValue = "synthetic",
            description = "synthetic, or the dataset's root folder (default: ${DEFAULT-VALUE})")
    String data;

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
            names = "--overwrite",
            description =
                    "delete the files of an earlier run in --output first (its checkpoints,"
                            + " metrics.csv, pictures and summary.json; nothing else)")
    boolean overwrite;

    @Option(
            names = "--max-batches",
            defaultValue = "0",
            description =
                    "at most this many batches per epoch and split, 0 for all (default: ${DEFAULT-VALUE})")
    int maxBatches;

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
            names = "--skip-bad-samples",
            description =
                    "skip samples whose files or annotations are bad (corrupt, truncated, of the"
                            + " wrong size, refused) instead of stopping; each is logged once and"
                            + " counted in summary.json")
    boolean skipBadSamples;

    @Option(
            names = "--max-image-pixels",
            defaultValue = "64000000",
            description =
                    "refuse images and masks whose header declares more pixels (width x height),"
                            + " before decoding them (default: ${DEFAULT-VALUE})")
    long maxImagePixels;

    @Option(
            names = "--skip-nonfinite-batches",
            defaultValue = "0",
            description =
                    "skip up to this many batches whose loss is NaN or infinite, in the whole run;"
                            + " 0 stops at the first (default: ${DEFAULT-VALUE})")
    int skipNonFiniteBatches;

    @Option(
            names = "--val-fraction",
            defaultValue = "0.2",
            description =
                    "validation share of a folder dataset without val.txt (default:"
                            + " ${DEFAULT-VALUE})")
    double valFraction;

    @Option(
            names = "--backbone-lr-scale",
            defaultValue = "1",
            description =
                    "the backbone's learning rate is --lr times this (0 keeps it as loaded);"
                            + " the backbone is the built-in model's backbone block or the"
                            + " TorchScript parameters named *backbone.* (default: ${DEFAULT-VALUE})")
    float backboneLrScale;

    @Option(
            names = "--freeze-bn-stats",
            description =
                    "batch normalisation uses and keeps its running statistics while training"
                            + " (its scale and shift still train); a TorchScript model needs the"
                            + " method that trace_model.py exports")
    boolean freezeBnStats;

    /**
     * Returns the run's settings from these options and the task's own defaults.
     *
     * @param format the dataset format
     * @param epochs the epochs in total
     * @param output the run's folder
     * @param commandLine the command line, recorded in the checkpoints
     * @return the settings
     * @throws IllegalArgumentException if --backbone-lr-scale is negative or not a number
     */
    RunSettings settings(String format, int epochs, Path output, List<String> commandLine) {
        return RunSettings.builder()
                .optData(data)
                .optFormat(format)
                .setEpochs(epochs)
                .optBatchSize(batchSize)
                .optImageSize(imageSize)
                .optLearningRate(learningRate)
                .optSeed(seed)
                .optEngine(engine)
                .optDevices(devices)
                .setOutput(output)
                .optPretrained(pretrained)
                .optFreezeBackboneEpochs(freezeBackboneEpochs)
                .optResume(resume)
                .optOverwrite(overwrite)
                .optMaxBatches(maxBatches)
                .optWidth(width)
                .optValFraction(valFraction)
                .optSyntheticClasses(syntheticClasses)
                .optSyntheticCount(syntheticCount)
                .optCommandLine(commandLine)
                .optSkipBadSamples(skipBadSamples)
                .optMaxImagePixels(maxImagePixels)
                .optSkipNonFiniteBatches(skipNonFiniteBatches)
                .optFineTuning(new FineTuning(backboneLrScale, freezeBnStats))
                .build();
    }
}
