package io.github.segloss.example.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A segloss-train checkpoint folder opened for inference: its {@code checkpoint.json} read and
 * checked, and its parameters loaded into a block built from it. The one loader of {@code predict}
 * (semantic and mask) and {@code evaluate}; every refusal names {@code --checkpoint} and the
 * folder.
 */
public final class CheckpointModel {

    private final Path checkpoint;
    private final JsonObject description;
    private final JsonObject model;

    private CheckpointModel(Path checkpoint, JsonObject description) {
        this.checkpoint = checkpoint;
        this.description = description;
        this.model = description.getAsJsonObject("model");
    }

    /**
     * Opens a checkpoint folder and reads its description.
     *
     * @param checkpoint the folder, e.g. {@code runs/semantic/checkpoints/epoch-0120}
     * @return the opened checkpoint
     * @throws IllegalArgumentException if the path is no checkpoint folder
     * @throws IOException if the description cannot be read
     */
    public static CheckpointModel open(Path checkpoint) throws IOException {
        requireFolder(checkpoint);
        return new CheckpointModel(checkpoint, Checkpoints.description(checkpoint));
    }

    /**
     * Refuses a path that is no checkpoint folder (epoch-NNNN with its description).
     *
     * @param checkpoint the path given as {@code --checkpoint}
     * @throws IllegalArgumentException naming the path if it is no checkpoint folder
     */
    public static void requireFolder(Path checkpoint) {
        if (!Files.isDirectory(checkpoint)
                || !Files.isRegularFile(checkpoint.resolve(Checkpoints.DESCRIPTION))) {
            throw new IllegalArgumentException(
                    "--checkpoint "
                            + checkpoint
                            + ": no checkpoint folder (epoch-NNNN with "
                            + Checkpoints.DESCRIPTION
                            + ")");
        }
    }

    /**
     * Refuses a checkpoint of another task.
     *
     * @param expected "semantic" or "mask"
     * @return this checkpoint
     * @throws IllegalArgumentException if its task is another
     */
    public CheckpointModel requireTask(String expected) {
        if (!expected.equals(task())) {
            throw new IllegalArgumentException(
                    "--checkpoint " + checkpoint + " is not a " + expected + " checkpoint");
        }
        return this;
    }

    /**
     * Refuses a checkpoint of another model.
     *
     * @param name the built-in model's name, e.g. "PspNet" or "MaskRcnnHead"
     * @param expectation what the command reads, the start of the refusal, e.g. "predict reads
     *     checkpoints of the built-in PSPNet"
     * @param hint text after the model found (what to do instead), or ""
     * @return this checkpoint
     * @throws IllegalArgumentException if its model is another
     */
    public CheckpointModel requireModel(String name, String expectation, String hint) {
        if (!name.equals(modelName())) {
            throw new IllegalArgumentException(
                    "--checkpoint "
                            + checkpoint
                            + ": "
                            + expectation
                            + ", this one holds "
                            + modelName()
                            + hint);
        }
        return this;
    }

    /**
     * Returns the task the checkpoint was trained for.
     *
     * @return "semantic" or "mask"
     */
    public String task() {
        return description.get("task").getAsString();
    }

    /**
     * Returns the name of the checkpoint's model.
     *
     * @return e.g. "PspNet"
     */
    public String modelName() {
        return model.get("name").getAsString();
    }

    /**
     * Returns an integer setting of the model, e.g. "imageSize" or "width".
     *
     * @param key the setting's name in the description's model
     * @return its value
     */
    public int modelInt(String key) {
        return model.get(key).getAsInt();
    }

    /**
     * Returns the class names the checkpoint was trained on.
     *
     * @return the names, in class-id order
     */
    public List<String> classes() {
        List<String> classes = new ArrayList<>();
        description.getAsJsonArray("classes").forEach(c -> classes.add(c.getAsString()));
        return List.copyOf(classes);
    }

    /**
     * Returns the folder.
     *
     * @return the checkpoint folder
     */
    public Path path() {
        return checkpoint;
    }

    /**
     * Initializes a block for the given inputs and loads the checkpoint's parameters into it.
     *
     * @param block the block built from the description
     * @param manager the manager that owns the parameters
     * @param inputShapes the shapes of the block's inputs
     * @param <B> the block's type
     * @return the block
     * @throws IllegalArgumentException if the checkpoint lacks some of the block's parameters
     * @throws IOException if the parameters cannot be read
     */
    public <B extends Block> B load(B block, NDManager manager, Shape... inputShapes)
            throws IOException {
        block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, inputShapes);
        List<String> missing = Checkpoints.load(checkpoint, block, manager);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    "--checkpoint " + checkpoint + " lacks parameters " + missing);
        }
        return block;
    }
}
