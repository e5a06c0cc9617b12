package io.github.segloss.example.report;

import io.github.segloss.example.data.Sample;
import io.github.segloss.example.data.SampleSource;
import io.github.segloss.example.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes samples as a dataset of the folder format, which {@code DataSources.open("folder", ...)}
 * reads back: {@code classes.txt}, one RGB PNG {@code images/<split>-<index>.png} and one indexed
 * class-id PNG {@code masks/<split>-<index>.png} per sample, and one list {@code <split>.txt} per
 * split holding the names in the source's order, so that sample {@code i} of a split reads back as
 * sample {@code i} of the source.
 *
 * <p>Labels and class names read back exactly. Images are stored with 8 bits per channel: each
 * value in [0, 1] reads back as {@code round(255 v) / 255}, at most {@code 0.5 / 255} away. Every
 * file is written atomically ({@link AtomicFiles}).
 */
public final class FolderDatasetWriter {

    private FolderDatasetWriter() {}

    /**
     * Writes the splits into a folder (created if missing; files of the same names are replaced).
     *
     * @param root the dataset folder
     * @param splits the sources by split name (e.g. "train", "val"), in the order written; all of
     *     the same classes
     * @return the number of samples written
     * @throws IllegalArgumentException if there is no split, or two splits have different classes
     * @throws IOException if a file cannot be written ({@link OutputWriteException})
     */
    public static int write(Path root, Map<String, SampleSource> splits) throws IOException {
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("expected at least one split to write, got none");
        }
        List<String> classes = splits.values().iterator().next().classes();
        for (Map.Entry<String, SampleSource> split : splits.entrySet()) {
            if (!split.getValue().classes().equals(classes)) {
                throw new IllegalArgumentException(
                        "split "
                                + split.getKey()
                                + " has the classes "
                                + split.getValue().classes()
                                + ", expected those of the first split "
                                + classes);
            }
        }
        writeLines(root.resolve("classes.txt"), classes);
        int written = 0;
        for (Map.Entry<String, SampleSource> split : splits.entrySet()) {
            SampleSource source = split.getValue();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < source.size(); i++) {
                String name = String.format(Locale.ROOT, "%s-%05d", split.getKey(), i);
                writeSample(root, name, source.get(i));
                names.add(name);
                written++;
            }
            writeLines(root.resolve(split.getKey() + ".txt"), names);
        }
        return written;
    }

    private static void writeSample(Path root, String name, Sample sample) throws IOException {
        PngFiles.write(
                root.resolve("images").resolve(name + ".png"),
                Overlay.image(sample.image(), sample.width(), sample.height()));
        Palette.writeClassIdPng(
                root.resolve("masks").resolve(name + ".png"),
                sample.semantic(),
                sample.width(),
                sample.height());
    }

    private static void writeLines(Path file, List<String> lines) throws IOException {
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }
}
