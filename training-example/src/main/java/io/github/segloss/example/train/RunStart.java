package io.github.segloss.example.train;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import com.google.gson.JsonObject;
import io.github.segloss.example.report.AtomicFiles;
import io.github.segloss.example.report.EpochMetrics;
import io.github.segloss.example.report.MetricsCsv;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a training run starts, shared by both tasks: after the newest checkpoint of its output
 * folder with {@code --resume} (that checkpoint must be of the same task and fit the model
 * exactly), otherwise at epoch 1, optionally from a {@code --pretrained} checkpoint whose
 * compatible parameters are copied.
 *
 * <p>A run killed before it ended may have left a temporary checkpoint folder and temporary files
 * of its atomic writes; {@link #removeUnfinished} deletes them before the run starts.
 *
 * @param checkpoint the checkpoint to resume from, if any
 * @param epochsDone the epochs that checkpoint completed (0 without one)
 * @param skippedNonFinite the non-finite batches skipped up to that checkpoint (0 without one)
 */
record RunStart(Optional<Path> checkpoint, int epochsDone, int skippedNonFinite) {

    /** The key of the skipped non-finite batches in {@code checkpoint.json}. */
    static final String SKIPPED_NON_FINITE = "skippedNonFiniteBatches";

    /**
     * Deletes what a killed run left in its output folder: temporary checkpoint folders and the
     * temporary files of cut-off atomic writes; says what it deleted.
     *
     * @param output the run's output folder
     * @param out where the report goes
     * @throws IOException if something cannot be deleted
     */
    static void removeUnfinished(Path output, PrintStream out) throws IOException {
        List<String> removed = new ArrayList<>();
        removed.addAll(Checkpoints.removeUnfinished(output.resolve("checkpoints")));
        removed.addAll(AtomicFiles.deleteLeftovers(output));
        if (!removed.isEmpty()) {
            out.println("removed what an interrupted run left: " + String.join(", ", removed));
        }
    }

    /**
     * Finds the start of a run.
     *
     * @param output the run's output folder
     * @param resume whether {@code --resume} was given
     * @param task the run's task, "semantic" or "mask"
     * @return the start
     * @throws IOException if the checkpoint folder cannot be read
     * @throws IllegalArgumentException if the newest checkpoint is of another task
     */
    static RunStart find(Path output, boolean resume, String task) throws IOException {
        Optional<Path> latest =
                resume ? Checkpoints.latest(output.resolve("checkpoints")) : Optional.empty();
        if (latest.isEmpty()) {
            return new RunStart(Optional.empty(), 0, 0);
        }
        JsonObject description = Checkpoints.description(latest.get());
        String found = description.has("task") ? description.get("task").getAsString() : "";
        if (!found.equals(task)) {
            throw new IllegalArgumentException(
                    "--resume: "
                            + latest.get()
                            + " is a "
                            + found
                            + " checkpoint, not a "
                            + task
                            + " one");
        }
        int skipped =
                description.has(SKIPPED_NON_FINITE)
                        ? description.get(SKIPPED_NON_FINITE).getAsInt()
                        : 0;
        return new RunStart(latest, description.get("epoch").getAsInt(), skipped);
    }

    /**
     * Returns the first epoch to train.
     *
     * @return {@code epochsDone + 1}
     */
    int firstEpoch() {
        return epochsDone + 1;
    }

    /**
     * Initialises the trainer from the model's loaded parameters: the block is initialised, every
     * parameter of the resumed checkpoint (or the compatible ones of a pretrained checkpoint) is
     * loaded into it, and only then is the trainer initialised; reports what it loaded.
     *
     * <p>The order matters on MXNet: DJL's MXNet parameter server (a KVStore) copies every
     * parameter in {@code trainer.initialize} and writes its own copy back into the parameter at
     * each optimizer step, so weights loaded after it would silently give way to the fresh
     * initialisation at the first step.
     *
     * @param trainer the trainer, not yet initialised
     * @param pretrained the {@code --pretrained} checkpoint, or {@code null}
     * @param out where the report goes
     * @param inputShapes the model's input shapes
     * @throws IOException if a checkpoint cannot be read
     * @throws IllegalArgumentException if the resumed checkpoint does not fit the model or the
     *     pretrained one does not exist
     */
    void initialize(Trainer trainer, Path pretrained, PrintStream out, Shape... inputShapes)
            throws IOException {
        Model model = trainer.getModel();
        Block net = model.getBlock();
        net.initialize(model.getNDManager(), model.getDataType(), inputShapes);
        load(net, trainer.getManager(), pretrained, out);
        trainer.initialize(inputShapes);
    }

    private void load(Block net, NDManager manager, Path pretrained, PrintStream out)
            throws IOException {
        if (checkpoint.isPresent()) {
            List<String> missing = Checkpoints.load(checkpoint.get(), net, manager);
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(
                        "--resume: "
                                + checkpoint.get()
                                + " does not fit the model ("
                                + missing.size()
                                + " parameter(s) differ: another --width, model or class list?)");
            }
            out.println("resuming after epoch " + epochsDone + " from " + checkpoint.get());
        } else if (pretrained != null) {
            if (!Files.exists(pretrained)) {
                throw new IllegalArgumentException(
                        "--pretrained " + pretrained + ": no such checkpoint");
            }
            List<String> fresh = Checkpoints.load(pretrained, net, manager);
            out.println(
                    "loaded "
                            + pretrained
                            + "; re-initialised "
                            + fresh.size()
                            + " parameter(s) whose shape or name differs: "
                            + fresh);
        }
    }

    /**
     * Returns the metrics of the epochs already done, read back from {@code metrics.csv}: one row
     * per epoch up to {@link #epochsDone}. Rows of later epochs, written by a run killed before
     * their checkpoint was complete, are dropped (those epochs are trained again), so the file the
     * run rewrites holds exactly one row per epoch; of two rows of one epoch the later one is kept.
     *
     * @param output the run's output folder
     * @param classes the class names of the per-class columns
     * @return the rows up to {@link #epochsDone} by epoch, empty when starting afresh
     * @throws IOException if the file cannot be read
     */
    List<EpochMetrics> history(Path output, List<String> classes) throws IOException {
        Map<Integer, EpochMetrics> byEpoch = new TreeMap<>();
        Path csv = output.resolve("metrics.csv");
        if (checkpoint.isPresent() && Files.exists(csv)) {
            for (EpochMetrics row : MetricsCsv.read(csv, classes)) {
                if (row.epoch() <= epochsDone) {
                    byEpoch.put(row.epoch(), row);
                }
            }
        }
        return new ArrayList<>(byEpoch.values());
    }
}
