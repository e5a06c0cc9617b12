package io.github.segloss.example.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.segloss.example.data.DataChecks;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.data.JointAugmentation;
import io.github.segloss.example.data.Sample;
import io.github.segloss.example.data.SampleSource;
import io.github.segloss.example.data.SemanticDataset;
import io.github.segloss.example.model.PspNet;
import io.github.segloss.example.report.EpochMetrics;
import io.github.segloss.example.report.LossCurve;
import io.github.segloss.example.report.MetricsCsv;
import io.github.segloss.example.report.Overlay;
import io.github.segloss.example.report.ProgressBar;
import io.github.segloss.example.report.SummaryJson;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.loss.HeadLoss;
import io.github.segloss.metric.MeanIoU;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Trains the example's PSPNet with segloss's deep supervision, judged by {@link MeanIoU} and the
 * pixel accuracy (from the same confusion matrix) on the validation split every epoch, and writes
 * the run's outputs: checkpoints, {@code metrics.csv}, {@code loss-curve.png}, {@code
 * predictions.png} and {@code summary.json}.
 */
public final class SemanticTraining {

    private static final int PREVIEWS = 4;

    private final SemanticSettings settings;
    private final PrintStream out;
    private ExecutorService loaders;
    private DataChecks checks;
    private int skipNonFiniteBatches;
    private boolean overwrite;
    private StopNotice stop;
    private FineTuning fineTuning = FineTuning.NONE;

    /**
     * Creates a run.
     *
     * @param settings the settings
     * @param out where progress goes
     */
    public SemanticTraining(SemanticSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * Lets the run skip up to this many batches whose training loss is NaN or infinite, instead of
     * stopping at the first ({@code --skip-nonfinite-batches}; see {@link NonFiniteBatches}).
     *
     * @param count the batches the whole run may skip, 0 (the default) to stop at the first
     * @return this run
     * @throws IllegalArgumentException if count is negative
     */
    public SemanticTraining optSkipNonFiniteBatches(int count) {
        if (count < 0) {
            throw new IllegalArgumentException(
                    "--skip-nonfinite-batches must be >= 0, got " + count);
        }
        this.skipNonFiniteBatches = count;
        return this;
    }

    /**
     * Lets a fresh run delete the files of an earlier run in its output folder first ({@code
     * --overwrite}); without it such a run is refused. Only the files a run writes are deleted.
     *
     * @param overwrite whether to delete an earlier run's files
     * @return this run
     */
    public SemanticTraining optOverwrite(boolean overwrite) {
        this.overwrite = overwrite;
        return this;
    }

    /**
     * Sets how the run fine-tunes: the backbone's learning-rate scale ({@code --backbone-lr-scale})
     * and frozen batch-norm statistics ({@code --freeze-bn-stats}).
     *
     * @param fineTuning the fine-tuning options ({@link FineTuning#NONE} by default)
     * @return this run
     */
    public SemanticTraining optFineTuning(FineTuning fineTuning) {
        this.fineTuning = fineTuning;
        return this;
    }

    /**
     * Trains.
     *
     * <p>A run killed at any moment leaves its complete checkpoints, {@code metrics.csv} and
     * pictures readable; with {@code --resume} it continues after the newest complete checkpoint.
     *
     * @return the summary written to {@code summary.json}
     * @throws IOException if the data or the outputs cannot be read or written
     * @throws TranslateException if DJL cannot batch the data
     * @throws TrainingDivergedException if a loss or the parameters stop being finite
     * @throws TrainingOutOfMemoryException if a batch does not fit in memory
     */
    public Map<String, Object> run() throws IOException, TranslateException {
        settings.validate();
        // the notice first: a signal while --overwrite deletes the earlier run gets its line too
        try (StopNotice notice =
                        StopNotice.register(
                                settings.output().resolve(RunFiles.CHECKPOINTS), overwrite);
                RunLock lock =
                        OutputFolder.claim(settings.output(), settings.resume(), overwrite, out)) {
            stop = notice;
            return runInClaimedFolder();
        }
    }

    private Map<String, Object> runInClaimedFolder() throws IOException, TranslateException {
        checks = DataChecks.of(settings.maxImagePixels(), settings.skipBadSamples(), out::println);
        loaders = Loaders.start("segloss-data");
        try {
            return train();
        } finally {
            loaders.shutdownNow();
        }
    }

    private Map<String, Object> train() throws IOException, TranslateException {
        SampleSource train = open("train");
        SampleSource validation = open("val");
        List<String> classes = train.classes();
        int numClasses = classes.size();
        float[] classWeights = ClassWeighting.parse(settings.classWeights(), numClasses, train);
        DeepSupervisionLoss loss =
                settings.loss().deepSupervision(settings.auxWeight(), classWeights);
        MeanIoU meanIoU = new MeanIoU("mIoU", numClasses, LossChoice.IGNORE);
        Device[] devices = Devices.parse(settings.devices(), settings.engine());
        if (train.size() < 2) {
            throw new IllegalArgumentException(
                    "semantic training needs at least 2 training images (batch normalisation of"
                            + " the pyramid's 1x1 bin), got "
                            + train.size());
        }
        int batchesPerEpoch = trainingBatches(train.size(), settings.batchSize());
        if (settings.maxBatches() > 0) {
            batchesPerEpoch = Math.min(batchesPerEpoch, settings.maxBatches());
        }
        Path output = settings.output();
        Path checkpoints = output.resolve("checkpoints");
        RunStart runStart = RunStart.find(output, settings.resume(), description(classes, 0));
        // PSPNet's poly schedule, continued after the epochs of a resumed run
        Tracker schedule =
                ShiftedTracker.poly(
                        settings.learningRate(),
                        settings.epochs() * batchesPerEpoch,
                        runStart.epochsDone() * batchesPerEpoch);
        Engine.getEngine(settings.engine()).setRandomSeed((int) settings.seed());
        Files.createDirectories(output);

        try (Model model = Model.newInstance("segmentation", devices[0], settings.engine())) {
            Block net = createModel(model, numClasses, runStart.checkpoint().orElse(null));
            BatchNormStatistics.freeze(
                    net, fineTuning.freezeBatchNormStatistics(), settings.torchscript());
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(loss)
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(
                                                    BackboneLearningRate.of(
                                                            net,
                                                            schedule,
                                                            fineTuning.backboneLrScale()))
                                            .build())
                            .optDevices(devices)
                            // mIoU on validation batches only (it is never reported for training)
                            .addTrainingListeners(
                                    new EvaluatorTrainingListener(), new ValidationMetric(meanIoU));
            try (Trainer trainer = model.newTrainer(config)) {
                int perDevice = Math.max(1, settings.batchSize() / devices.length);
                int size = settings.imageSize();
                runStart.initialize(
                        trainer, settings.pretrained(), out, new Shape(perDevice, 3, size, size));
                requireClasses(trainer, numClasses);
                List<EpochMetrics> history = runStart.history(output, classes, out);
                SemanticDataset trainSet =
                        dataset(
                                train,
                                new JointAugmentation(size, 0.75f, 1.25f, true),
                                true,
                                trainer);
                SemanticDataset validationSet = dataset(validation, null, false, trainer);
                List<Sample> previews = previews(validation, size);
                NonFiniteBatches guard =
                        new NonFiniteBatches(
                                skipNonFiniteBatches,
                                runStart.skippedNonFinite(),
                                net,
                                trainer.getManager(),
                                runStart.checkpoint());
                for (int epoch = runStart.firstEpoch(); epoch <= settings.epochs(); epoch++) {
                    Backbone.freeze(net, epoch <= settings.freezeBackboneEpochs());
                    long start = System.nanoTime();
                    long images = trainEpoch(trainer, trainSet, epoch, guard);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    validate(trainer, validationSet);
                    guard.checkParameters(epoch);
                    EpochMetrics row =
                            epochMetrics(epoch, loss, meanIoU, seconds, images / seconds);
                    trainer.notifyListeners(listener -> listener.onEpoch(trainer));
                    history.add(row);
                    out.printf(
                            "epoch %d/%d: loss %.4f, val loss %.4f, mIoU %.4f, pixel acc %.4f%n",
                            epoch,
                            settings.epochs(),
                            row.trainLoss().get("loss"),
                            row.validationLoss(),
                            row.meanIoU(),
                            row.pixelAccuracy());
                    MetricsCsv.write(output.resolve("metrics.csv"), classes, history);
                    LossCurve.write(output.resolve("loss-curve.png"), history, 800, 500);
                    writePredictions(trainer, previews, output.resolve("predictions.png"));
                    FaultHooks.reached("outputs:" + epoch);
                    guard.saved(
                            Checkpoints.save(
                                    checkpoints,
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

    /**
     * The built-in PSPNet, or the TorchScript model of {@code --torchscript}: the file's, or, when
     * resuming, the checkpoint's whole module (its batch-norm statistics included).
     */
    private Block createModel(Model model, int numClasses, Path resumeFrom) throws IOException {
        if (settings.torchscript() == null) {
            PspNet net = new PspNet(numClasses, settings.width());
            model.setBlock(net);
            return net;
        }
        Path file = settings.torchscript().toAbsolutePath();
        String name = file.getFileName().toString();
        if (!name.endsWith(".pt")) {
            throw new IllegalArgumentException(
                    "--torchscript " + file + ": the file must end in .pt");
        }
        if (resumeFrom != null && CheckpointModule.exists(resumeFrom)) {
            CheckpointModule.load(model, resumeFrom);
            out.println(
                    "restored the whole TorchScript module, with its batch-norm statistics, from "
                            + resumeFrom.resolve(Checkpoints.MODULE));
            return model.getBlock();
        }
        try {
            TorchScriptTraining.load(model, file.getParent(), name.substring(0, name.length() - 3));
        } catch (MalformedModelException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "--torchscript " + file + ": not a TorchScript model (" + e.getMessage() + ")",
                    e);
        }
        return model.getBlock();
    }

    /** The model's main head must predict one channel per class of the data. */
    private void requireClasses(Trainer trainer, int numClasses) {
        int size = settings.imageSize();
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDList outputs =
                    trainer.evaluate(new NDList(manager.zeros(new Shape(1, 3, size, size))));
            long predicted = outputs.head().getShape().get(1);
            if (predicted != numClasses || outputs.head().getShape().get(2) != size) {
                throw new IllegalArgumentException(
                        "the model predicts "
                                + outputs.head().getShape()
                                + " for a "
                                + size
                                + "x"
                                + size
                                + " image, the data needs (1, "
                                + numClasses
                                + ", "
                                + size
                                + ", "
                                + size
                                + ")");
            }
        }
    }

    private SampleSource open(String split) {
        if (settings.data().equals("synthetic")) {
            boolean train = split.equals("train");
            return DataSources.synthetic(
                    train ? settings.syntheticCount() : Math.max(1, settings.syntheticCount() / 4),
                    settings.imageSize(),
                    settings.syntheticClasses(),
                    train ? settings.seed() : ~settings.seed());
        }
        Path root = Path.of(settings.data());
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("--data " + root + ": no such folder");
        }
        return DataSources.open(
                settings.format(), root, split, settings.valFraction(), settings.seed(), checks);
    }

    /**
     * Whether training drops its last batch: when it would hold a single image, whose batch
     * normalisation over the pyramid's 1×1 bin fails ("Expected more than 1 value per channel").
     */
    static boolean dropsLastBatch(int images, int batchSize) {
        return images > batchSize && images % batchSize == 1;
    }

    /** The training batches per epoch, after {@link #dropsLastBatch}. */
    static int trainingBatches(int images, int batchSize) {
        int batches = (images + batchSize - 1) / batchSize;
        return dropsLastBatch(images, batchSize) ? batches - 1 : batches;
    }

    private SemanticDataset dataset(
            SampleSource source, JointAugmentation augmentation, boolean shuffle, Trainer trainer) {
        SemanticDataset.Builder builder =
                SemanticDataset.builder()
                        .setSource(source)
                        .optSeed(settings.seed())
                        .optExecutor(loaders)
                        .optPrefetchNumber(Loaders.THREADS)
                        .setSampling(
                                settings.batchSize(),
                                shuffle,
                                shuffle && dropsLastBatch(source.size(), settings.batchSize()));
        if (augmentation != null) {
            builder.optAugmentation(augmentation);
        } else {
            builder.optOutputSize(settings.imageSize());
        }
        if (settings.maxBatches() > 0) {
            builder.optLimit((long) settings.maxBatches() * settings.batchSize());
        }
        return builder.build();
    }

    private long trainEpoch(
            Trainer trainer, SemanticDataset trainSet, int epoch, NonFiniteBatches guard)
            throws IOException, TranslateException {
        long batches = (trainSet.size() + settings.batchSize() - 1) / settings.batchSize();
        ProgressBar bar =
                new ProgressBar(
                        out, epoch, settings.epochs(), (int) batches, System.console() != null);
        long images = 0;
        long start = System.nanoTime();
        int done = 0;
        try {
            for (Batch batch : trainer.iterateDataset(trainSet)) {
                done++;
                stop.batch(epoch, done);
                guard.beforeBatch();
                FaultHooks.beforeBatch(epoch, done, batch.getData());
                if (DataParallelStep.forwardBackward(trainer, batch, guard, epoch, done)) {
                    trainer.step();
                }
                images += batch.getSize();
                batch.close();
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
        bar.finish(String.format("%d images", images) + guard.endEpoch());
        return images;
    }

    private void validate(Trainer trainer, SemanticDataset validationSet)
            throws IOException, TranslateException {
        try {
            for (Batch batch : trainer.iterateDataset(validationSet)) {
                EasyTrain.validateBatch(trainer, batch);
                batch.close();
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            OutOfMemory.rethrowOnBatch(
                    e, settings.batchSize(), settings.imageSize(), trainer.getDevices());
            throw e;
        }
    }

    private static EpochMetrics epochMetrics(
            int epoch,
            DeepSupervisionLoss loss,
            MeanIoU meanIoU,
            double seconds,
            double imagesPerSecond) {
        String train = EvaluatorTrainingListener.TRAIN_EPOCH;
        String validate = EvaluatorTrainingListener.VALIDATE_EPOCH;
        Map<String, Double> trainLoss = new LinkedHashMap<>();
        trainLoss.put("loss", (double) loss.getAccumulator(train));
        for (HeadLoss head : loss.getHeads()) {
            trainLoss.put(head.getName(), (double) head.getAccumulator(train));
        }
        float[] perClass = meanIoU.getPerClassIoU(validate);
        double[] iou = new double[perClass.length];
        for (int c = 0; c < iou.length; c++) {
            iou[c] = perClass[c];
        }
        return new EpochMetrics(
                epoch,
                trainLoss,
                loss.getAccumulator(validate),
                meanIoU.getAccumulator(validate),
                pixelAccuracy(meanIoU.getConfusionMatrix(validate)),
                iou,
                seconds,
                imagesPerSecond);
    }

    /**
     * Pixel accuracy from the confusion matrix that {@link MeanIoU} counted anyway (its diagonal
     * over its sum), instead of a second evaluator copying the same predictions to the host.
     */
    private static double pixelAccuracy(long[][] confusion) {
        long correct = 0;
        long total = 0;
        for (int i = 0; i < confusion.length; i++) {
            correct += confusion[i][i];
            for (long count : confusion[i]) {
                total += count;
            }
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    private static List<Sample> previews(SampleSource validation, int size) {
        List<Sample> previews = new ArrayList<>();
        for (int i = 0; i < Math.min(PREVIEWS, validation.size()); i++) {
            previews.add(JointAugmentation.resizeTo(validation.get(i), size));
        }
        return previews;
    }

    private static void writePredictions(Trainer trainer, List<Sample> previews, Path file)
            throws IOException {
        if (previews.isEmpty()) {
            return;
        }
        List<float[]> images = new ArrayList<>();
        List<int[]> truths = new ArrayList<>();
        List<int[]> predictions = new ArrayList<>();
        int size = previews.get(0).height();
        try (NDManager manager = trainer.getManager().newSubManager()) {
            for (Sample sample : previews) {
                NDArray image = manager.create(sample.image(), new Shape(1, 3, size, size));
                NDArray logits = trainer.evaluate(new NDList(image)).head();
                predictions.add(logits.argMax(1).toType(DataType.INT32, false).toIntArray());
                images.add(sample.image());
                truths.add(sample.semantic());
            }
        }
        Overlay.writeGrid(file, images, truths, predictions, size, size);
    }

    private JsonObject description(List<String> classes, int skippedNonFinite) {
        JsonObject json = new JsonObject();
        json.addProperty("task", "semantic");
        JsonArray names = new JsonArray();
        classes.forEach(names::add);
        json.add("classes", names);
        JsonObject model = new JsonObject();
        model.addProperty("name", settings.torchscript() == null ? "PspNet" : "TorchScript");
        if (settings.torchscript() != null) {
            model.addProperty(
                    "torchscript", settings.torchscript().toAbsolutePath().normalize().toString());
        }
        model.addProperty("width", settings.width());
        model.addProperty("imageSize", settings.imageSize());
        json.add("model", model);
        json.addProperty("engine", settings.engine());
        json.add("commandLine", new Gson().toJsonTree(settings.commandLine()));
        json.addProperty(RunStart.SKIPPED_NON_FINITE, skippedNonFinite);
        return json;
    }

    private Map<String, Object> summary(
            List<String> classes, List<EpochMetrics> history, int skippedNonFinite) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("task", "semantic");
        summary.put("engine", settings.engine());
        summary.put("devices", settings.devices());
        summary.put("classes", classes);
        summary.put("epochs", history.size());
        if (!history.isEmpty()) {
            EpochMetrics last = history.get(history.size() - 1);
            summary.put("trainLoss", last.trainLoss().get("loss"));
            summary.put("validationLoss", last.validationLoss());
            summary.put("meanIoU", last.meanIoU());
            summary.put("pixelAccuracy", last.pixelAccuracy());
            summary.put(
                    "bestMeanIoU",
                    history.stream()
                            .mapToDouble(EpochMetrics::meanIoU)
                            .filter(v -> !Double.isNaN(v))
                            .max()
                            .orElse(Double.NaN));
            summary.put(
                    "trainingSeconds", history.stream().mapToDouble(EpochMetrics::seconds).sum());
        }
        summary.put("skippedSamples", checks.skippedSamples());
        summary.put("output", settings.output().toString());
        summary.put(RunStart.SKIPPED_NON_FINITE, skippedNonFinite);
        return summary;
    }
}
