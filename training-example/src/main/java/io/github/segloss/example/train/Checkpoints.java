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
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.segloss.example.files.AtomicFiles;
import io.github.segloss.example.files.OutputWriteException;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints of the trainer: a folder {@code epoch-NNNN} holding {@code params.ndlist} (every
 * parameter of the block, by name, in DJL's engine-neutral NDList encoding, so a checkpoint written
 * on one engine loads on the other) and {@code checkpoint.json} (epoch, classes, model settings,
 * command line).
 *
 * <p>A block that is not built from DJL's blocks (a TorchScript model) also gets {@code
 * module.bin}, its engine's own serialisation with buffers: a resumed {@code --torchscript} run
 * trains that module ({@link CheckpointModule}), since {@code params.ndlist} holds a TorchScript
 * model's parameters but not its buffers (batch-norm running statistics).
 *
 * <p>A checkpoint is written into a temporary folder that is renamed into place once complete, so a
 * crash leaves either the whole checkpoint or none (see {@link #save}); {@code --resume} takes the
 * newest complete one ({@link #latest}).
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

    /** The prefix of the temporary folders that {@link #save} renames into place. */
    static final String UNFINISHED = ".epoch-";

    private static final Pattern CHECKPOINT = Pattern.compile("epoch-(\\d{4,})");

    private static final Pattern UNFINISHED_NAME = Pattern.compile("\\.epoch-(\\d+)-.*");

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private static final int NAME_ATTEMPTS = 16;

    private Checkpoints() {}

    /**
     * Writes a checkpoint of the block's parameters.
     *
     * <p>The files go into a temporary folder {@code .epoch-N-<random>}, are forced to the disk,
     * and the folder is then renamed to {@code epoch-NNNN}; {@code checkpoint.json}, written last,
     * records the size of every other file ("files"), so {@link #isComplete} can tell a whole
     * checkpoint from a cut one. An existing {@code epoch-NNNN} is first renamed aside and deleted
     * once the new one is in place. A run killed at any moment leaves the complete checkpoints as
     * they were, plus at most one temporary folder that {@link #removeUnfinished} deletes.
     *
     * @param folder the run's checkpoint folder
     * @param epoch the epoch just completed (1-based)
     * @param block the trained block
     * @param description what to record in {@code checkpoint.json}; "epoch" and "files" are added
     * @return the checkpoint's folder
     * @throws OutputWriteException if writing fails (a full disk, a read-only folder), naming the
     *     checkpoint and the problem; the temporary folder is then deleted
     */
    public static Path save(Path folder, int epoch, Block block, JsonObject description)
            throws IOException {
        Path target = folder.resolve(name(epoch));
        Path temporary = null;
        try {
            Files.createDirectories(folder);
            temporary = createTemporary(folder, epoch);
            FaultHooks.reachedWriting("checkpoint:" + epoch + ":created", temporary);
            write(temporary, epoch, block, description);
            Path replaced = null;
            if (Files.exists(target)) {
                replaced =
                        folder.resolve(UNFINISHED + epoch + "-replaced-" + temporary.getFileName());
                AtomicFiles.rename(target, replaced);
                FaultHooks.reachedWriting("checkpoint:" + epoch + ":aside", target);
            }
            AtomicFiles.rename(temporary, target);
            temporary = null;
            FaultHooks.reachedWriting("checkpoint:" + epoch + ":renamed", target);
            AtomicFiles.syncFolder(folder);
            if (replaced != null) {
                deleteRecursively(replaced);
            }
            return target;
        } catch (IOException | RuntimeException | Error e) {
            if (temporary != null) {
                try {
                    deleteRecursively(temporary);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof IOException failure) {
                throw new OutputWriteException(target, failure);
            }
            throw e;
        }
    }

    /** Writes the checkpoint's files into its temporary folder, the description last. */
    private static void write(Path temporary, int epoch, Block block, JsonObject description)
            throws IOException {
        NDList parameters = new NDList();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            NDArray copy = array.duplicate();
            copy.setName(entry.getKey());
            parameters.add(copy);
        }
        JsonObject files = new JsonObject();
        JsonObject digests = new JsonObject();
        try {
            byte[] encoded = parameters.encode();
            AtomicFiles.writeNew(temporary.resolve(PARAMETERS), out -> out.write(encoded));
            files.addProperty(PARAMETERS, encoded.length);
            digests.addProperty(PARAMETERS, FileDigests.of(temporary.resolve(PARAMETERS)));
        } finally {
            parameters.close();
        }
        FaultHooks.reachedWriting("checkpoint:" + epoch, temporary.resolve(DESCRIPTION));
        if (!(block instanceof AbstractBlock)) {
            Path module = temporary.resolve(MODULE);
            AtomicFiles.writeNew(module, out -> block.saveParameters(new DataOutputStream(out)));
            files.addProperty(MODULE, Files.size(module));
            digests.addProperty(MODULE, FileDigests.of(module));
        }
        JsonObject json = description.deepCopy();
        json.addProperty("epoch", epoch);
        json.add("files", files);
        json.add(FileDigests.KEY, digests);
        byte[] text = GSON.toJson(json).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeNew(temporary.resolve(DESCRIPTION), out -> out.write(text));
        AtomicFiles.syncFolder(temporary);
        FaultHooks.reachedWriting("checkpoint:" + epoch + ":described", temporary);
    }

    /**
     * Creates the empty temporary folder {@code .epoch-N-<random>} with the permissions of any new
     * folder (the user's umask), not the owner-only ones of {@link Files#createTempDirectory}.
     */
    private static Path createTemporary(Path folder, int epoch) throws IOException {
        for (int attempt = 1; ; attempt++) {
            String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            try {
                return Files.createDirectory(folder.resolve(UNFINISHED + epoch + "-" + suffix));
            } catch (FileAlreadyExistsException e) {
                if (attempt == NAME_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Returns the folder of an epoch's checkpoint, whether it exists or not.
     *
     * @param folder the run's checkpoint folder
     * @param epoch the epoch
     * @return {@code folder/epoch-NNNN}
     */
    static Path of(Path folder, int epoch) {
        return folder.resolve(name(epoch));
    }

    /**
     * Finds the newest complete checkpoint in a folder: the {@code epoch-NNNN} folder with the
     * highest number that {@link #isComplete} accepts. Temporary folders are never considered.
     *
     * @param folder the run's checkpoint folder
     * @return the newest complete checkpoint, if any
     * @throws IOException if the folder cannot be listed
     */
    public static Optional<Path> latest(Path folder) throws IOException {
        for (Path checkpoint : checkpoints(folder)) {
            if (isComplete(checkpoint)) {
                return Optional.of(checkpoint);
            }
        }
        return Optional.empty();
    }

    /**
     * Lists the {@code epoch-NNNN} folders, newest first, complete or not.
     *
     * @param folder the run's checkpoint folder
     * @return the checkpoint folders by descending epoch; empty if the folder does not exist
     * @throws IOException if the folder cannot be listed
     */
    public static List<Path> checkpoints(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> CHECKPOINT.matcher(p.getFileName().toString()).matches())
                    .filter(Files::isDirectory)
                    .sorted(Comparator.comparingLong(Checkpoints::epochOf).reversed())
                    .toList();
        }
    }

    /**
     * Tells whether a checkpoint folder is whole: {@code checkpoint.json} parses, names the
     * folder's epoch, and every file it lists under "files" exists with the recorded size (a
     * checkpoint written before sizes were recorded needs {@code params.ndlist}).
     *
     * @param checkpoint a checkpoint folder
     * @return true if the checkpoint can be loaded as written
     */
    public static boolean isComplete(Path checkpoint) {
        return isComplete(checkpoint, epochOf(checkpoint));
    }

    /** Whether a folder holds the whole checkpoint of an epoch, whatever the folder's name. */
    private static boolean isComplete(Path checkpoint, long epoch) {
        try {
            JsonObject json = description(checkpoint);
            if (!json.has("epoch") || json.get("epoch").getAsLong() != epoch) {
                return false;
            }
            if (!json.has("files")) {
                return Files.isRegularFile(checkpoint.resolve(PARAMETERS));
            }
            for (Map.Entry<String, JsonElement> file : json.getAsJsonObject("files").entrySet()) {
                Path path = checkpoint.resolve(file.getKey());
                if (!Files.isRegularFile(path) || Files.size(path) != file.getValue().getAsLong()) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Puts in place the checkpoints that a killed {@link #save} had written whole but not yet
     * renamed: a temporary {@code .epoch-N-*} folder whose {@code checkpoint.json} is written and
     * lists every file at its size becomes {@code epoch-NNNN} when no such folder exists (of two,
     * the newer write wins over an old checkpoint renamed aside). Run it before {@link
     * #removeUnfinished}.
     *
     * @param folder the run's checkpoint folder
     * @return the checkpoints put in place
     * @throws IOException if the folder cannot be listed or a rename fails
     */
    public static List<Path> recoverFinished(Path folder) throws IOException {
        List<Path> recovered = new ArrayList<>();
        List<Path> unfinished = unfinished(folder);
        // new writes first, then old checkpoints renamed aside by a write that did not finish
        List<Path> ordered = new ArrayList<>();
        unfinished.stream().filter(p -> !isReplaced(p)).forEach(ordered::add);
        unfinished.stream().filter(Checkpoints::isReplaced).forEach(ordered::add);
        for (Path candidate : ordered) {
            Matcher name = UNFINISHED_NAME.matcher(candidate.getFileName().toString());
            if (!name.matches()) {
                continue;
            }
            int epoch = Integer.parseInt(name.group(1));
            Path target = of(folder, epoch);
            if (!Files.exists(target) && isComplete(candidate, epoch)) {
                AtomicFiles.rename(candidate, target);
                AtomicFiles.syncFolder(folder);
                recovered.add(target);
            }
        }
        return recovered;
    }

    private static boolean isReplaced(Path unfinished) {
        return unfinished.getFileName().toString().contains("-replaced-");
    }

    private static List<Path> unfinished(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(UNFINISHED))
                    .filter(Files::isDirectory)
                    .sorted()
                    .toList();
        }
    }

    /**
     * Deletes what a killed {@link #save} left: the temporary {@code .epoch-*} folders.
     *
     * @param folder the run's checkpoint folder
     * @return the names of the deleted folders
     * @throws IOException if one cannot be deleted
     */
    public static List<String> removeUnfinished(Path folder) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path path : unfinished(folder)) {
            deleteRecursively(path);
            names.add(path.getFileName().toString());
        }
        return names;
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
     * @throws IllegalArgumentException naming the file if its content cannot be decoded (damaged)
     */
    public static List<String> load(Path checkpoint, Block block, NDManager manager)
            throws IOException {
        Path file = Files.isDirectory(checkpoint) ? checkpoint.resolve(PARAMETERS) : checkpoint;
        if (Files.isDirectory(checkpoint)) {
            FileDigests.require(checkpoint, PARAMETERS);
        }
        Map<String, NDArray> saved = new HashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            NDList decoded;
            try {
                decoded = NDList.decode(manager, in);
            } catch (RuntimeException e) {
                // DJL's bare "Invalid NDList size: -1" or "Malformed data" named no file
                throw new IllegalArgumentException(
                        file
                                + ": the parameters cannot be read, the checkpoint is damaged ("
                                + e.getMessage()
                                + ")",
                        e);
            }
            for (NDArray array : decoded) {
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

    /** The epoch in a checkpoint folder's name, -1 for another name. */
    private static long epochOf(Path checkpoint) {
        Matcher name = CHECKPOINT.matcher(checkpoint.getFileName().toString());
        return name.matches() ? Long.parseLong(name.group(1)) : -1;
    }

    private static String name(int epoch) {
        return String.format(Locale.ROOT, "epoch-%04d", epoch);
    }

    /** Deletes a folder and everything in it. */
    static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
