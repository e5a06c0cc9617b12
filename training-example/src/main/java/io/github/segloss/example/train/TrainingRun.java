package io.github.segloss.example.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.segloss.example.data.DataChecks;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.data.SampleSource;
import io.github.segloss.example.report.EpochMetrics;
import io.github.segloss.example.report.LossCurve;
import io.github.segloss.example.report.MetricsCsv;
import io.github.segloss.example.report.ProgressBar;
import io.github.segloss.example.report.SummaryJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * One training run of segloss-train, the same for every task: claims the output folder, opens the
 * data, builds the model and DJL's {@link Trainer} (Adam on PSPNet's poly schedule, the backbone's
 * learning-rate scale, frozen batch-norm statistics on request), resumes or loads pretrained
 * weights, and trains epoch by epoch: train, validate, check the parameters, write {@code
 * metrics.csv}, {@code loss-curve.png}, {@code predictions.png} and a checkpoint; at the end {@code
 * summary.json}. The {@link TrainingTask} supplies what differs: data, model, loss, metrics and
 * reports.
 *
 * <p>Each training batch goes through {@link DataParallelStep} (forward and backward over the
 * devices, guarded by {@link NonFiniteBatches}) and {@code trainer.step()}; each validation batch
 * through DJL's {@link EasyTrain#validateBatch}. A task may leave a training batch out (a mask
 * batch whose images lost every instance to the crop has nothing to learn): no step, and it adds
 * nothing to the metrics. A run killed at any moment leaves its complete checkpoints, {@code
 * metrics.csv} and pictures readable; with {@code --resume} it continues after the newest complete
 * checkpoint, with the data order and augmentation of the epoch it continues at.
 */
public final class TrainingRun {

    private final RunSettings settings;
    private final TrainingTask task;
    private final PrintStream out;
    private ExecutorService loaders;
    private DataChecks checks;
    private StopNotice stop;

    private TrainingRun(RunSettings settings, TrainingTask task, PrintStream out) {
        this.settings = settings;
        this.task = task;
        this.out = out;
    }

    /**
     * Creates a run of the semantic task: the built-in PSPNet or a TorchScript model.
     *
     * @param settings the shared settings
     * @param options the semantic task's own settings
     * @param out where progress goes
     * @return the run
     */
    public static TrainingRun semantic(
            RunSettings settings, SemanticTask.Options options, PrintStream out) {
        return new TrainingRun(settings, new SemanticTask(settings, options, out), out);
    }

    /**
     * Creates a run of the mask task: the Mask R-CNN-style mask head on ground-truth boxes.
     *
     * @param settings the shared settings
     * @param options the mask task's own settings
     * @param out where progress goes
     * @return the run
     */
    public static TrainingRun mask(
            RunSettings settings, MaskTask.Options options, PrintStream out) {
        return new TrainingRun(settings, new MaskTask(settings, options, out), out);
    }

    /**
     * Trains.
     *
     * @return the summary written to {@code summary.json}
     * @throws IOException if the data or the outputs cannot be read or written
     * @throws IllegalArgumentException if a setting, the data or the model is bad
     * @throws TrainingDivergedException if a loss or the parameters stop being finite
     * @throws TrainingOutOfMemoryException if a batch does not fit in memory
     */
    public Map<String, Object> run() throws IOException {
        settings.validate();
        Device[] devices = Devices.parse(settings.devices(), settings.engine());
        task.validate(settings, devices);
        Path output = settings.output();
        // the notice first: a signal while --overwrite deletes the earlier run gets its line too
        try (StopNotice notice =
                        StopNotice.register(
                                output.resolve(RunFiles.CHECKPOINTS), settings.overwrite());
                RunLock lock =
                        OutputFolder.claim(output, settings.resume(), settings.overwrite(), out)) {
            stop = notice;
            checks =
                    DataChecks.of(
                            settings.maxImagePixels(), settings.skipBadSamples(), out::println);
            loaders = Loaders.start("segloss-" + task.name() + "-data");
            try {
                return train(devices);
            } finally {
                loaders.shutdownNow();
            }
        }
    }

    private Map<String, Object> train(Device[] devices) throws IOException {
        SampleSource train = open("train");
        SampleSource validation = open("val");
        List<String> classes = train.classes();
        task.prepare(train, validation, loaders);
        Path output = settings.output();
        RunStart runStart = RunStart.find(output, settings.resume(), description(classes, 0));
        int batchesPerEpoch = task.batchesPerEpoch();
        // PSPNet's poly schedule, continued after the epochs of a resumed run
        Tracker schedule =
                ShiftedTracker.poly(
                        settings.learningRate(),
                        settings.epochs() * batchesPerEpoch,
                        runStart.epochsDone() * batchesPerEpoch);
        Engine.getEngine(settings.engine()).setRandomSeed((int) settings.seed());
        Files.createDirectories(output);
        FineTuning fineTuning = settings.fineTuning();
        try (Model model = Model.newInstance(task.name(), devices[0], settings.engine())) {
            Block net = task.createModel(model, runStart.checkpoint().orElse(null));
            BatchNormStatistics.freeze(
                    net, fineTuning.freezeBatchNormStatistics(), task.modelFile());
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(task.loss())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(
                                                    BackboneLearningRate.of(
                                                            net,
                                                            schedule,
                                                            fineTuning.backboneLrScale()))
                                            .build())
                            .optDevices(devices);
            task.configure(config);
            try (Trainer trainer = model.newTrainer(config)) {
                int perDevice = Math.max(1, settings.batchSize() / devices.length);
                runStart.initialize(
                        trainer, settings.pretrained(), out, task.inputShapes(perDevice));
                task.checkModel(trainer);
                List<EpochMetrics> history = runStart.history(output, task.metricClasses(), out);
                NonFiniteBatches guard =
                        new NonFiniteBatches(
                                settings.skipNonFiniteBatches(),
                                runStart.skippedNonFinite(),
                                net,
                                trainer.getManager(),
                                runStart.checkpoint());
                for (int epoch = runStart.firstEpoch(); epoch <= settings.epochs(); epoch++) {
                    Backbone.freeze(net, epoch <= settings.freezeBackboneEpochs());
                    long start = System.nanoTime();
                    long images = trainEpoch(trainer, batchesPerEpoch, epoch, guard);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    validate(trainer);
                    guard.checkParameters(epoch);
                    EpochMetrics row = task.epochMetrics(epoch, seconds, images / seconds);
                    trainer.notifyListeners(listener -> listener.onEpoch(trainer));
                    history.add(row);
                    out.printf(
                            "epoch %d/%d: loss %.4f, val loss %.4f, %s%n",
                            epoch,
                            settings.epochs(),
                            row.trainLoss().get("loss"),
                            row.validationLoss(),
                            task.epochLine(row));
                    MetricsCsv.write(
                            output.resolve(RunFiles.METRICS), task.metricClasses(), history);
                    LossCurve.write(output.resolve("loss-curve.png"), history, 800, 500);
                    task.writePreviews(trainer, output.resolve("predictions.png"));
                    FaultHooks.reached("outputs:" + epoch);
                    guard.saved(
                            Checkpoints.save(
                                    output.resolve(RunFiles.CHECKPOINTS),
                                    epoch,
                                    net,
                                    RunStart.withMetrics(
                                            description(classes, guard.skipped()), row)));
                }
                Map<String, Object> summary = summary(classes, history, guard.skipped());
                if (checks.skipsBadSamples()) {
                    out.println(
                            "skipped "
                                    + checks.skippedSamples()
                                    + " bad sample(s) (--skip-bad-samples)");
                }
                SummaryJson.write(output.resolve("summary.json"), summary);
                return summary;
            }
        }
    }

    private SampleSource open(String split) {
        if (settings.data().equals("synthetic")) {
            return DataSources.syntheticSplit(
                    split,
                    settings.syntheticCount(),
                    settings.imageSize(),
                    settings.syntheticClasses(),
                    settings.seed());
        }
        Path root = Path.of(settings.data());
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("--data " + root + ": no such folder");
        }
        return DataSources.open(
                settings.format(), root, split, settings.valFraction(), settings.seed(), checks);
    }

    /** Trains one epoch; returns the images trained on. */
    private long trainEpoch(Trainer trainer, int batches, int epoch, NonFiniteBatches guard)
            throws IOException {
        ProgressBar bar =
                new ProgressBar(out, epoch, settings.epochs(), batches, System.console() != null);
        long images = 0;
        long start = System.nanoTime();
        int done = 0;
        try {
            for (Batch batch : task.trainingBatches(trainer, epoch)) {
                done++;
                try (batch) {
                    stop.batch(epoch, done);
                    if (batch != null) {
                        guard.beforeBatch();
                        FaultHooks.beforeBatch(epoch, done, batch.getData());
                        if (DataParallelStep.forwardBackward(trainer, batch, guard, epoch, done)) {
                            trainer.step();
                        }
                        images += batch.getSize();
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                bar.update(
                        done,
                        trainer.getLoss().getAccumulator(EvaluatorTrainingListener.TRAIN_EPOCH),
                        images / seconds);
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            OutOfMemory.rethrowOnBatch(
                    e, settings.batchSize(), settings.imageSize(), trainer.getDevices());
            throw e;
        }
        String counts = images + " images" + task.endTrainingEpoch(images);
        bar.finish(counts + guard.endEpoch());
        return images;
    }

    private void validate(Trainer trainer) throws IOException {
        try {
            for (Batch batch : task.validationBatches(trainer)) {
                try (batch) {
                    EasyTrain.validateBatch(trainer, batch);
                }
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            OutOfMemory.rethrowOnBatch(
                    e, settings.batchSize(), settings.imageSize(), trainer.getDevices());
            throw e;
        }
    }

    private JsonObject description(List<String> classes, int skippedNonFinite) {
        JsonObject json = new JsonObject();
        json.addProperty("task", task.name());
        JsonArray names = new JsonArray();
        classes.forEach(names::add);
        json.add("classes", names);
        json.add("model", task.modelDescription());
        json.addProperty("engine", settings.engine());
        json.add("commandLine", new Gson().toJsonTree(settings.commandLine()));
        json.addProperty(RunStart.SKIPPED_NON_FINITE, skippedNonFinite);
        return json;
    }

    private Map<String, Object> summary(
            List<String> classes, List<EpochMetrics> history, int skippedNonFinite) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("task", task.name());
        summary.put("engine", settings.engine());
        summary.put("devices", settings.devices());
        summary.put("classes", classes);
        summary.put("epochs", history.size());
        if (!history.isEmpty()) {
            EpochMetrics last = history.get(history.size() - 1);
            summary.put("trainLoss", last.trainLoss().get("loss"));
            summary.put("validationLoss", last.validationLoss());
            task.summarize(summary, history);
            summary.put(
                    "trainingSeconds", history.stream().mapToDouble(EpochMetrics::seconds).sum());
        }
        summary.put("skippedSamples", checks.skippedSamples());
        summary.put("output", settings.output().toString());
        summary.put(RunStart.SKIPPED_NON_FINITE, skippedNonFinite);
        return summary;
    }
}
