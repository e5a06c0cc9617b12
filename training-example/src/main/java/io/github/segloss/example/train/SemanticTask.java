package io.github.segloss.example.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import com.google.gson.JsonObject;
import io.github.segloss.example.data.JointAugmentation;
import io.github.segloss.example.data.Sample;
import io.github.segloss.example.data.SampleSource;
import io.github.segloss.example.data.SemanticDataset;
import io.github.segloss.example.model.PspNet;
import io.github.segloss.example.report.EpochMetrics;
import io.github.segloss.example.report.Overlay;
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
 * The semantic task: the example's PSPNet (or a TorchScript model returning {@code (out, aux)})
 * trained with segloss's deep supervision, judged by {@link MeanIoU} and the pixel accuracy (from
 * the same confusion matrix) on the validation split every epoch; previews of the first validation
 * images go to {@code predictions.png}.
 */
public final class SemanticTask implements TrainingTask {

    private static final int PREVIEWS = 4;

    private final RunSettings settings;
    private final Options options;
    private final PrintStream out;
    private List<String> classes;
    private DeepSupervisionLoss loss;
    private MeanIoU meanIoU;
    private SemanticDataset trainSet;
    private SemanticDataset validationSet;
    private List<Sample> previews;
    private int batchesPerEpoch;

    /**
     * The semantic task's own settings.
     *
     * @param loss the loss of each head
     * @param classWeights none, auto or a list of weights
     * @param auxWeight the weight of the auxiliary head
     * @param torchscript a TorchScript model returning (out, aux) to fine-tune instead of the
     *     built-in PSPNet, or {@code null}
     */
    public record Options(
            LossChoice loss, String classWeights, float auxWeight, Path torchscript) {}

    SemanticTask(RunSettings settings, Options options, PrintStream out) {
        this.settings = settings;
        this.options = options;
        this.out = out;
    }

    /** {@inheritDoc} */
    @Override
    public Path modelFile() {
        return options.torchscript();
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "semantic";
    }

    /** {@inheritDoc} */
    @Override
    public void validate(RunSettings settings, Device[] devices) {
        if (settings.batchSize() < 2) {
            throw new IllegalArgumentException(
                    "--batch-size must be >= 2 for semantic training (batch normalisation of the"
                            + " pyramid's 1x1 bin needs two images), got "
                            + settings.batchSize());
        }
        int size = settings.imageSize();
        if (size < 32 || size % 32 != 0) {
            throw new IllegalArgumentException(
                    "--image-size must be a positive multiple of 32, got " + size);
        }
        if (!(options.auxWeight() >= 0)) {
            throw new IllegalArgumentException(
                    "--aux-weight must be >= 0, got " + options.auxWeight());
        }
        Path torchscript = options.torchscript();
        if (torchscript != null && !settings.engine().equals("PyTorch")) {
            throw new IllegalArgumentException(
                    "--torchscript needs --engine PyTorch, got " + settings.engine());
        }
        if (torchscript != null && !Files.isRegularFile(torchscript)) {
            throw new IllegalArgumentException("--torchscript " + torchscript + ": no such file");
        }
    }

    /** {@inheritDoc} */
    @Override
    public void prepare(SampleSource train, SampleSource validation, ExecutorService loaders) {
        classes = train.classes();
        int numClasses = classes.size();
        float[] classWeights = ClassWeighting.parse(options.classWeights(), numClasses, train);
        loss = options.loss().deepSupervision(options.auxWeight(), classWeights);
        meanIoU = new MeanIoU("mIoU", numClasses, LossChoice.IGNORE);
        if (train.size() < 2) {
            throw new IllegalArgumentException(
                    "semantic training needs at least 2 training images (batch normalisation of"
                            + " the pyramid's 1x1 bin), got "
                            + train.size());
        }
        int size = settings.imageSize();
        batchesPerEpoch = trainingBatches(train.size(), settings.batchSize());
        if (settings.maxBatches() > 0) {
            batchesPerEpoch = Math.min(batchesPerEpoch, settings.maxBatches());
        }
        trainSet = dataset(train, new JointAugmentation(size, 0.75f, 1.25f, true), true, loaders);
        validationSet = dataset(validation, null, false, loaders);
        previews = new ArrayList<>();
        for (int i = 0; i < Math.min(PREVIEWS, validation.size()); i++) {
            previews.add(JointAugmentation.resizeTo(validation.get(i), size));
        }
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
            SampleSource source,
            JointAugmentation augmentation,
            boolean shuffle,
            ExecutorService loaders) {
        SemanticDataset.Builder builder =
                SemanticDataset.builder()
                        .setSource(source)
                        .optSeed(settings.seed())
                        .optExecutor(loaders)
                        .optPrefetchNumber(Loaders.PREFETCH)
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

    /** {@inheritDoc} */
    @Override
    public List<String> metricClasses() {
        return classes;
    }

    /** {@inheritDoc} */
    @Override
    public JsonObject modelDescription() {
        JsonObject model = new JsonObject();
        Path torchscript = options.torchscript();
        model.addProperty("name", torchscript == null ? "PspNet" : "TorchScript");
        if (torchscript != null) {
            model.addProperty("torchscript", torchscript.toAbsolutePath().normalize().toString());
        }
        model.addProperty("width", settings.width());
        model.addProperty("imageSize", settings.imageSize());
        return model;
    }

    /** {@inheritDoc} */
    @Override
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** {@inheritDoc} */
    @Override
    public Loss loss() {
        return loss;
    }

    /** {@inheritDoc} */
    @Override
    public void configure(DefaultTrainingConfig config) {
        // mIoU on validation batches only (it is never reported for training)
        config.addTrainingListeners(new EvaluatorTrainingListener(), new ValidationMetric(meanIoU));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The built-in PSPNet, or the TorchScript model of {@code --torchscript}: the file's, or,
     * when resuming, the checkpoint's whole module (its batch-norm statistics included).
     */
    @Override
    public Block createModel(Model model, Path resumeFrom) throws IOException {
        Path torchscript = options.torchscript();
        if (torchscript == null) {
            PspNet net = new PspNet(classes.size(), settings.width());
            model.setBlock(net);
            return net;
        }
        Path file = torchscript.toAbsolutePath();
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

    /** {@inheritDoc} */
    @Override
    public Shape[] inputShapes(int images) {
        int size = settings.imageSize();
        return new Shape[] {new Shape(images, 3, size, size)};
    }

    /**
     * {@inheritDoc}
     *
     * <p>The model's main head must predict one channel per class of the data, at the input's size.
     */
    @Override
    public void checkModel(Trainer trainer) {
        int size = settings.imageSize();
        int numClasses = classes.size();
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDList outputs =
                    trainer.evaluate(new NDList(manager.zeros(new Shape(1, 3, size, size))));
            Shape shape = outputs.head().getShape();
            if (shape.get(1) != numClasses || shape.get(2) != size) {
                throw new IllegalArgumentException(
                        "the model predicts "
                                + shape
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

    /**
     * {@inheritDoc}
     *
     * <p>The shuffle and augmentation are those of the epoch, also in a resumed run.
     */
    @Override
    public Iterable<Batch> trainingBatches(Trainer trainer, int epoch) throws IOException {
        trainSet.setEpoch(epoch - 1);
        return iterate(trainer, trainSet);
    }

    /** {@inheritDoc} */
    @Override
    public String endTrainingEpoch(long images) {
        return "";
    }

    /** {@inheritDoc} */
    @Override
    public Iterable<Batch> validationBatches(Trainer trainer) throws IOException {
        return iterate(trainer, validationSet);
    }

    private static Iterable<Batch> iterate(Trainer trainer, SemanticDataset dataset)
            throws IOException {
        try {
            return trainer.iterateDataset(dataset);
        } catch (TranslateException e) {
            throw new IOException("cannot batch the data: " + e.getMessage(), e);
        }
    }

    /** {@inheritDoc} */
    @Override
    public EpochMetrics epochMetrics(int epoch, double seconds, double imagesPerSecond) {
        String train = EvaluatorTrainingListener.TRAIN_EPOCH;
        String validate = EvaluatorTrainingListener.VALIDATE_EPOCH;
        Map<String, Double> trainLoss = new LinkedHashMap<>();
        trainLoss.put("loss", (double) loss.getAccumulator(train));
        for (HeadLoss head : loss.getHeads()) {
            trainLoss.put(head.getName(), (double) head.getAccumulator(train));
        }
        return new EpochMetrics(
                epoch,
                trainLoss,
                loss.getAccumulator(validate),
                meanIoU.getAccumulator(validate),
                pixelAccuracy(meanIoU.getConfusionMatrix(validate)),
                widened(meanIoU.getPerClassIoU(validate)),
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

    /** {@inheritDoc} */
    @Override
    public String epochLine(EpochMetrics row) {
        return String.format("mIoU %.4f, pixel acc %.4f", row.meanIoU(), row.pixelAccuracy());
    }

    /** {@inheritDoc} */
    @Override
    public void writePreviews(Trainer trainer, Path file) throws IOException {
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

    /** {@inheritDoc} */
    @Override
    public void summarize(Map<String, Object> summary, List<EpochMetrics> history) {
        EpochMetrics last = history.get(history.size() - 1);
        summary.put("meanIoU", last.meanIoU());
        summary.put("pixelAccuracy", last.pixelAccuracy());
        summary.put("bestMeanIoU", best(history));
    }

    /** The per-class IoUs that a library metric reports as floats, as an epoch row keeps them. */
    static double[] widened(float[] perClass) {
        double[] iou = new double[perClass.length];
        for (int c = 0; c < iou.length; c++) {
            iou[c] = perClass[c];
        }
        return iou;
    }

    /** The best validation metric of the run (NaN epochs left out). */
    static double best(List<EpochMetrics> history) {
        return history.stream()
                .mapToDouble(EpochMetrics::meanIoU)
                .filter(v -> !Double.isNaN(v))
                .max()
                .orElse(Double.NaN);
    }
}
