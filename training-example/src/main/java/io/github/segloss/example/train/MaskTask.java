package io.github.segloss.example.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.loss.Loss;
import com.google.gson.JsonObject;
import io.github.segloss.example.data.InstanceBatch;
import io.github.segloss.example.data.InstanceBatches;
import io.github.segloss.example.data.JointAugmentation;
import io.github.segloss.example.data.SampleSource;
import io.github.segloss.example.model.MaskRcnnHead;
import io.github.segloss.example.report.EpochMetrics;
import io.github.segloss.loss.MaskRcnnMaskLoss;
import io.github.segloss.metric.MaskIoU;
import io.github.segloss.metric.MaskRcnnMaskMetric;
import io.github.segloss.metric.MaskRcnnMaskMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;

/**
 * The mask task: the example's Mask R-CNN-style mask head ({@link MaskRcnnHead}) trained with
 * segloss's {@link MaskRcnnMaskLoss} on the ground-truth boxes of each image, jittered in training.
 *
 * <p>Per batch the images and all their instances are gathered ({@link InstanceBatches}); the
 * block's input is {@code NDList(images, boxes, batchIndices)} and the labels are {@code
 * NDList(classIds, targets)}, classIds the instances' class index − 1 and targets {@code
 * MaskTargets.project(masks, boxes, arange(R), 28, aligned = true) >= 0.5}: detectron2's binary
 * targets, the ground-truth mask cropped to the (jittered) box and resized to 28×28 ({@link
 * RoiBatch}). DJL's {@link Trainer} carries the loss and the evaluators (the three {@link
 * MaskRcnnMaskMetrics} and {@link MaskIoU}) on one device. A batch without RoIs (all its images
 * lost their instances to the augmentation's crop) has nothing to learn: it is skipped, no step,
 * and it adds nothing to the metrics.
 *
 * <p>RoIs per image: in training an image with more than {@link Options#maxRoisPerImage} instances
 * trains on a seeded random sample of that many, new each epoch, as detectron2 samples at most 128
 * foreground RoIs per image; the run says once how many images were capped. Validation evaluates
 * every instance, in forward passes of at most cap × batch size RoIs, so its memory is bounded too.
 *
 * <p>{@code metrics.csv} keeps the semantic task's columns: {@code mIoU} holds the validation mask
 * IoU (mean over RoIs), {@code pixel_accuracy} the mask accuracy ({@code mask_rcnn/accuracy}), and
 * the {@code iou_<class>} columns the mask IoU of each object class's RoIs (background has no RoIs
 * and no column). The false-positive and false-negative rates are printed every epoch and written
 * to {@code summary.json} for the last one.
 *
 * <p>Instance metrics ({@link InstanceValidation}): every epoch each validation instance's
 * predicted mask, pasted into its ground-truth box at the validation image's resolution and
 * thresholded at 0.5 ({@code InstanceMasks.paste}), is scored against its ground-truth mask: COCO
 * mask AP ({@code MaskAveragePrecision}, the detections being the instances on their ground-truth
 * boxes with their ground-truth classes, scored by their mean mask probability over their predicted
 * pixels) in the columns {@code mask_ap}, {@code mask_ap50} and {@code mask_ap75}, and the mean
 * instance Boundary IoU ({@code BoundaryIoU.of}, dilation ratio 0.02) in {@code boundary_iou};
 * printed each epoch and written to {@code summary.json} ({@code maskAP}, {@code maskAP50}, {@code
 * maskAP75}, {@code boundaryIoU}) for the last one. With ground-truth boxes this AP measures the
 * mask head alone: it is an upper bound for the AP of a full detector with this head.
 */
public final class MaskTask implements TrainingTask {

    /**
     * The default most RoIs (instances) per training image: detectron2's mask head sees at most 25%
     * of 512 sampled proposals per image as foreground, 128 masks.
     */
    public static final int DEFAULT_MAX_ROIS_PER_IMAGE = 128;

    /** The message for a dataset format without instances. */
    public static final String NEEDS_INSTANCES =
            "the mask task needs instances (synthetic, voc or coco)";

    private static final float MIN_SCALE = 0.75f;
    private static final float MAX_SCALE = 1.25f;

    private final RunSettings settings;
    private final Options options;
    private final PrintStream out;
    private List<String> objectClasses;
    private int maskClasses;
    private InstanceBatches trainBatches;
    private InstanceBatches validationBatches;
    private ExecutorService loaders;
    private MaskRcnnMaskLoss loss;
    private List<MaskRcnnMaskMetric> metrics;
    private MaskIoU maskIoU;
    private InstanceValidation instanceValidation;
    private double falsePositiveRate = Double.NaN;
    private double falseNegativeRate = Double.NaN;
    private long epochRois;
    private boolean cappedLogged;

    /**
     * The mask task's own settings.
     *
     * @param classAgnostic whether the head predicts one mask per RoI (K = 1) instead of one per
     *     class
     * @param jitter the largest box jitter in training, as a fraction of the box size
     * @param maxRoisPerImage the most RoIs per training image, >= 1
     */
    public record Options(boolean classAgnostic, float jitter, int maxRoisPerImage) {}

    MaskTask(RunSettings settings, Options options, PrintStream out) {
        this.settings = settings;
        this.options = options;
        this.out = out;
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "mask";
    }

    /** {@inheritDoc} */
    @Override
    public void validate(RunSettings settings, Device[] devices) {
        int stride = MaskRcnnHead.STRIDE;
        int size = settings.imageSize();
        if (size < 16 || size % stride != 0) {
            throw new IllegalArgumentException(
                    "--image-size must be a multiple of " + stride + " from 16 on, got " + size);
        }
        if (!(options.jitter() >= 0 && options.jitter() < 0.5f)) {
            throw new IllegalArgumentException(
                    "--jitter must lie in [0, 0.5), got " + options.jitter());
        }
        if (options.maxRoisPerImage() < 1) {
            throw new IllegalArgumentException(
                    "--max-rois-per-image must be >= 1, got " + options.maxRoisPerImage());
        }
        if (!settings.data().equals("synthetic")
                && "folder".equals(settings.format().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(
                    "--format folder: " + NEEDS_INSTANCES + "; folder datasets have none");
        }
        if (devices.length != 1) {
            throw new IllegalArgumentException(
                    "--devices "
                            + settings.devices()
                            + ": the mask task trains on one device, got "
                            + devices.length
                            + " (choose one, e.g. gpu:0)");
        }
    }

    /** {@inheritDoc} */
    @Override
    public void prepare(SampleSource train, SampleSource validation, ExecutorService loaders) {
        List<String> classes = train.classes();
        if (classes.size() < 2) {
            throw new IllegalArgumentException(
                    "the mask task needs at least one object class besides background, got "
                            + classes);
        }
        this.loaders = loaders;
        objectClasses = classes.subList(1, classes.size());
        maskClasses = options.classAgnostic() ? 1 : objectClasses.size();
        int size = settings.imageSize();
        trainBatches =
                new InstanceBatches(
                                train,
                                new JointAugmentation(size, MIN_SCALE, MAX_SCALE, true),
                                size,
                                settings.batchSize(),
                                true,
                                options.jitter(),
                                settings.seed(),
                                settings.maxBatches())
                        .optMaxRoisPerImage(options.maxRoisPerImage());
        validationBatches =
                new InstanceBatches(
                        validation,
                        null,
                        size,
                        settings.batchSize(),
                        false,
                        0,
                        settings.seed(),
                        settings.maxBatches());
        loss =
                MaskRcnnMaskLoss.builder()
                        .optName("mask_loss")
                        .optClassAgnostic(options.classAgnostic())
                        .build();
        metrics = MaskRcnnMaskMetrics.all(options.classAgnostic());
        maskIoU = new MaskIoU("mask_iou", objectClasses.size(), options.classAgnostic());
        instanceValidation = new InstanceValidation(objectClasses.size());
    }

    /** {@inheritDoc} */
    @Override
    public List<String> metricClasses() {
        return objectClasses;
    }

    /** {@inheritDoc} */
    @Override
    public JsonObject modelDescription() {
        JsonObject model = new JsonObject();
        model.addProperty("name", "MaskRcnnHead");
        model.addProperty("width", settings.width());
        model.addProperty("imageSize", settings.imageSize());
        model.addProperty("classAgnostic", options.classAgnostic());
        model.addProperty("maskClasses", maskClasses);
        model.addProperty("roiSize", MaskRcnnHead.ROI_SIZE);
        model.addProperty("maskSize", MaskRcnnHead.MASK_SIZE);
        model.addProperty("stride", MaskRcnnHead.STRIDE);
        return model;
    }

    /** {@inheritDoc} */
    @Override
    public int batchesPerEpoch() {
        return trainBatches.size();
    }

    /** {@inheritDoc} */
    @Override
    public Loss loss() {
        return loss;
    }

    /** {@inheritDoc} */
    @Override
    public void configure(DefaultTrainingConfig config) {
        config.addEvaluator(maskIoU).addTrainingListeners(new EvaluatorTrainingListener());
        metrics.forEach(config::addEvaluator);
        config.addTrainingListeners(instanceValidation);
    }

    /** {@inheritDoc} */
    @Override
    public Block createModel(Model model, Path resumeFrom) {
        MaskRcnnHead net = new MaskRcnnHead(maskClasses, settings.width());
        model.setBlock(net);
        return net;
    }

    /** {@inheritDoc} */
    @Override
    public Path modelFile() {
        return null;
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] inputShapes(int images) {
        int size = settings.imageSize();
        return new Shape[] {
            new Shape(images, 3, size, size), new Shape(images, 4), new Shape(images)
        };
    }

    /** {@inheritDoc} */
    @Override
    public void checkModel(Trainer trainer) {}

    /** {@inheritDoc} */
    @Override
    public Iterable<Batch> trainingBatches(Trainer trainer, int epoch) {
        epochRois = 0;
        Iterable<InstanceBatch> epochBatches =
                trainBatches.epoch(epoch - 1, loaders, Loaders.PREFETCH);
        int total = trainBatches.size();
        return () ->
                new Iterator<>() {
                    private final Iterator<InstanceBatch> instances = epochBatches.iterator();
                    private int number;

                    @Override
                    public boolean hasNext() {
                        return instances.hasNext();
                    }

                    @Override
                    public Batch next() {
                        InstanceBatch next = instances.next();
                        number++;
                        if (next.instances() == 0) {
                            return null;
                        }
                        epochRois += next.instances();
                        return RoiBatch.create(
                                trainer.getManager().newSubManager(), next, number, total);
                    }
                };
    }

    /** {@inheritDoc} */
    @Override
    public String endTrainingEpoch(long images) {
        if (epochRois == 0) {
            throw new IllegalArgumentException(
                    "--data "
                            + settings.data()
                            + ": no training image has an instance; "
                            + NEEDS_INSTANCES);
        }
        if (!cappedLogged && trainBatches.cappedImages() > 0) {
            cappedLogged = true;
            out.println(
                    trainBatches.cappedImages()
                            + " training image(s) have more than "
                            + options.maxRoisPerImage()
                            + " instances: each epoch trains on a seeded random sample of "
                            + options.maxRoisPerImage()
                            + " of them per image (--max-rois-per-image); validation counts every"
                            + " instance");
        }
        return ", " + epochRois + " RoIs";
    }

    /**
     * {@inheritDoc}
     *
     * <p>Every instance counts: a batch with many is evaluated in slices of at most {@link
     * #validationRois} RoIs. Each slice is announced to the {@link InstanceValidation} listener
     * with the epoch-wide number of its first image, before DJL validates it.
     */
    @Override
    public Iterable<Batch> validationBatches(Trainer trainer) {
        int total = validationBatches.size();
        Iterable<InstanceBatch> epochBatches =
                validationBatches.epoch(0, loaders, Loaders.PREFETCH);
        return () ->
                new Iterator<>() {
                    private final Iterator<InstanceBatch> instances = epochBatches.iterator();
                    private Iterator<InstanceBatch> slices = List.<InstanceBatch>of().iterator();
                    private InstanceBatch whole;
                    private int slice;
                    private long imagesBefore;
                    private int number;

                    @Override
                    public boolean hasNext() {
                        while (!slices.hasNext() && instances.hasNext()) {
                            InstanceBatch next = instances.next();
                            number++;
                            if (next.instances() > 0) {
                                imagesBefore += whole == null ? 0 : whole.images();
                                whole = next;
                                slice = 0;
                                slices = next.slices(validationRois()).iterator();
                            }
                        }
                        return slices.hasNext();
                    }

                    @Override
                    public Batch next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        InstanceBatch part = slices.next();
                        instanceValidation.expect(
                                part,
                                InstanceValidation.firstImage(
                                        whole, slice++, validationRois(), imagesBefore));
                        return RoiBatch.create(
                                trainer.getManager().newSubManager(), part, number, total);
                    }
                };
    }

    /** The most RoIs of one validation forward pass: the training cap times the batch size. */
    private int validationRois() {
        return Math.toIntExact(
                Math.min(
                        Integer.MAX_VALUE,
                        (long) options.maxRoisPerImage() * settings.batchSize()));
    }

    private static double validated(MaskRcnnMaskMetric metric) {
        return metric.getAccumulator(EvaluatorTrainingListener.VALIDATE_EPOCH);
    }

    /** {@inheritDoc} */
    @Override
    public EpochMetrics epochMetrics(int epoch, double seconds, double imagesPerSecond) {
        String validate = EvaluatorTrainingListener.VALIDATE_EPOCH;
        // read now: DJL's listener resets the epoch's accumulators once the epoch is over
        falsePositiveRate = validated(metrics.get(1));
        falseNegativeRate = validated(metrics.get(2));
        Map<String, Double> instances = instanceValidation.finish();
        Map<String, Double> trainLoss = new LinkedHashMap<>();
        trainLoss.put("loss", (double) loss.getAccumulator(EvaluatorTrainingListener.TRAIN_EPOCH));
        return new EpochMetrics(
                epoch,
                trainLoss,
                loss.getAccumulator(validate),
                maskIoU.getAccumulator(validate),
                validated(metrics.get(0)),
                SemanticTask.widened(maskIoU.getPerClassIoU(validate)),
                seconds,
                imagesPerSecond,
                instances);
    }

    /** {@inheritDoc} */
    @Override
    public String epochLine(EpochMetrics row) {
        Map<String, Double> instances = row.extraMetrics();
        return String.format(
                "mask IoU %.4f, mask acc %.4f, false pos %.4f, false neg %.4f, mask AP %.4f"
                        + " (AP50 %.4f, AP75 %.4f), boundary IoU %.4f",
                row.meanIoU(),
                row.pixelAccuracy(),
                falsePositiveRate,
                falseNegativeRate,
                instances.get(InstanceValidation.MASK_AP),
                instances.get(InstanceValidation.MASK_AP50),
                instances.get(InstanceValidation.MASK_AP75),
                instances.get(InstanceValidation.BOUNDARY_IOU));
    }

    /** {@inheritDoc} */
    @Override
    public void writePreviews(Trainer trainer, Path file) throws IOException {
        MaskPreviews.write(
                file,
                trainer,
                validationBatches.batch(0, 0).slices(validationRois()).get(0),
                options.classAgnostic());
    }

    /** {@inheritDoc} */
    @Override
    public void summarize(Map<String, Object> summary, List<EpochMetrics> history) {
        EpochMetrics last = history.get(history.size() - 1);
        summary.put("classAgnostic", options.classAgnostic());
        summary.put("maskIoU", last.meanIoU());
        summary.put("maskAccuracy", last.pixelAccuracy());
        summary.put("falsePositiveRate", falsePositiveRate);
        summary.put("falseNegativeRate", falseNegativeRate);
        Map<String, Double> perClass = new LinkedHashMap<>();
        for (int c = 0; c < objectClasses.size(); c++) {
            perClass.put(objectClasses.get(c), last.perClassIoU()[c]);
        }
        summary.put("classMaskIoU", perClass);
        Map<String, Double> instances = last.extraMetrics();
        summary.put("maskAP", instances.getOrDefault(InstanceValidation.MASK_AP, Double.NaN));
        summary.put("maskAP50", instances.getOrDefault(InstanceValidation.MASK_AP50, Double.NaN));
        summary.put("maskAP75", instances.getOrDefault(InstanceValidation.MASK_AP75, Double.NaN));
        summary.put(
                "boundaryIoU", instances.getOrDefault(InstanceValidation.BOUNDARY_IOU, Double.NaN));
        summary.put("bestMaskIoU", SemanticTask.best(history));
    }
}
