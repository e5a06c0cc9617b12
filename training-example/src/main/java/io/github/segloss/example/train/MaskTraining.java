package io.github.segloss.example.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListener.BatchData;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.segloss.example.data.DataChecks;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.data.InstanceBatch;
import io.github.segloss.example.data.InstanceBatches;
import io.github.segloss.example.data.JointAugmentation;
import io.github.segloss.example.data.SampleSource;
import io.github.segloss.example.model.MaskRcnnHead;
import io.github.segloss.example.report.EpochMetrics;
import io.github.segloss.example.report.LossCurve;
import io.github.segloss.example.report.MetricsCsv;
import io.github.segloss.example.report.ProgressBar;
import io.github.segloss.example.report.SummaryJson;
import io.github.segloss.loss.MaskRcnnMaskLoss;
import io.github.segloss.metric.MaskRcnnMaskMetric;
import io.github.segloss.metric.MaskRcnnMaskMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * Trains the example's Mask R-CNN-style mask head ({@link MaskRcnnHead}) with segloss's {@link
 * MaskRcnnMaskLoss} on the ground-truth boxes of each image, jittered in training, and writes the
 * run's outputs: checkpoints, {@code metrics.csv}, {@code loss-curve.png} and {@code summary.json}.
 *
 * <p>Per batch the images and all their instances are gathered ({@link InstanceBatches}); the
 * block's input is {@code NDList(images, boxes, batchIndices)} and the labels are {@code
 * NDList(classIds, targets)}, classIds the instances' class index − 1 and targets {@code
 * MaskTargets.project(masks, boxes, arange(R), 28, aligned = true) >= 0.5}: detectron2's binary
 * targets, the ground-truth mask cropped to the (jittered) box and resized to 28×28. DJL's {@link
 * Trainer} carries the loss and the evaluators (the three {@link MaskRcnnMaskMetrics} and {@link
 * MaskIoU}); the step is a small loop of forward, backward and {@code trainer.step()} on one
 * device. A batch without RoIs (all its images lost their instances to the augmentation's crop) has
 * nothing to learn and is skipped: no step, and it adds nothing to the metrics.
 *
 * <p>RoIs per image: in training an image with more than {@link #optMaxRoisPerImage} instances
 * (default {@value #DEFAULT_MAX_ROIS_PER_IMAGE}) trains on a seeded random sample of that many, new
 * each epoch, as detectron2 samples at most 128 foreground RoIs per image; the run says once how
 * many images were capped. Validation evaluates every instance, in forward passes of at most cap ×
 * batch size RoIs, so its memory is bounded too.
 *
 * <p>{@code metrics.csv} keeps the semantic task's columns: {@code mIoU} holds the validation mask
 * IoU (mean over RoIs), {@code pixel_accuracy} the mask accuracy ({@code mask_rcnn/accuracy}), and
 * the {@code iou_<class>} columns the mask IoU of each object class's RoIs (background has no RoIs
 * and no column). The false-positive and false-negative rates are printed every epoch and written
 * to {@code summary.json} for the last one.
 */
public final class MaskTraining {

    /**
     * The default most RoIs (instances) per training image: detectron2's mask head sees at most 25%
     * of 512 sampled proposals per image as foreground, 128 masks.
     */
    public static final int DEFAULT_MAX_ROIS_PER_IMAGE = 128;

    private static final int PREFETCH = 2;
    private static final float MIN_SCALE = 0.75f;
    private static final float MAX_SCALE = 1.25f;

    private final MaskSettings settings;
    private final PrintStream out;
    private ExecutorService loaders;
    private DataChecks checks;
    private int skipNonFiniteBatches;
    private boolean overwrite;
    private StopNotice stop;
    private int maxRoisPerImage = DEFAULT_MAX_ROIS_PER_IMAGE;
    private boolean cappedLogged;

    /**
     * Creates a run.
     *
     * @param settings the settings
     * @param out where progress goes
     */
    public MaskTraining(MaskSettings settings, PrintStream out) {
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
    public MaskTraining optSkipNonFiniteBatches(int count) {
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
    public MaskTraining optOverwrite(boolean overwrite) {
        this.overwrite = overwrite;
        return this;
    }

    /**
     * Caps the RoIs of each training image ({@code --max-rois-per-image}): an image with more
     * instances trains on a seeded random sample of this many, and validation forwards at most this
     * many times the batch size RoIs at once.
     *
     * @param cap the most RoIs per image, >= 1 (default {@value #DEFAULT_MAX_ROIS_PER_IMAGE})
     * @return this run
     * @throws IllegalArgumentException if cap is below 1
     */
    public MaskTraining optMaxRoisPerImage(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("--max-rois-per-image must be >= 1, got " + cap);
        }
        this.maxRoisPerImage = cap;
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
     * @throws TrainingDivergedException if a loss or the parameters stop being finite
     * @throws TrainingOutOfMemoryException if a batch does not fit in memory
     */
    public Map<String, Object> run() throws IOException {
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

    private Map<String, Object> runInClaimedFolder() throws IOException {
        checks = DataChecks.of(settings.maxImagePixels(), settings.skipBadSamples(), out::println);
        loaders = Loaders.start("segloss-mask-data");
        try {
            return train();
        } finally {
            loaders.shutdownNow();
        }
    }

    private Map<String, Object> train() throws IOException {
        SampleSource train = open("train");
        SampleSource validation = open("val");
        List<String> classes = train.classes();
        if (classes.size() < 2) {
            throw new IllegalArgumentException(
                    "the mask task needs at least one object class besides background, got "
                            + classes);
        }
        List<String> objectClasses = classes.subList(1, classes.size());
        int maskClasses = settings.classAgnostic() ? 1 : objectClasses.size();
        Device[] devices = Devices.parse(settings.devices(), settings.engine());
        if (devices.length != 1) {
            throw new IllegalArgumentException(
                    "--devices "
                            + settings.devices()
                            + ": the mask task trains on one device, got "
                            + devices.length
                            + " (choose one, e.g. gpu:0)");
        }
        int size = settings.imageSize();
        InstanceBatches trainBatches =
                new InstanceBatches(
                                train,
                                new JointAugmentation(size, MIN_SCALE, MAX_SCALE, true),
                                size,
                                settings.batchSize(),
                                true,
                                settings.jitter(),
                                settings.seed(),
                                settings.maxBatches())
                        .optMaxRoisPerImage(maxRoisPerImage);
        InstanceBatches validationBatches =
                new InstanceBatches(
                        validation,
                        null,
                        size,
                        settings.batchSize(),
                        false,
                        0,
                        settings.seed(),
                        settings.maxBatches());

        Path output = settings.output();
        Path checkpoints = output.resolve("checkpoints");
        RunStart runStart =
                RunStart.find(output, settings.resume(), description(classes, maskClasses, 0));
        int firstEpoch = runStart.firstEpoch();

        MaskRcnnMaskLoss loss =
                MaskRcnnMaskLoss.builder()
                        .optName("mask_loss")
                        .optClassAgnostic(settings.classAgnostic())
                        .build();
        List<MaskRcnnMaskMetric> metrics = MaskRcnnMaskMetrics.all(settings.classAgnostic());
        MaskIoU maskIoU = new MaskIoU("mask_iou", objectClasses.size());
        int batchesPerEpoch = trainBatches.size();
        Tracker schedule =
                ShiftedTracker.poly(
                        settings.learningRate(),
                        settings.epochs() * batchesPerEpoch,
                        (firstEpoch - 1) * batchesPerEpoch);
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(Optimizer.adam().optLearningRateTracker(schedule).build())
                        .optDevices(devices)
                        .addEvaluator(maskIoU)
                        .addTrainingListeners(new EvaluatorTrainingListener());
        metrics.forEach(config::addEvaluator);
        Engine.getEngine(settings.engine()).setRandomSeed((int) settings.seed());
        Files.createDirectories(output);

        try (Model model = Model.newInstance("mask-head", devices[0], settings.engine())) {
            MaskRcnnHead net = new MaskRcnnHead(maskClasses, settings.width());
            model.setBlock(net);
            try (Trainer trainer = model.newTrainer(config)) {
                int batch = settings.batchSize();
                runStart.initialize(
                        trainer,
                        settings.pretrained(),
                        out,
                        new Shape(batch, 3, size, size),
                        new Shape(batch, 4),
                        new Shape(batch));
                List<EpochMetrics> history = runStart.history(output, objectClasses, out);

                Map<String, Double> lastRates = new LinkedHashMap<>();
                NonFiniteBatches guard =
                        new NonFiniteBatches(
                                skipNonFiniteBatches,
                                runStart.skippedNonFinite(),
                                net,
                                trainer.getManager(),
                                runStart.checkpoint());
                for (int epoch = firstEpoch; epoch <= settings.epochs(); epoch++) {
                    net.freezeBackbone(epoch <= settings.freezeBackboneEpochs());
                    long start = System.nanoTime();
                    long images = trainEpoch(trainer, trainBatches, epoch, guard);
                    logCapped(trainBatches);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    validate(trainer, validationBatches);
                    guard.checkParameters(epoch);
                    EpochMetrics row =
                            epochMetrics(epoch, loss, metrics, maskIoU, seconds, images / seconds);
                    lastRates.put("falsePositiveRate", validated(metrics.get(1)));
                    lastRates.put("falseNegativeRate", validated(metrics.get(2)));
                    trainer.notifyListeners(listener -> listener.onEpoch(trainer));
                    history.add(row);
                    out.printf(
                            "epoch %d/%d: loss %.4f, val loss %.4f, mask IoU %.4f, mask acc %.4f,"
                                    + " false pos %.4f, false neg %.4f%n",
                            epoch,
                            settings.epochs(),
                            row.trainLoss().get("loss"),
                            row.validationLoss(),
                            row.meanIoU(),
                            row.pixelAccuracy(),
                            lastRates.get("falsePositiveRate"),
                            lastRates.get("falseNegativeRate"));
                    MetricsCsv.write(output.resolve("metrics.csv"), objectClasses, history);
                    LossCurve.write(output.resolve("loss-curve.png"), history, 800, 500);
                    MaskPreviews.write(
                            output.resolve("predictions.png"),
                            trainer,
                            validationBatches.batch(0, 0).slices(validationRois()).get(0),
                            settings.classAgnostic());
                    FaultHooks.reached("outputs:" + epoch);
                    guard.saved(
                            Checkpoints.save(
                                    checkpoints,
                                    epoch,
                                    net,
                                    RunStart.withMetrics(
                                            description(classes, maskClasses, guard.skipped()),
                                            row)));
                }
                Map<String, Object> summary =
                        summary(classes, objectClasses, history, lastRates, guard.skipped());
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
        return DataSources.open(settings.format(), root, split, 0.2, settings.seed(), checks);
    }

    /** Trains one epoch; returns the images trained on. */
    private long trainEpoch(
            Trainer trainer, InstanceBatches batches, int epoch, NonFiniteBatches guard) {
        ProgressBar bar =
                new ProgressBar(
                        out, epoch, settings.epochs(), batches.size(), System.console() != null);
        long images = 0;
        long rois = 0;
        int done = 0;
        long start = System.nanoTime();
        try {
            for (InstanceBatch instances : batches.epoch(epoch - 1, loaders, PREFETCH)) {
                done++;
                stop.batch(epoch, done);
                if (instances.instances() > 0) {
                    try (NDManager manager = trainer.getManager().newSubManager()) {
                        Batch batch = RoiBatch.create(manager, instances, done, batches.size());
                        guard.beforeBatch();
                        FaultHooks.beforeBatch(epoch, done, batch.getData());
                        step(trainer, batch, guard, epoch, done);
                    }
                    images += instances.images();
                    rois += instances.instances();
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
        if (rois == 0) {
            throw new IllegalArgumentException(
                    "--data "
                            + settings.data()
                            + ": no training image has an instance; "
                            + MaskSettings.NEEDS_INSTANCES);
        }
        bar.finish(String.format("%d images, %d RoIs", images, rois) + guard.endEpoch());
        return images;
    }

    /**
     * Forward on one batch with RoIs; if the guard admits its loss, backward; if it admits the
     * gradients, update and the training listeners.
     */
    private static void step(
            Trainer trainer, Batch batch, NonFiniteBatches guard, int epoch, int number) {
        NDList data = batch.getData();
        NDList labels = batch.getLabels();
        NDList predictions;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            predictions = trainer.forward(data, labels);
            NDArray loss = trainer.getLoss().evaluate(labels, predictions);
            if (guard.admitLoss(loss.getFloat(), epoch, number)) {
                collector.backward(loss);
            }
        }
        if (!guard.admitStep(epoch, number)) {
            return;
        }
        trainer.step();
        notify(trainer, batch, predictions, true);
    }

    private void validate(Trainer trainer, InstanceBatches batches) {
        int done = 0;
        try {
            for (InstanceBatch instances : batches.epoch(0, loaders, PREFETCH)) {
                done++;
                if (instances.instances() == 0) {
                    continue;
                }
                // every instance counts; a batch with many is evaluated in slices
                for (InstanceBatch slice : instances.slices(validationRois())) {
                    try (NDManager manager = trainer.getManager().newSubManager()) {
                        Batch batch = RoiBatch.create(manager, slice, done, batches.size());
                        NDList predictions = trainer.evaluate(batch.getData());
                        notify(trainer, batch, predictions, false);
                    }
                }
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            OutOfMemory.rethrowOnBatch(
                    e, settings.batchSize(), settings.imageSize(), trainer.getDevices());
            throw e;
        }
    }

    /** The most RoIs of one validation forward pass: the training cap times the batch size. */
    private int validationRois() {
        return Math.toIntExact(
                Math.min(Integer.MAX_VALUE, (long) maxRoisPerImage * settings.batchSize()));
    }

    /** Says once per run that some training images have more instances than the cap. */
    private void logCapped(InstanceBatches batches) {
        if (!cappedLogged && batches.cappedImages() > 0) {
            cappedLogged = true;
            out.println(
                    batches.cappedImages()
                            + " training image(s) have more than "
                            + maxRoisPerImage
                            + " instances: each epoch trains on a seeded random sample of "
                            + maxRoisPerImage
                            + " of them per image (--max-rois-per-image); validation counts every"
                            + " instance");
        }
    }

    private static void notify(Trainer trainer, Batch batch, NDList predictions, boolean training) {
        Device device = predictions.head().getDevice();
        Map<Device, NDList> labels = new ConcurrentHashMap<>();
        Map<Device, NDList> outputs = new ConcurrentHashMap<>();
        labels.put(device, batch.getLabels());
        outputs.put(device, predictions);
        BatchData data = new BatchData(batch, labels, outputs);
        if (training) {
            trainer.notifyListeners(listener -> listener.onTrainingBatch(trainer, data));
        } else {
            trainer.notifyListeners(listener -> listener.onValidationBatch(trainer, data));
        }
    }

    private static double validated(MaskRcnnMaskMetric metric) {
        return metric.getAccumulator(EvaluatorTrainingListener.VALIDATE_EPOCH);
    }

    private static EpochMetrics epochMetrics(
            int epoch,
            MaskRcnnMaskLoss loss,
            List<MaskRcnnMaskMetric> metrics,
            MaskIoU maskIoU,
            double seconds,
            double imagesPerSecond) {
        String validate = EvaluatorTrainingListener.VALIDATE_EPOCH;
        Map<String, Double> trainLoss = new LinkedHashMap<>();
        trainLoss.put("loss", (double) loss.getAccumulator(EvaluatorTrainingListener.TRAIN_EPOCH));
        return new EpochMetrics(
                epoch,
                trainLoss,
                loss.getAccumulator(validate),
                maskIoU.getAccumulator(validate),
                validated(metrics.get(0)),
                maskIoU.getPerClassIoU(validate),
                seconds,
                imagesPerSecond);
    }

    private JsonObject description(List<String> classes, int maskClasses, int skippedNonFinite) {
        JsonObject json = new JsonObject();
        json.addProperty("task", "mask");
        JsonArray names = new JsonArray();
        classes.forEach(names::add);
        json.add("classes", names);
        JsonObject model = new JsonObject();
        model.addProperty("name", "MaskRcnnHead");
        model.addProperty("width", settings.width());
        model.addProperty("imageSize", settings.imageSize());
        model.addProperty("classAgnostic", settings.classAgnostic());
        model.addProperty("maskClasses", maskClasses);
        model.addProperty("roiSize", MaskRcnnHead.ROI_SIZE);
        model.addProperty("maskSize", MaskRcnnHead.MASK_SIZE);
        model.addProperty("stride", MaskRcnnHead.STRIDE);
        json.add("model", model);
        json.addProperty("engine", settings.engine());
        json.add("commandLine", new Gson().toJsonTree(settings.commandLine()));
        json.addProperty(RunStart.SKIPPED_NON_FINITE, skippedNonFinite);
        return json;
    }

    private Map<String, Object> summary(
            List<String> classes,
            List<String> objectClasses,
            List<EpochMetrics> history,
            Map<String, Double> lastRates,
            int skippedNonFinite) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("task", "mask");
        summary.put("engine", settings.engine());
        summary.put("devices", settings.devices());
        summary.put("classes", classes);
        summary.put("classAgnostic", settings.classAgnostic());
        summary.put("epochs", history.size());
        if (!history.isEmpty()) {
            EpochMetrics last = history.get(history.size() - 1);
            summary.put("trainLoss", last.trainLoss().get("loss"));
            summary.put("validationLoss", last.validationLoss());
            summary.put("maskIoU", last.meanIoU());
            summary.put("maskAccuracy", last.pixelAccuracy());
            summary.putAll(lastRates);
            Map<String, Double> perClass = new LinkedHashMap<>();
            for (int c = 0; c < objectClasses.size(); c++) {
                perClass.put(objectClasses.get(c), last.perClassIoU()[c]);
            }
            summary.put("classMaskIoU", perClass);
            summary.put(
                    "bestMaskIoU",
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
