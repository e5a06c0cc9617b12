package io.github.segloss.example.eval;

import io.github.segloss.example.files.AtomicFiles;
import io.github.segloss.example.files.OutputWriteException;
import io.github.segloss.example.report.Overlay;
import io.github.segloss.example.report.Palette;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The prediction files of an evaluation: {@code ID.png} (indexed class ids) and {@code
 * ID-overlay.png} per image, at the image's size. Each is written to {@code .ID.png.RUN.WRITER.tmp}
 * (RUN names the evaluation, e.g. its Spark application, WRITER the writer within it, e.g. a task
 * attempt) and renamed over its final name, so that a writer that fails or is killed half-way
 * leaves no partial final file, and a retried or speculative writer of the same image renames the
 * same content over it (one file per image, never two). {@link #deleteLeftovers} removes the
 * temporary files that the killed writers of one run left, and never those of another run writing
 * into the same folder at the same time.
 */
public final class PredictionFolder {

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern NAME_PART_UNSAFE = Pattern.compile("[^A-Za-z0-9_-]");

    private final Path folder;
    private final String tag;

    /**
     * Creates a writer.
     *
     * @param folder the folder of the files (created when the first is written)
     * @param run the evaluation's name, unique among the runs that may share the folder (see {@link
     *     #newRun})
     * @param writer this writer's name within the run, e.g. {@code attempt-17}
     * @throws IllegalArgumentException if run or writer is not made of letters, digits, '_', '-'
     */
    public PredictionFolder(Path folder, String run, String writer) {
        this.folder = folder;
        this.tag = namePart(run, "run") + "." + namePart(writer, "writer");
    }

    /**
     * Returns a new run name for a process of its own: the process id and a random part, so that
     * two evaluations writing into one folder never share or delete each other's temporary files.
     *
     * @return the name
     */
    public static String newRun() {
        return "p"
                + ProcessHandle.current().pid()
                + "-"
                + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    }

    /**
     * Turns a name (a Spark application id) into a run name: every character other than letters,
     * digits, '_' and '-' becomes '_'.
     *
     * @param name the name
     * @return the run name
     */
    public static String runOf(String name) {
        return NAME_PART_UNSAFE.matcher(name).replaceAll("_");
    }

    private static String namePart(String value, String name) {
        if (value == null || !NAME_PART.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    name + " must be letters, digits, '_' or '-', got " + value);
        }
        return value;
    }

    /**
     * The file name stem of a sample id: the id with every character other than letters, digits,
     * '.', '_' and '-' replaced by '_'.
     *
     * @param id a sample id
     * @return the stem
     */
    public static String stem(String id) {
        return UNSAFE.matcher(id).replaceAll("_");
    }

    /**
     * Writes the class map and the overlay of one image.
     *
     * @param id the image's id (its file's base name)
     * @param picture the image
     * @param classIds its class map, {@code height x width}
     * @throws OutputWriteException if a file cannot be written (naming it and the problem)
     */
    public void write(String id, EvaluationModel.Picture picture, int[] classIds)
            throws IOException {
        Files.createDirectories(folder);
        String stem = stem(id);
        Path mask = folder.resolve(stem + ".png");
        Path temp = temporary(stem + ".png");
        Palette.writeClassIdPng(temp, classIds, picture.width(), picture.height());
        publish(temp, mask);
        Path overlay = folder.resolve(stem + "-overlay.png");
        temp = temporary(stem + "-overlay.png");
        Overlay.writeBlend(temp, picture.chw(), classIds, picture.width(), picture.height(), 0.5f);
        publish(temp, overlay);
    }

    private Path temporary(String name) {
        return folder.resolve("." + name + "." + tag + ".tmp");
    }

    private static void publish(Path temp, Path target) throws IOException {
        try {
            AtomicFiles.replace(temp, target);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new OutputWriteException(target, e);
        }
    }

    /**
     * Deletes the temporary files that the killed writers of one run left in a prediction folder
     * ({@code .NAME.png.RUN.WRITER.tmp} and the files of the atomic writes into them); nothing
     * else, and nothing of another run.
     *
     * @param folder the folder; nothing happens if it does not exist
     * @param run the run whose leftovers are deleted
     * @return the names deleted
     * @throws IOException if the folder cannot be listed or a file cannot be deleted
     */
    public static List<String> deleteLeftovers(Path folder, String run) throws IOException {
        List<String> deleted = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return deleted;
        }
        Pattern temporary =
                Pattern.compile(
                        "\\..+\\.png\\." + Pattern.quote(namePart(run, "run")) + "\\..+\\.tmp");
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (temporary.matcher(name).matches() && Files.isRegularFile(file)) {
                    Files.deleteIfExists(file);
                    deleted.add(name);
                }
            }
        }
        return deleted;
    }
}
