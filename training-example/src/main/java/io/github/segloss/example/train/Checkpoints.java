package io.github.segloss.example.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints of the trainer: a folder {@code epoch-NNNN} holding {@code params.ndlist} (every
 * parameter of the block, by name, in DJL's engine-neutral NDList encoding, so a checkpoint written
 * on one engine loads on the other) and {@code checkpoint.json} (epoch, classes, model settings,
 * command line).
 *
 * <p>A block that is not built from DJL's blocks (a TorchScript model) also gets {@code
 * module.bin}, its engine's own serialisation with buffers, which a resumed run of the same engine
 * loads.
 *
 * <p>A checkpoint is written into a temporary folder that is renamed into place once complete, so a
 * crash leaves either the whole checkpoint or none.
 */
public final class Checkpoints {

    /** The parameter file inside a checkpoint folder. */
    public static final String PARAMETERS = "params.ndlist";

    /**
     * The whole module of a block that is not built from DJL blocks (a TorchScript model), with its
     * buffers (e.g. batch-norm running statistics), inside a checkpoint folder.
     */
    public static final String MODULE = "module.bin";

    /** The description file inside a checkpoint folder. */
    public static final String DESCRIPTION = "checkpoint.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private Checkpoints() {}

    /**
     * Writes a checkpoint of the block's parameters.
     *
     * @param folder the run's checkpoint folder
     * @param epoch the epoch just completed (1-based)
     * @param block the trained block
     * @param description what to record in {@code checkpoint.json}; "epoch" is added
     * @return the checkpoint's folder
     * @throws IOException if writing fails
     */
    public static Path save(Path folder, int epoch, Block block, JsonObject description)
            throws IOException {
        Files.createDirectories(folder);
        Path target = folder.resolve(String.format("epoch-%04d", epoch));
        Path temporary = Files.createTempDirectory(folder, ".epoch-" + epoch + "-");
        NDList parameters = new NDList();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            NDArray copy = array.duplicate();
            copy.setName(entry.getKey());
            parameters.add(copy);
        }
        try {
            Files.write(temporary.resolve(PARAMETERS), parameters.encode());
        } finally {
            parameters.close();
        }
        if (!(block instanceof AbstractBlock)) {
            try (DataOutputStream os =
                    new DataOutputStream(
                            new BufferedOutputStream(
                                    Files.newOutputStream(temporary.resolve(MODULE))))) {
                block.saveParameters(os);
            }
        }
        JsonObject json = description.deepCopy();
        json.addProperty("epoch", epoch);
        Files.writeString(temporary.resolve(DESCRIPTION), GSON.toJson(json));
        if (Files.exists(target)) {
            deleteRecursively(target);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target);
        }
        return target;
    }

    /**
     * Finds the newest complete checkpoint in a folder.
     *
     * @param folder the run's checkpoint folder
     * @return the newest {@code epoch-NNNN} folder holding both files, if any
     * @throws IOException if the folder cannot be listed
     */
    public static Optional<Path> latest(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> p.getFileName().toString().matches("epoch-\\d{4}"))
                    .filter(p -> Files.isRegularFile(p.resolve(PARAMETERS)))
                    .filter(p -> Files.isRegularFile(p.resolve(DESCRIPTION)))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }

    /**
     * Reads a checkpoint's description.
     *
     * @param checkpoint a checkpoint folder
     * @return the parsed {@code checkpoint.json}
     * @throws IOException if it cannot be read
     */
    public static JsonObject description(Path checkpoint) throws IOException {
        String text = Files.readString(checkpoint.resolve(DESCRIPTION), StandardCharsets.UTF_8);
        return JsonParser.parseString(text).getAsJsonObject();
    }

    /**
     * Loads every compatible parameter of a checkpoint into an initialised block: a parameter is
     * copied when the checkpoint has one of the same name and shape; the others keep their fresh
     * initialisation (e.g. the class layers after a change of classes).
     *
     * @param checkpoint a checkpoint folder (or its {@code params.ndlist})
     * @param block the initialised block
     * @param manager a manager for the decoded arrays (closed by the caller)
     * @return the names of the parameters that were not loaded
     * @throws IOException if the checkpoint cannot be read
     */
    public static List<String> load(Path checkpoint, Block block, NDManager manager)
            throws IOException {
        Path file = Files.isDirectory(checkpoint) ? checkpoint.resolve(PARAMETERS) : checkpoint;
        Map<String, NDArray> saved = new HashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (NDArray array : NDList.decode(manager, in)) {
                saved.put(array.getName(), array);
            }
        }
        List<String> skipped = new ArrayList<>();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray source = saved.get(entry.getKey());
            NDArray target = entry.getValue().getArray();
            if (source == null || !source.getShape().equals(target.getShape())) {
                skipped.add(entry.getKey());
                continue;
            }
            // copyTo, not set(float[]): MXNet cannot set an array that MKL-DNN holds in its own
            // layout (the model's arrays after a forward pass, e.g. the class check)
            source.toType(target.getDataType(), false).copyTo(target);
        }
        return skipped;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
