package io.github.segloss.example.train;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import com.google.gson.JsonObject;
import io.github.segloss.example.report.EpochMetrics;
import io.github.segloss.example.report.EpochMetricsJson;
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
 * <p>A resumed run must keep the task, classes, engine and model settings of its checkpoint ({@link
 * ResumeCheck}). Each checkpoint also keeps its epoch's metrics, from which {@link #history}
 * rebuilds a lost or damaged {@code metrics.csv}.
 *
 * @param checkpoint the checkpoint to resume from, if any
 * @param epochsDone the epochs that checkpoint completed (0 without one)
 * @param skippedNonFinite the non-finite batches skipped up to that checkpoint (0 without one)
 */
record RunStart(Optional<Path> checkpoint, int epochsDone, int skippedNonFinite) {

    /** The key of the skipped non-finite batches in {@code checkpoint.json}. */
    static final String SKIPPED_NON_FINITE = "skippedNonFiniteBatches";

    /** The key of the epoch's metrics in {@code checkpoint.json}. */
    static final String METRICS = "metrics";

    /**
     * Adds an epoch's metrics to the description of its checkpoint.
     *
     * @param description the checkpoint's description
     * @param metrics the epoch's metrics
     * @return the description, with the metrics under {@value #METRICS}
     */
    static JsonObject withMetrics(JsonObject description, EpochMetrics metrics) {
        description.add(METRICS, EpochMetricsJson.toJson(metrics));
        return description;
    }

    /**
     * Finds the start of a run.
     *
     * @param output the run's output folder
     * @param resume whether {@code --resume} was given
     * @param current the description this run writes into its checkpoints: task, classes, engine
     *     and model settings
     * @return the start
     * @throws IOException if the checkpoint folder cannot be read
     * @throws IllegalArgumentException if the newest checkpoint is of another task, or its classes,
     *     engine or model settings differ from this run's
     */
    static RunStart find(Path output, boolean resume, JsonObject current) throws IOException {
        Optional<Path> latest =
                resume ? Checkpoints.latest(output.resolve("checkpoints")) : Optional.empty();
        if (latest.isEmpty()) {
            return new RunStart(Optional.empty(), 0, 0);
        }
        JsonObject description = Checkpoints.description(latest.get());
        String task = current.get("task").getAsString();
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
        ResumeCheck.requireSameRun(latest.get(), description, current);
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
     * Returns the metrics of the epochs already done, one row per epoch up to {@link #epochsDone}:
     * read back from {@code metrics.csv}, and taken from the checkpoints for the epochs the file
     * lacks, or for all of them when it cannot be read (truncated, damaged, of other classes); the
     * rebuild is reported. Rows of later epochs, written by a run killed before their checkpoint
     * was complete, are dropped (those epochs are trained again); of two rows of one epoch the
     * later one is kept.
     *
     * @param output the run's output folder
     * @param classes the class names of the per-class columns
     * @param out where the report of a rebuild goes
     * @return the rows up to {@link #epochsDone} by epoch, empty when starting afresh
     * @throws IOException if the checkpoint folder cannot be read
     */
    List<EpochMetrics> history(Path output, List<String> classes, PrintStream out)
            throws IOException {
        Map<Integer, EpochMetrics> byEpoch = new TreeMap<>();
        if (checkpoint.isEmpty()) {
            return new ArrayList<>();
        }
        Path csv = output.resolve(RunFiles.METRICS);
        String problem = null;
        if (!Files.exists(csv)) {
            problem = "missing";
        } else {
            try {
                for (EpochMetrics row : MetricsCsv.read(csv, classes)) {
                    if (row.epoch() <= epochsDone) {
                        byEpoch.put(row.epoch(), row);
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                problem = e.getMessage();
                byEpoch.clear();
            }
        }
        List<Integer> rebuilt = new ArrayList<>();
        List<Integer> lost = new ArrayList<>();
        Path checkpoints = output.resolve(RunFiles.CHECKPOINTS);
        for (int epoch = 1; epoch <= epochsDone; epoch++) {
            if (byEpoch.containsKey(epoch)) {
                continue;
            }
            EpochMetrics row = recorded(Checkpoints.of(checkpoints, epoch), epoch, classes);
            if (row == null) {
                lost.add(epoch);
            } else {
                byEpoch.put(epoch, row);
                rebuilt.add(epoch);
            }
        }
        if (!rebuilt.isEmpty() || !lost.isEmpty()) {
            out.println(
                    csv
                            + (problem == null ? " lacks epochs" : ": " + problem)
                            + "; rebuilt epoch(s) "
                            + rebuilt
                            + " from the checkpoints"
                            + (lost.isEmpty() ? "" : "; no record of epoch(s) " + lost));
        }
        return new ArrayList<>(byEpoch.values());
    }

    /** The metrics that an epoch's checkpoint recorded, or null where it has none that fit. */
    private static EpochMetrics recorded(Path checkpoint, int epoch, List<String> classes) {
        if (!Checkpoints.isComplete(checkpoint)) {
            return null;
        }
        try {
            JsonObject description = Checkpoints.description(checkpoint);
            if (!description.has(METRICS)) {
                return null;
            }
            EpochMetrics row = EpochMetricsJson.fromJson(description.getAsJsonObject(METRICS));
            return row.epoch() == epoch && row.perClassIoU().length == classes.size() ? row : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
