package io.github.segloss.example.cli;

import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.data.SampleSource;
import io.github.segloss.example.report.FolderDatasetWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code segloss-train export-synthetic}: writes the built-in synthetic data as a folder dataset,
 * so that other tools (such as the PyTorch replica of the training recipe) train on the very
 * samples that {@code segloss-train --data synthetic} uses.
 *
 * <p>The splits are those of {@code semantic} with the same options: {@code train} holds {@code
 * --synthetic-count} images drawn from {@code --seed}, {@code val} a quarter as many (at least one)
 * drawn from {@code ~seed}. Labels and classes read back exactly; images with 8 bits per channel,
 * so within {@code 0.5 / 255} of the synthetic source's values ({@link FolderDatasetWriter}).
 */
@Command(
        name = "export-synthetic",
        mixinStandardHelpOptions = true,
        description = {
            "Write the synthetic training and validation data of `semantic` (same options, same"
                    + " samples) as a folder dataset: images/, masks/, classes.txt, train.txt,"
                    + " val.txt. Images are stored as 8-bit PNGs (within 0.5/255 of the"
                    + " generated values), masks exactly.",
            "",
            "--output must be a new or empty folder. Bad options or output: one line, exit code 2."
        })
public final class ExportSyntheticCommand implements Callable<Integer> {

    @Option(names = "--output", required = true, description = "new or empty folder to write")
    Path output;

    @Option(
            names = "--synthetic-count",
            defaultValue = "400",
            description =
                    "training images; validation gets a quarter as many (default:"
                            + " ${DEFAULT-VALUE}, as for semantic)")
    int syntheticCount;

    @Option(
            names = "--image-size",
            defaultValue = "64",
            description = "side of the square images (default: ${DEFAULT-VALUE}, as for semantic)")
    int imageSize;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description =
                    "seed of the training images; validation uses ~seed (default:"
                            + " ${DEFAULT-VALUE}, as for semantic)")
    long seed;

    @Option(
            names = "--synthetic-classes",
            split = ",",
            defaultValue = "background,circle,square,triangle",
            description =
                    "background, then any of circle, square, triangle, ellipse, star (default:"
                            + " ${DEFAULT-VALUE})")
    List<String> syntheticClasses;

    /**
     * Returns the splits that {@code semantic} trains and validates on with these options.
     *
     * @param count the training images ({@code --synthetic-count})
     * @param size the image side ({@code --image-size})
     * @param classes the classes ({@code --synthetic-classes})
     * @param seed the seed ({@code --seed})
     * @return "train" and "val", in that order
     * @throws IllegalArgumentException if the count, size or a class is invalid
     */
    static Map<String, SampleSource> splits(int count, int size, List<String> classes, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("--synthetic-count must be >= 1, got " + count);
        }
        Map<String, SampleSource> splits = new LinkedHashMap<>();
        for (String split : List.of("train", "val")) {
            splits.put(split, DataSources.syntheticSplit(split, count, size, classes, seed));
        }
        return splits;
    }

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException {
        Map<String, SampleSource> splits =
                splits(syntheticCount, imageSize, syntheticClasses, seed);
        requireNewOrEmpty(output);
        int written = FolderDatasetWriter.write(output, splits);
        System.out.printf(
                "wrote %d synthetic images (train %d, val %d) to %s%n",
                written, splits.get("train").size(), splits.get("val").size(), output);
        return 0;
    }

    private static void requireNewOrEmpty(Path output) throws IOException {
        if (!Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(output)) {
            throw new IllegalArgumentException(
                    "--output " + output + ": expected a new or empty folder, got a file");
        }
        try (Stream<Path> entries = Files.list(output)) {
            long count = entries.count();
            if (count > 0) {
                throw new IllegalArgumentException(
                        "--output "
                                + output
                                + ": expected a new or empty folder, got one with "
                                + count
                                + " entries");
            }
        }
    }
}
