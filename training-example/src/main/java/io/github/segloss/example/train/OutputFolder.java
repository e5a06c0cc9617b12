package io.github.segloss.example.train;

import io.github.segloss.example.files.OutputWriteException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Claims a run's output folder before anything is written to it: creates it, takes its {@link
 * RunLock}, puts in place a checkpoint that an interrupted run had written whole but not renamed
 * (so that it counts as that run's), refuses a fresh run into a folder that holds an earlier run
 * (unless {@code --overwrite} removes that run's files, {@link RunFiles}), and deletes the other
 * temporary folders and files an interrupted run left.
 */
final class OutputFolder {

    private OutputFolder() {}

    /**
     * Claims an output folder for a run.
     *
     * @param output the run's output folder
     * @param resume whether {@code --resume} was given
     * @param overwrite whether {@code --overwrite} was given
     * @param out where the report of removed and recovered files goes
     * @return the lock, held until the run ends
     * @throws IllegalArgumentException if both flags are given, another run holds the folder, or a
     *     fresh run meets an earlier run's files without {@code --overwrite}
     * @throws OutputWriteException if the folder cannot be created or written (it is a file, the
     *     file system is read-only or full)
     * @throws IOException if the folder cannot be read
     */
    static RunLock claim(Path output, boolean resume, boolean overwrite, PrintStream out)
            throws IOException {
        if (resume && overwrite) {
            throw new IllegalArgumentException(
                    "--resume continues the run in "
                            + output
                            + ", --overwrite deletes it: give one of them");
        }
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new OutputWriteException(output, "--output is a file, not a folder");
        }
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new OutputWriteException(output, e);
        }
        RunLock lock = RunLock.acquire(output);
        try {
            // first, so that a checkpoint an earlier run wrote whole counts as that run's
            recoverFinished(output, out);
            if (!resume) {
                startAfresh(output, overwrite, out);
            }
            removeUnfinished(output, out);
            return lock;
        } catch (IOException | RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private static void startAfresh(Path output, boolean overwrite, PrintStream out)
            throws IOException {
        List<String> earlier = RunFiles.find(output);
        if (earlier.isEmpty()) {
            return;
        }
        if (!overwrite) {
            throw new IllegalArgumentException(
                    "--output "
                            + output
                            + " holds an earlier run ("
                            + summary(earlier)
                            + "): --resume continues it, --overwrite deletes it first");
        }
        try {
            List<String> removed = RunFiles.remove(output);
            out.println("--overwrite: deleted the earlier run's " + summary(removed));
        } catch (IOException e) {
            throw new OutputWriteException(output, e);
        }
    }

    /** Names a few entries and counts the rest. */
    private static String summary(List<String> names) {
        int shown = Math.min(names.size(), 4);
        String text = String.join(", ", names.subList(0, shown));
        return names.size() > shown ? text + " and " + (names.size() - shown) + " more" : text;
    }

    /** Puts in place the checkpoints an interrupted run had written whole but not renamed. */
    private static void recoverFinished(Path output, PrintStream out) throws IOException {
        try {
            for (Path recovered :
                    Checkpoints.recoverFinished(output.resolve(RunFiles.CHECKPOINTS))) {
                out.println(
                        "put in place the checkpoint an interrupted run had written whole: "
                                + recovered);
            }
        } catch (IOException e) {
            throw new OutputWriteException(output, e);
        }
    }

    private static void removeUnfinished(Path output, PrintStream out) throws IOException {
        Path checkpoints = output.resolve(RunFiles.CHECKPOINTS);
        List<String> removed = new ArrayList<>();
        try {
            removed.addAll(Checkpoints.removeUnfinished(checkpoints));
            removed.addAll(RunFiles.deleteLeftovers(output));
        } catch (IOException e) {
            throw new OutputWriteException(output, e);
        }
        if (!removed.isEmpty()) {
            out.println("removed what an interrupted run left: " + String.join(", ", removed));
        }
    }
}
