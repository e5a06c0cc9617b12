package io.github.segloss.example.train;

import io.github.segloss.example.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files that a training run writes into its output folder, and only those: {@code
 * checkpoints/epoch-NNNN/} and the temporary {@code checkpoints/.epoch-*} folders, {@value
 * #METRICS}, {@code loss-curve.png}, {@code predictions.png}, {@code summary.json} and the
 * temporary {@code .<name>.<random>.tmp} files of their atomic writes. Whatever else the folder
 * holds is the user's and is never touched.
 */
final class RunFiles {

    /** The metrics file of a run. */
    static final String METRICS = "metrics.csv";

    /** The checkpoint folder of a run. */
    static final String CHECKPOINTS = "checkpoints";

    private static final List<String> FILES =
            List.of(METRICS, "loss-curve.png", "predictions.png", "summary.json");

    private RunFiles() {}

    /**
     * Lists what an earlier run left in an output folder: its checkpoints and its files.
     *
     * @param output the output folder
     * @return the names, relative to the folder; empty if it holds no run
     * @throws IOException if the folder cannot be listed
     */
    static List<String> find(Path output) throws IOException {
        List<String> found = new ArrayList<>();
        Path checkpoints = output.resolve(CHECKPOINTS);
        for (Path checkpoint : Checkpoints.checkpoints(checkpoints)) {
            found.add(CHECKPOINTS + "/" + checkpoint.getFileName());
        }
        for (String name : FILES) {
            if (Files.exists(output.resolve(name))) {
                found.add(name);
            }
        }
        return found;
    }

    /**
     * Deletes the temporary files that cut-off atomic writes of the run's files left ({@code
     * .metrics.csv.<random>.tmp} and so on); other files, the user's {@code .tmp} files included,
     * stay.
     *
     * @param output the output folder
     * @return the names of the deleted files
     * @throws IOException if one cannot be deleted
     */
    static List<String> deleteLeftovers(Path output) throws IOException {
        return AtomicFiles.deleteLeftovers(output, FILES);
    }

    /**
     * Deletes an earlier run's files from an output folder ({@code --overwrite}): every checkpoint
     * folder with its content, the temporary checkpoint folders and files, and {@code checkpoints/}
     * itself once empty; other files are left as they are.
     *
     * @param output the output folder
     * @return the names of what was deleted, relative to the folder
     * @throws IOException if something cannot be deleted
     */
    static List<String> remove(Path output) throws IOException {
        List<String> removed = find(output);
        Path checkpoints = output.resolve(CHECKPOINTS);
        for (Path checkpoint : Checkpoints.checkpoints(checkpoints)) {
            Checkpoints.deleteRecursively(checkpoint);
        }
        for (String name : Checkpoints.removeUnfinished(checkpoints)) {
            removed.add(CHECKPOINTS + "/" + name);
        }
        for (String name : FILES) {
            Files.deleteIfExists(output.resolve(name));
        }
        removed.addAll(deleteLeftovers(output));
        if (Files.isDirectory(checkpoints)) {
            try (Stream<Path> left = Files.list(checkpoints)) {
                if (left.findAny().isEmpty()) {
                    Files.delete(checkpoints);
                }
            }
        }
        return removed;
    }
}
