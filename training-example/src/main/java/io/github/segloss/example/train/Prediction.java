package io.github.segloss.example.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.segloss.example.data.DataChecks;
import io.github.segloss.example.data.ImageFiles;
import io.github.segloss.example.model.PspNet;
import io.github.segloss.example.report.Overlay;
import io.github.segloss.example.report.Palette;
import io.github.segloss.inference.SemanticPredictions;
import io.github.segloss.target.BilinearResize;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Segments images with a trained semantic checkpoint: for each image, a class-id PNG (indexed, the
 * checkpoint's class ids) and a colour overlay, both at the image's own size.
 *
 * <p>The files are planned and checked first ({@link PredictionFiles}: no output inside the input,
 * none over an input file, no two images writing one file). Images whose header declares more than
 * {@code maxImagePixels} pixels are refused before decoding. The logits, computed at the model's
 * training size, are upsampled and reduced to class ids in row bands ({@link
 * SemanticPredictions#classMap}), so memory grows with the image's pixels, not with pixels ×
 * classes. Masks and overlays are written atomically (a temporary file renamed into place).
 *
 * <p>A single input image that cannot be read stops the run. In a folder, a bad image (empty,
 * truncated, corrupt, too large, unreadable, a folder or a broken link named like an image) is
 * reported in one line on the error stream and skipped; the others are segmented, and the run then
 * fails with the count, so a script sees exit code 2. A file that cannot be written stops the run.
 */
public final class Prediction {

    private final Path checkpoint;
    private final String engine;
    private final long maxImagePixels;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * Creates a predictor.
     *
     * @param checkpoint a checkpoint folder of a semantic run
     * @param engine the engine to run on
     * @param maxImagePixels the largest width × height decoded ({@code --max-image-pixels})
     * @param out where progress goes
     * @param err where skipped images are reported, one line each
     * @throws IllegalArgumentException if maxImagePixels is below 1
     */
    public Prediction(
            Path checkpoint, String engine, long maxImagePixels, PrintStream out, PrintStream err) {
        this.checkpoint = checkpoint;
        this.engine = engine;
        this.maxImagePixels = DataChecks.of(maxImagePixels, false, line -> {}).maxImagePixels();
        this.out = out;
        this.err = err;
    }

    /**
     * Segments one image or every image of a folder.
     *
     * @param input an image file, or a folder of PNG/JPEG images
     * @param output the folder for {@code NAME.png} (class ids) and {@code NAME-overlay.png}
     * @return the number of images segmented
     * @throws IOException if a folder cannot be listed
     * @throws IllegalArgumentException if the checkpoint, the input or the output is not usable, an
     *     output cannot be written, or (for a folder) some images were skipped
     */
    public int run(Path input, Path output) throws IOException {
        CheckpointModel.requireFolder(checkpoint);
        PredictionFiles files = PredictionFiles.plan(input, output);
        CheckpointModel opened =
                CheckpointModel.open(checkpoint)
                        .requireTask("semantic")
                        .requireModel(
                                "PspNet", "predict reads checkpoints of the built-in PSPNet", "");
        int size = opened.modelInt("imageSize");
        createFolder(output);
        int done = 0;
        List<Path> skipped = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine)) {
            PspNet net =
                    opened.load(
                            new PspNet(opened.classes().size(), opened.modelInt("width")),
                            manager,
                            new Shape(1, 3, size, size));
            ParameterStore store = new ParameterStore(manager, false);
            for (PredictionFiles.Job job : files.jobs()) {
                ImageFiles.Rgb picture;
                try {
                    picture = read(job.image());
                } catch (IllegalArgumentException e) {
                    if (!files.isFolder()) {
                        throw new IllegalArgumentException(oneLine(e.getMessage()), e);
                    }
                    err.println("segloss-train: skipped " + oneLine(e.getMessage()));
                    skipped.add(job.image());
                    continue;
                }
                segment(picture, job, net, store, manager, size);
                done++;
            }
        }
        int total = files.jobs().size();
        out.println(
                "segmented "
                        + done
                        + (skipped.isEmpty() ? "" : " of " + total)
                        + " image(s) into "
                        + oneLine(output.toString()));
        if (!skipped.isEmpty()) {
            throw new IllegalArgumentException(
                    oneLine(
                            "--input "
                                    + input
                                    + ": "
                                    + skipped.size()
                                    + " of "
                                    + total
                                    + " image(s) could not be segmented (each named above); the"
                                    + " masks of the other "
                                    + done
                                    + " are in "
                                    + output));
        }
        return done;
    }

    /**
     * Returns the task of a checkpoint, as its {@code checkpoint.json} records it.
     *
     * @param checkpoint a checkpoint folder
     * @return "semantic" or "mask"
     * @throws IOException if the description cannot be read
     * @throws IllegalArgumentException if the path is no checkpoint folder
     */
    public static String task(Path checkpoint) throws IOException {
        return CheckpointModel.open(checkpoint).task();
    }

    /** Creates the output folder, or refuses it in one line. */
    static void createFolder(Path output) {
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    oneLine("--output " + output + ": cannot create the folder: " + reason(e)), e);
        }
        if (!Files.isWritable(output)) {
            throw new IllegalArgumentException(
                    oneLine("--output " + output + ": the folder is not writable"));
        }
    }

    /** Reads an image, refusing what is no readable regular file before the decoder sees it. */
    private ImageFiles.Rgb read(Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + ": is a folder, not an image");
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + ": no such file (a broken link?)");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    file + ": not a regular file (a pipe or a device), not read");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(file + ": cannot read image: permission denied");
        }
        // the same refusals as training data: empty, truncated, corrupt or over-large files
        return ImageFiles.readRgb(file, maxImagePixels);
    }

    private static void segment(
            ImageFiles.Rgb picture,
            PredictionFiles.Job job,
            PspNet net,
            ParameterStore store,
            NDManager parent,
            int size) {
        int width = picture.width();
        int height = picture.height();
        float[] chw = picture.chw();
        int[] classIds;
        try (NDManager manager = parent.newSubManager()) {
            NDArray image = manager.create(chw, new Shape(1, 3, height, width));
            NDArray resized = BilinearResize.resize(image, size, size, false);
            if (resized != image) {
                // resize returns the image itself when it already has the model's size
                image.close();
            }
            NDArray logits = net.forward(store, new NDList(resized), false).head();
            classIds = SemanticPredictions.classMap(logits, height, width);
        }
        Path written = job.mask();
        try {
            Palette.writeClassIdPng(written, classIds, width, height);
            written = job.overlay();
            Overlay.writeBlend(written, chw, classIds, width, height, 0.5f);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    oneLine(
                            "--output "
                                    + written.getParent()
                                    + ": cannot write "
                                    + written.getFileName()
                                    + ": "
                                    + reason(e)),
                    e);
        }
    }

    /** The reason of an I/O failure, in a few words. */
    static String reason(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String kind = e.getClass().getSimpleName().replaceFirst("Exception$", "");
        return e instanceof FileSystemException fs && fs.getReason() != null
                ? fs.getReason()
                : kind.equals("IO") ? message : kind + ": " + message;
    }

    /**
     * The text on one line: control characters (a newline in a file name) are shown as Java's
     * backslash-u escapes, so every message stays the one line that the command promises.
     *
     * @param text any text, or null
     * @return the text without control characters ("null" for null)
     */
    public static String oneLine(String text) {
        String value = text == null ? "null" : text;
        StringBuilder line = new StringBuilder(value.length());
        value.codePoints()
                .forEach(
                        c -> {
                            if (Character.isISOControl(c)) {
                                line.append(String.format("\\u%04x", c));
                            } else {
                                line.appendCodePoint(c);
                            }
                        });
        return line.toString();
    }
}
