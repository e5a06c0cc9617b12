package io.github.segloss.example.eval;

import io.github.segloss.example.data.DataChecks;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.data.SampleSource;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What an evaluation reads: the model and the labelled data, as the options name them. Serializable
 * and a value (equal specs open equal models and sources), so that Spark executors open them again
 * from it and cache them per JVM.
 *
 * @param model a segloss-train checkpoint folder, or a TorchScript {@code .pt} file
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

    /**
     * Opens the data: bad samples found as it opens (an image without its mask) are skipped and
     * reported to {@code badSamples}.
     *
     * @param badSamples receives one line per sample skipped at opening
     * @return the source
     * @throws IllegalArgumentException if the data is missing or bad as a whole
     */
    public SampleSource openSource(Consumer<String> badSamples) {
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
