package io.github.segloss.example.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of a {@code predict} run, planned and checked before anything is written: the images it
 * reads and, for each, the class-id mask {@code STEM.png} and the overlay {@code STEM-overlay.png}
 * in the output folder ({@code STEM}: the name without its extension).
 *
 * <p>Refused, each in one line: an output folder equal to or inside the input (compared by real
 * path, so links and {@code ..} do not hide it), an output path that is a file, two images that
 * would write the same file ({@code a.png} and {@code a.jpg}; {@code a.png}'s overlay and the image
 * {@code a-overlay.png}), an output that is an input file (also through a link or a hard link), and
 * any existing file in the input's own folder when that is the output folder. Other existing files
 * in the output folder are replaced: a second run updates its masks.
 *
 * <p>A folder input takes its entries whose names end in {@code .png}, {@code .jpg} or {@code
 * .jpeg} (any case), not hidden ({@code .name}), in name order, without descending into subfolders;
 * an entry of such a name that is no readable file is kept, for the run to report it.
 */
final class PredictionFiles {

    private static final Pattern IMAGE = Pattern.compile(".*\\.(png|jpe?g)", Pattern.DOTALL);
    private static final int LISTED = 5;

    /**
     * One image and what is written for it.
     *
     * @param image the image read
     * @param mask the class-id PNG written
     * @param overlay the overlay PNG written
     */
    record Job(Path image, Path mask, Path overlay) {}

    private final List<Job> jobs;
    private final boolean folder;

    private PredictionFiles(List<Job> jobs, boolean folder) {
        this.jobs = jobs;
        this.folder = folder;
    }

    /**
     * Returns the jobs, in name order.
     *
     * @return one job per image
     */
    List<Job> jobs() {
        return jobs;
    }

    /**
     * Returns whether the input is a folder (a bad image is then skipped, not fatal).
     *
     * @return true for a folder input
     */
    boolean isFolder() {
        return folder;
    }

    /**
     * Plans and checks a run.
     *
     * @param input an image, or a folder of images
     * @param output the output folder (it may not exist yet)
     * @return the plan
     * @throws IOException if a folder cannot be listed
     * @throws IllegalArgumentException naming the option, the path and the problem
     */
    static PredictionFiles plan(Path input, Path output) throws IOException {
        boolean folder = Files.isDirectory(input);
        if (!folder && !Files.isRegularFile(input)) {
            throw new IllegalArgumentException(
                    "--input "
                            + input
                            + (Files.exists(input, LinkOption.NOFOLLOW_LINKS)
                                    ? ": not an image file or a folder"
                                    : ": no such file or folder"));
        }
        Path realInput = input.toRealPath();
        Path realOutput = real(output);
        if (realOutput.startsWith(realInput)) {
            throw new IllegalArgumentException(
                    "--output "
                            + output
                            + " is "
                            + (realOutput.equals(realInput) ? "" : "inside ")
                            + "--input "
                            + input
                            + " ("
                            + realInput
                            + "): the masks would be written among the images; choose an"
                            + " output folder outside the input");
        }
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new IllegalArgumentException(
                    "--output " + output + ": is a file, not a folder for the masks");
        }
        List<Path> images = folder ? list(input) : List.of(input);
        List<Job> jobs = new ArrayList<>();
        Map<String, Set<String>> writers = new LinkedHashMap<>();
        for (Path image : images) {
            String stem = stem(image.getFileName().toString());
            Job job =
                    new Job(
                            image,
                            output.resolve(stem + ".png"),
                            output.resolve(stem + "-overlay.png"));
            jobs.add(job);
            for (Path written : List.of(job.mask(), job.overlay())) {
                writers.computeIfAbsent(written.getFileName().toString(), k -> new TreeSet<>())
                        .add(image.getFileName().toString());
            }
        }
        refuseClashes(input, writers);
        refuseInputOverwrites(images, jobs, realOutput, realInput, folder);
        return new PredictionFiles(jobs, folder);
    }

    /** The images of a folder, by name; hidden entries and other names are left out. */
    private static List<Path> list(Path input) throws IOException {
        List<Path> images = new ArrayList<>();
        try (Stream<Path> entries = Files.list(input)) {
            entries.filter(
                            p -> {
                                String name = p.getFileName().toString();
                                return !name.startsWith(".")
                                        && IMAGE.matcher(name.toLowerCase(Locale.ROOT)).matches();
                            })
                    .sorted()
                    .forEach(images::add);
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException(
                    "--input "
                            + input
                            + ": no PNG or JPEG image (.png, .jpg, .jpeg) in the folder");
        }
        return images;
    }

    /** The name without its last extension; a name that is only an extension stays whole. */
    static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static void refuseClashes(Path input, Map<String, Set<String>> writers) {
        // the images that share output files, with the files they share
        Map<String, List<String>> shared = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> entry : writers.entrySet()) {
            if (entry.getValue().size() > 1) {
                shared.computeIfAbsent(
                                String.join(" and ", entry.getValue()), k -> new ArrayList<>())
                        .add(entry.getKey());
            }
        }
        if (shared.isEmpty()) {
            return;
        }
        List<String> clashes = new ArrayList<>();
        shared.forEach(
                (images, names) -> clashes.add(images + " (" + String.join(", ", names) + ")"));
        String listed = String.join("; ", clashes.subList(0, Math.min(LISTED, clashes.size())));
        throw new IllegalArgumentException(
                "--input "
                        + input
                        + ": "
                        + clashes.size()
                        + " group(s) of images would write the same output files, and all but one"
                        + " mask of each would be lost: "
                        + listed
                        + (clashes.size() > LISTED ? "; ..." : "")
                        + "; rename the images or predict them into separate folders");
    }

    private static void refuseInputOverwrites(
            List<Path> images, List<Job> jobs, Path realOutput, Path realInput, boolean folder)
            throws IOException {
        Set<Object> inputs = new HashSet<>();
        for (Path image : images) {
            inputs.add(identity(image));
        }
        Path inputFolder = folder ? null : realInput.getParent();
        for (Job job : jobs) {
            for (Path written : List.of(job.mask(), job.overlay())) {
                if (!Files.exists(written, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (inputs.contains(identity(written))) {
                    throw new IllegalArgumentException(
                            "--output "
                                    + written.getParent()
                                    + ": "
                                    + written.getFileName()
                                    + " is the input image "
                                    + job.image()
                                    + " (or a link to it); predict never writes over an input,"
                                    + " choose another output folder");
                }
                if (realOutput.equals(inputFolder)) {
                    throw new IllegalArgumentException(
                            "--output "
                                    + written.getParent()
                                    + " is the folder of --input "
                                    + job.image()
                                    + ", and "
                                    + written.getFileName()
                                    + " exists there: predict does not replace files beside its"
                                    + " input; choose another output folder");
                }
            }
        }
    }

    /**
     * The file's identity, following links: its file key (device and inode on Unix, so hard links
     * match too), else its real path, else the path itself.
     */
    private static Object identity(Path file) {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key != null ? key : file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    /**
     * The real path of a path that may not exist yet: the real path of its longest existing
     * beginning (links resolved), then the rest of its names.
     */
    static Path real(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        Deque<Path> rest = new ArrayDeque<>();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            rest.push(existing.getFileName());
            existing = existing.getParent();
        }
        Path real = existing == null ? absolute.getRoot() : existing.toRealPath();
        for (Path name : rest) {
            real = real.resolve(name);
        }
        return real.normalize();
    }
}
