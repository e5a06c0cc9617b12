package io.github.segloss.example.eval;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.github.segloss.example.data.Sample;
import io.github.segloss.example.model.PspNet;
import io.github.segloss.example.train.CheckpointModel;
import io.github.segloss.example.train.MaskModel;
import io.github.segloss.inference.SemanticPredictions;
import io.github.segloss.target.BilinearResize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model loaded once for inference: a segloss-train checkpoint of the built-in PSPNet (on PyTorch
 * or MXNet: the parameters are engine-neutral), a TorchScript file (PyTorch) whose first output is
 * the class logits {@code (N, C, S, S)} of {@code (N, 3, S, S)} images, or a mask checkpoint of the
 * built-in MaskRcnnHead ({@link #isInstanceModel}), which predicts the masks of a sample's
 * ground-truth boxes ({@link #predictInstances}).
 *
 * <p>{@link #predict} resizes each image to the model's {@code S x S} input, as segloss-train's
 * {@code predict} does, runs the batch, and upsamples each image's logits back to its own size
 * before the arg-max ({@link SemanticPredictions#classMaps}), as mmsegmentation evaluates.
 *
 * <p>Thread-safe: concurrent {@link #predict} calls (Spark tasks sharing one executor's model) run
 * in parallel on PyTorch; on MXNet, whose engine is not safe for concurrent calls, one at a time.
 */
public final class EvaluationModel implements AutoCloseable {

    private final NDManager manager;
    private final Model model;
    private final Block block;
    private final MaskModel mask;
    private final ParameterStore store;
    private final List<String> classes;
    private final int numClasses;
    private final int imageSize;
    private final boolean serial;

    private EvaluationModel(
            NDManager manager,
            Model model,
            Block block,
            MaskModel mask,
            List<String> classes,
            int numClasses,
            int imageSize,
            String engine) {
        this.manager = manager;
        this.model = model;
        this.block = block;
        this.mask = mask;
        this.store = manager == null ? null : new ParameterStore(manager, false);
        this.classes = classes;
        this.numClasses = numClasses;
        this.imageSize = imageSize;
        this.serial = !"PyTorch".equals(engine);
    }

    /**
     * Loads a checkpoint folder of segloss-train: of the semantic task (the built-in PSPNet) or of
     * the mask task (the built-in MaskRcnnHead).
     *
     * @param checkpoint the folder, e.g. {@code runs/semantic/checkpoints/epoch-0120}
     * @param engine "PyTorch" or "MXNet"
     * @return the model
     * @throws IllegalArgumentException naming the checkpoint if it is no PSPNet or MaskRcnnHead
     *     checkpoint or lacks parameters
     * @throws IOException if it cannot be read
     */
    public static EvaluationModel checkpoint(Path checkpoint, String engine) throws IOException {
        requireEngine(engine);
        CheckpointModel opened = CheckpointModel.open(checkpoint);
        if ("mask".equals(opened.task())) {
            opened.requireModel(
                    "MaskRcnnHead",
                    "a mask checkpoint of the built-in MaskRcnnHead is expected",
                    "");
            MaskModel mask = MaskModel.load(opened, engine);
            return new EvaluationModel(
                    null,
                    null,
                    null,
                    mask,
                    opened.classes(),
                    opened.classes().size(),
                    opened.modelInt("imageSize"),
                    engine);
        }
        opened.requireTask("semantic")
                .requireModel(
                        "PspNet",
                        "a checkpoint of the built-in PSPNet is expected",
                        " (evaluate a TorchScript model with --model FILE.pt)");
        List<String> classes = opened.classes();
        int size = opened.modelInt("imageSize");
        NDManager manager = NDManager.newBaseManager(Device.cpu(), engine);
        try {
            PspNet net =
                    opened.load(
                            new PspNet(classes.size(), opened.modelInt("width")),
                            manager,
                            new Shape(1, 3, size, size));
            return new EvaluationModel(
                    manager, null, net, null, classes, classes.size(), size, engine);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Loads a TorchScript model (PyTorch) whose first output is the class logits at the input's
     * size.
     *
     * @param file the {@code .pt} file
     * @param numClasses the classes of the data, which the model must predict, or 0 to take the
     *     model's own (images without labels)
     * @param imageSize the side S of the square input the model was trained at
     * @return the model
     * @throws IllegalArgumentException naming the file if it is no TorchScript model, or it does
     *     not predict {@code (1, numClasses, S, S)} for a {@code (1, 3, S, S)} image
     */
    public static EvaluationModel torchScript(Path file, int numClasses, int imageSize) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (!name.endsWith(".pt") || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "--model " + file + ": a TorchScript file NAME.pt is expected");
        }
        if (imageSize < 1) {
            throw new IllegalArgumentException("--image-size must be >= 1, got " + imageSize);
        }
        Model model = Model.newInstance("evaluated", Device.cpu(), "PyTorch");
        try {
            Path absolute = file.toAbsolutePath();
            model.load(absolute.getParent(), name.substring(0, name.length() - 3), Map.of());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalArgumentException(
                    "--model " + file + ": not a TorchScript model (" + e.getMessage() + ")", e);
        }
        NDManager manager = model.getNDManager().newSubManager();
        Shape shape;
        try (NDManager probe = manager.newSubManager()) {
            shape =
                    model.getBlock()
                            .forward(
                                    new ParameterStore(probe, false),
                                    new NDList(probe.zeros(new Shape(1, 3, imageSize, imageSize))),
                                    false)
                            .head()
                            .getShape();
        } catch (RuntimeException e) {
            manager.close();
            model.close();
            throw new IllegalArgumentException(
                    "--model "
                            + file
                            + ": cannot run a "
                            + imageSize
                            + "x"
                            + imageSize
                            + " image ("
                            + e.getMessage()
                            + ")",
                    e);
        }
        int classes = numClasses > 0 ? numClasses : (int) Math.max(1, shape.get(1));
        EvaluationModel loaded =
                new EvaluationModel(
                        manager,
                        model,
                        model.getBlock(),
                        null,
                        null,
                        classes,
                        imageSize,
                        "PyTorch");
        try {
            Shape expected = new Shape(1, classes, imageSize, imageSize);
            if (!shape.equals(expected)) {
                throw new IllegalArgumentException(
                        "--model "
                                + file
                                + " predicts "
                                + shape
                                + " for a "
                                + imageSize
                                + "x"
                                + imageSize
                                + " image, the data needs "
                                + expected);
            }
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
        return loaded;
    }

    private static String requireEngine(String engine) {
        if (!"PyTorch".equals(engine) && !"MXNet".equals(engine)) {
            throw new IllegalArgumentException("--engine must be PyTorch or MXNet, got " + engine);
        }
        return engine;
    }

    /**
     * Returns the checkpoint's class names, or null for a TorchScript model (the data's apply).
     *
     * @return the names, or null
     */
    public List<String> classes() {
        return classes;
    }

    /**
     * Returns the number of classes the model predicts.
     *
     * @return C
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Returns the side of the model's square input.
     *
     * @return S
     */
    public int imageSize() {
        return imageSize;
    }

    /**
     * Returns whether this is a mask checkpoint, which predicts instance masks ({@link
     * #predictInstances}) rather than class maps.
     *
     * @return true for a mask checkpoint
     */
    public boolean isInstanceModel() {
        return mask != null;
    }

    /**
     * Returns empty counts for this model's evaluation: with instance scores for a mask checkpoint.
     *
     * @return the counts
     */
    public EvaluationCounts newCounts() {
        return mask != null
                ? EvaluationCounts.forInstances(numClasses)
                : new EvaluationCounts(numClasses);
    }

    /**
     * Predicts the masks of a sample's annotated instances with a mask checkpoint, exactly as
     * {@code segloss-train predict} does ({@link MaskModel#predict}): the boxes and classes are the
     * ground truth's.
     *
     * @param sample the image and its instances
     * @param consumer receives each instance's mask and score, in the annotations' order
     * @throws IllegalStateException if this is no mask checkpoint
     */
    public void predictInstances(Sample sample, MaskModel.InstanceConsumer consumer) {
        if (mask == null) {
            throw new IllegalStateException("a semantic model predicts no instances");
        }
        mask.predict(sample, consumer);
    }

    /**
     * Predicts the class map of each image at its own size.
     *
     * @param images CHW float RGB images in [0, 1], any sizes
     * @return one {@code height x width} row-major class map per image, in order
     * @throws IllegalStateException if this is a mask checkpoint
     */
    public List<int[]> predict(List<Picture> images) {
        if (mask != null) {
            throw new IllegalStateException("a mask checkpoint predicts no class maps");
        }
        if (images.isEmpty()) {
            return List.of();
        }
        if (serial) {
            synchronized (this) {
                return predictBatch(images);
            }
        }
        return predictBatch(images);
    }

    private List<int[]> predictBatch(List<Picture> images) {
        try (NDManager batch = manager.newSubManager()) {
            NDList resized = new NDList();
            List<Shape> sizes = new ArrayList<>();
            for (Picture picture : images) {
                NDArray image =
                        batch.create(
                                picture.chw(), new Shape(1, 3, picture.height(), picture.width()));
                resized.add(BilinearResize.resize(image, imageSize, imageSize, false));
                sizes.add(new Shape(picture.height(), picture.width()));
            }
            NDArray input = resized.size() == 1 ? resized.head() : NDArrays.concat(resized);
            return SemanticPredictions.classMaps(forward(input), sizes);
        }
    }

    private NDArray forward(NDArray input) {
        return block.forward(store, new NDList(input), false).head();
    }

    /** Frees the model's arrays. */
    @Override
    public void close() {
        if (mask != null) {
            mask.close();
        }
        if (manager != null) {
            manager.close();
        }
        if (model != null) {
            model.close();
        }
    }

    /**
     * An image to segment.
     *
     * @param height the height in pixels
     * @param width the width in pixels
     * @param chw CHW float RGB in [0, 1], {@code 3 * height * width} values
     */
    public record Picture(int height, int width, float[] chw) {}
}
