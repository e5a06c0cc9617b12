package io.github.segloss.example.eval;

import static java.util.Locale.ROOT;

import io.github.segloss.example.data.DataChecks;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.data.SampleSource;
import io.github.segloss.example.train.CheckpointModel;
import io.github.segloss.example.train.Checkpoints;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What an evaluation reads: the model and the labelled data, as the options name them. Serializable
 * and a value (equal specs open equal models and sources), so that Spark executors open them again
 * from it and cache them per JVM.
 *
 * @param model a segloss-train checkpoint folder (semantic or mask), or a TorchScript {@code .pt}
 *     file
 * @param data the dataset's root folder
 * @param format "folder", "voc" or "coco"
 * @param split the split evaluated, e.g. "val"
 * @param engine "PyTorch" or "MXNet" (a TorchScript model runs on PyTorch)
 * @param imageSize the input side of a TorchScript model (a checkpoint names its own)
 * @param maxImagePixels the largest image decoded, width × height
 * @param valFraction the validation fraction of a folder dataset without lists
 * @param seed the seed of a folder dataset's split without lists
 */
public record EvaluationSpec(
        String model,
        String data,
        String format,
        String split,
        String engine,
        int imageSize,
        long maxImagePixels,
        double valFraction,
        long seed)
        implements Serializable {

    /** The formats with instance annotations, which a mask checkpoint needs. */
    private static final Set<String> INSTANCE_FORMATS = Set.of("coco", "voc");

    /**
     * Opens the data: bad samples found as it opens (an image without its mask) are skipped and
     * reported to {@code badSamples}.
     *
     * @param badSamples receives one line per sample skipped at opening
     * @return the source
     * @throws IllegalArgumentException if the data is missing or bad as a whole, or has no
     *     instances for a mask checkpoint
     */
    public SampleSource openSource(Consumer<String> badSamples) {
        requireInstanceFormat();
        DataChecks checks =
                DataChecks.of(
                        maxImagePixels,
                        true,
                        line -> badSamples.accept(line.replaceFirst("^skipped bad sample: ", "")));
        return DataSources.openEach(format, Path.of(data), split, valFraction, seed, checks);
    }

    /**
     * Opens the data and counts the samples skipped as it opens: those are reported to {@code
     * badSamples} and counted as bad images of the evaluation.
     *
     * @param badSamples receives one line per sample skipped at opening
     * @return the source, and counts holding only its samples skipped at opening
     * @throws IllegalArgumentException if the data is missing or bad as a whole
     */
    public OpenedData openData(Consumer<String> badSamples) {
        List<String> skipped = new ArrayList<>();
        SampleSource source =
                openSource(
                        line -> {
                            badSamples.accept(line);
                            skipped.add(line);
                        });
        EvaluationCounts counts = new EvaluationCounts(source.classes().size());
        skipped.forEach(counts::addBadImage);
        return new OpenedData(source, counts);
    }

    /**
     * A dataset opened for evaluation.
     *
     * @param source its samples
     * @param skipped the counts of its samples skipped at opening (bad images only)
     */
    public record OpenedData(SampleSource source, EvaluationCounts skipped) {}

    /** Refuses a format without instance annotations for a mask checkpoint, before reading data. */
    private void requireInstanceFormat() {
        Path path = Path.of(model);
        if (INSTANCE_FORMATS.contains(format.toLowerCase(ROOT))
                || !Files.isRegularFile(path.resolve(Checkpoints.DESCRIPTION))) {
            return;
        }
        String task;
        try {
            task = CheckpointModel.open(path).task();
        } catch (IOException | RuntimeException e) {
            return; // loading the model reports what is wrong with the checkpoint
        }
        if ("mask".equals(task)) {
            throw new IllegalArgumentException(
                    "--format "
                            + format
                            + ": a mask checkpoint is scored on the annotated instances of coco or"
                            + " voc data (the head has no detector)");
        }
    }

    /**
     * Loads the model.
     *
     * @param numClasses the data's classes (a TorchScript model must predict as many)
     * @return the model
     * @throws IllegalArgumentException if the model path is neither a checkpoint nor a TorchScript
     *     file, or the model does not fit the data
     * @throws IOException if it cannot be read
     */
    public EvaluationModel openModel(int numClasses) throws IOException {
        Path path = Path.of(model);
        if (Files.isDirectory(path)) {
            requireInstanceFormat();
            return EvaluationModel.checkpoint(path, engine);
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(
                    "--model "
                            + model
                            + ": no such checkpoint folder or TorchScript file (NAME.pt)");
        }
        if (!"PyTorch".equals(engine)) {
            throw new IllegalArgumentException(
                    "--model " + model + ": a TorchScript model runs on PyTorch, not " + engine);
        }
        return EvaluationModel.torchScript(path, numClasses, imageSize);
    }
}
