package io.github.segloss.example.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import com.google.gson.JsonObject;
import io.github.segloss.example.data.DataChecks;
import io.github.segloss.example.data.ImageFiles;
import io.github.segloss.example.model.PspNet;
import io.github.segloss.example.report.Overlay;
import io.github.segloss.example.report.Palette;
import io.github.segloss.target.BilinearResize;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Segments images with a trained semantic checkpoint: for each image, a class-id PNG (indexed, the
 * checkpoint's class ids) and a colour overlay, both at the image's own size.
 */
public final class Prediction {

    private final Path checkpoint;
    private final String engine;
    private final PrintStream out;

    /**
     * Creates a predictor.
     *
     * @param checkpoint a checkpoint folder of a semantic run
     * @param engine the engine to run on
     * @param out where progress goes
     */
    public Prediction(Path checkpoint, String engine, PrintStream out) {
        this.checkpoint = checkpoint;
        this.engine = engine;
        this.out = out;
    }

    /**
     * Segments one image or every image of a folder.
     *
     * @param input an image file, or a folder of PNG/JPEG images
     * @param output the folder for {@code NAME.png} (class ids) and {@code NAME-overlay.png}
     * @return the number of images segmented
     * @throws IOException if an image cannot be read or written
     * @throws IllegalArgumentException if the checkpoint or the input is not usable
     */
    public int run(Path input, Path output) throws IOException {
        if (!Files.isDirectory(checkpoint)
                || !Files.isRegularFile(checkpoint.resolve(Checkpoints.DESCRIPTION))) {
            throw new IllegalArgumentException(
                    "--checkpoint "
                            + checkpoint
                            + ": no checkpoint folder (epoch-NNNN with "
                            + Checkpoints.DESCRIPTION
                            + ")");
        }
        List<Path> images = images(input);
        JsonObject description = Checkpoints.description(checkpoint);
        if (!"semantic".equals(description.get("task").getAsString())) {
            throw new IllegalArgumentException(
                    "--checkpoint " + checkpoint + " is not a semantic checkpoint");
        }
        int classes = description.getAsJsonArray("classes").size();
        JsonObject model = description.getAsJsonObject("model");
        if (!"PspNet".equals(model.get("name").getAsString())) {
            throw new IllegalArgumentException(
                    "--checkpoint "
                            + checkpoint
                            + ": predict reads checkpoints of the built-in"
                            + " PSPNet, this one holds "
                            + model.get("name").getAsString());
        }
        int size = model.get("imageSize").getAsInt();
        Files.createDirectories(output);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine)) {
            PspNet net = new PspNet(classes, model.get("width").getAsInt());
            net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
            List<String> missing = Checkpoints.load(checkpoint, net, manager);
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(
                        "--checkpoint " + checkpoint + " lacks parameters " + missing);
            }
            ParameterStore store = new ParameterStore(manager, false);
            for (Path file : images) {
                segment(file, output, net, store, manager, size);
            }
        }
        out.println("segmented " + images.size() + " image(s) into " + output);
        return images.size();
    }

    private static void segment(
            Path file, Path output, PspNet net, ParameterStore store, NDManager parent, int size)
            throws IOException {
        // the same refusals as training data: empty, truncated or over-large files
        ImageFiles.Rgb picture = ImageFiles.readRgb(file, DataChecks.DEFAULT_MAX_IMAGE_PIXELS);
        int width = picture.width();
        int height = picture.height();
        float[] chw = picture.chw();
        int[] classIds;
        try (NDManager manager = parent.newSubManager()) {
            NDArray image = manager.create(chw, new Shape(1, 3, height, width));
            NDArray resized = BilinearResize.resize(image, size, size, false);
            NDArray logits = net.forward(store, new NDList(resized), false).head();
            NDArray full = BilinearResize.resize(logits, height, width, false);
            classIds = full.argMax(1).toType(DataType.INT32, false).toIntArray();
        }
        String name = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Palette.writeClassIdPng(output.resolve(name + ".png"), classIds, width, height);
        BufferedImage overlay = Overlay.blend(chw, classIds, width, height, 0.5f);
        ImageIO.write(overlay, "png", output.resolve(name + "-overlay.png").toFile());
    }

    private static List<Path> images(Path input) throws IOException {
        if (Files.isRegularFile(input)) {
            return List.of(input);
        }
        if (!Files.isDirectory(input)) {
            throw new IllegalArgumentException("--input " + input + ": no such file or folder");
        }
        List<Path> images = new ArrayList<>();
        try (Stream<Path> entries = Files.list(input)) {
            entries.filter(Files::isRegularFile)
                    .filter(
                            p ->
                                    p.getFileName()
                                            .toString()
                                            .toLowerCase(Locale.ROOT)
                                            .matches(".*\\.(png|jpe?g)"))
                    .sorted()
                    .forEach(images::add);
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("--input " + input + ": no PNG or JPEG image");
        }
        return images;
    }
}
