package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.evaluator.Evaluator;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.metric.MaskIoU;
import io.github.segloss.metric.MaskRcnnMaskMetrics;
import io.github.segloss.metric.MeanIoU;
import io.github.segloss.metric.PixelAccuracy;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * What every loss and metric receives: empty lists, arrays of two engines or devices and non-finite
 * predictions give an {@link IllegalArgumentException} naming the argument, never an index error, a
 * class cast, an engine's message or a silent result.
 */
public class LibraryInputTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public LibraryInputTest(String engine) {
        super(engine);
    }

    /** A metric with fitting inputs: logits (2, 3, 4, 4) (mask logits for the mask metrics). */
    private record Metric(Evaluator metric, Function<NDManager, NDList> labels) {}

    private static List<Metric> metrics() {
        List<Metric> metrics = new ArrayList<>();
        metrics.add(new Metric(new MeanIoU(3), LossCatalog::classLabels));
        metrics.add(new Metric(new PixelAccuracy(), LossCatalog::classLabels));
        List<Evaluator> masks = new ArrayList<>(MaskRcnnMaskMetrics.all(false));
        masks.add(new MaskIoU("mask_iou", 3));
        for (Evaluator mask : masks) {
            metrics.add(
                    new Metric(
                            mask,
                            m ->
                                    new NDList(
                                            m.create(new long[] {0, 2}),
                                            LossCatalog.binary(m, new Shape(2, 4, 4)))));
        }
        return metrics;
    }

    private String otherEngine() {
        return "PyTorch".equals(engine) ? "MXNet" : "PyTorch";
    }

    @Test
    public void emptyListsAreNamedByEveryLoss() {
        for (LossCatalog.Entry entry : LossCatalog.all()) {
            NDList labels = entry.labels().apply(manager);
            NDList predictions = entry.predictions(manager, DataType.FLOAT32);
            Expect.illegalArgument(
                    () -> entry.loss().evaluate(new NDList(), predictions),
                    "labels must be an NDList of at least 1 array",
                    "got an empty NDList (0 arrays)");
            if (!(entry.loss() instanceof DeepSupervisionLoss)) {
                Expect.illegalArgument(
                        () -> entry.loss().evaluate(labels, new NDList()),
                        "predictions must be an NDList of at least 1 array",
                        "got an empty NDList (0 arrays)");
            }
        }
    }

    @Test
    public void emptyListsAreNamedByEveryMetric() {
        for (Metric m : metrics()) {
            NDList labels = m.labels().apply(manager);
            NDList predictions = new NDList(LossCatalog.values(manager, LossCatalog.SHAPE, 0));
            m.metric().addAccumulator("k");
            Expect.illegalArgument(
                    () -> m.metric().evaluate(new NDList(), predictions),
                    "labels must be an NDList of at least 1 array",
                    "got an empty NDList (0 arrays)");
            Expect.illegalArgument(
                    () -> m.metric().updateAccumulator("k", labels, new NDList()),
                    "predictions must be an NDList of at least 1 array",
                    "got an empty NDList (0 arrays)");
        }
    }

    @Test
    public void labelsOfAnotherEngineAreRefusedByEveryLoss() {
        try (NDManager other = NDManager.newBaseManager(otherEngine())) {
            for (LossCatalog.Entry entry : LossCatalog.all()) {
                // foreign labels, then foreign predictions: both orders of the two engines
                NDList labels = entry.labels().apply(other);
                NDList predictions = entry.predictions(manager, DataType.FLOAT32);
                Expect.illegalArgument(
                        () -> entry.loss().evaluate(labels, predictions),
                        "labels[0] must be on the engine and device of predictions[0] ("
                                + engine
                                + ", cpu()), got "
                                + otherEngine()
                                + ", cpu()");
                NDList ownLabels = entry.labels().apply(manager);
                NDList foreign = entry.predictions(other, DataType.FLOAT32);
                Expect.illegalArgument(
                        () -> entry.loss().evaluate(ownLabels, foreign),
                        "labels[0] must be on the engine and device of predictions[0] ("
                                + otherEngine()
                                + ", cpu()), got "
                                + engine);
            }
        }
    }

    @Test
    public void eachLabelAndHeadIsCheckedForItsEngine() {
        try (NDManager other = NDManager.newBaseManager(otherEngine())) {
            NDArray main = LossCatalog.values(manager, LossCatalog.SHAPE, 0);
            NDArray foreignAux = LossCatalog.values(other, LossCatalog.SHAPE, 1);
            NDList labels = LossCatalog.classLabels(manager);
            Expect.illegalArgument(
                    () ->
                            DeepSupervisionLoss.pspnet()
                                    .evaluate(labels, new NDList(main, foreignAux)),
                    "predictions[1] must be on the engine and device of predictions[0] (" + engine,
                    "got " + otherEngine());
            // the weights of BCE are labels[1]
            NDArray logits = LossCatalog.values(manager, LossCatalog.SHAPE, 0);
            NDList targetsAndForeignWeights =
                    new NDList(
                            LossCatalog.binary(manager, LossCatalog.SHAPE),
                            other.ones(LossCatalog.SHAPE));
            Expect.illegalArgument(
                    () ->
                            io.github.segloss.loss.BinaryCrossEntropyLoss.builder()
                                    .build()
                                    .evaluate(targetsAndForeignWeights, new NDList(logits)),
                    "labels[1] must be on the engine and device of predictions[0]",
                    "got " + otherEngine());
        }
    }

    @Test
    public void labelsOfAnotherEngineAreRefusedByEveryMetric() {
        try (NDManager other = NDManager.newBaseManager(otherEngine())) {
            for (Metric m : metrics()) {
                NDArray logits = LossCatalog.values(manager, LossCatalog.SHAPE, 0);
                m.metric().addAccumulator("k");
                Expect.illegalArgument(
                        () ->
                                m.metric()
                                        .updateAccumulator(
                                                "k", m.labels().apply(other), new NDList(logits)),
                        "labels[0] must be on the engine and device of predictions[0] (" + engine,
                        "got " + otherEngine());
                NDArray foreign = LossCatalog.values(other, LossCatalog.SHAPE, 0);
                Expect.illegalArgument(
                        () -> m.metric().evaluate(m.labels().apply(manager), new NDList(foreign)),
                        "labels[0] must be on the engine and device of predictions[0] ("
                                + otherEngine(),
                        "got " + engine);
            }
        }
    }

    /**
     * An array that reports another device and is otherwise the given one: a CPU-only machine has a
     * single device (both engines map {@code cpu(1)} to {@code cpu()}).
     */
    private static NDArray onDevice(NDArray array, Device device) {
        return (NDArray)
                Proxy.newProxyInstance(
                        NDArray.class.getClassLoader(),
                        new Class<?>[] {NDArray.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("getDevice") && args == null) {
                                return device;
                            }
                            try {
                                return method.invoke(array, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
    }

    @Test
    public void labelsOnAnotherDeviceAreRefused() {
        Device gpu = Device.gpu(0);
        NDArray logits = LossCatalog.values(manager, LossCatalog.SHAPE, 0);
        NDArray labelsOnGpu = onDevice(LossCatalog.classLabels(manager).head(), gpu);
        Expect.illegalArgument(
                () ->
                        PixelCrossEntropyLoss.builder()
                                .build()
                                .evaluate(new NDList(labelsOnGpu), new NDList(logits)),
                "labels[0] must be on the engine and device of predictions[0] ("
                        + engine
                        + ", cpu()), got "
                        + engine
                        + ", gpu(0)");
        NDArray auxOnGpu = onDevice(LossCatalog.values(manager, LossCatalog.SHAPE, 1), gpu);
        Expect.illegalArgument(
                () ->
                        DeepSupervisionLoss.pspnet()
                                .evaluate(
                                        LossCatalog.classLabels(manager),
                                        new NDList(logits, auxOnGpu)),
                "predictions[1] must be on the engine and device of predictions[0]",
                "got " + engine + ", gpu(0)");
        Expect.illegalArgument(
                () ->
                        new MeanIoU(3)
                                .evaluate(
                                        new NDList(labelsOnGpu),
                                        new NDList(onDevice(logits, Device.cpu()))),
                "labels[0] must be on the engine and device of predictions[0]",
                "gpu(0)");
    }

    @Test
    public void nanLogitsNeverCountAsCorrect() {
        // every label 0, every logit NaN: the argmax of NaN read as class 0, a perfect 1.0
        NDArray labels = manager.zeros(new Shape(2, 4, 4), DataType.INT64);
        float[] nan = new float[2 * 3 * 4 * 4];
        java.util.Arrays.fill(nan, Float.NaN);
        NDArray logits = manager.create(nan, LossCatalog.SHAPE);
        MeanIoU iou = new MeanIoU(3);
        iou.addAccumulator("k");
        Expect.illegalArgument(
                () -> iou.updateAccumulator("k", new NDList(labels), new NDList(logits)),
                "predictions must be finite: 96 of 96 values are not (first: NaN at [0, 0, 0, 0])");
        assertEquals(iou.getConfusionMatrix("k"), new long[3][3], "nothing counted");
        Expect.illegalArgument(
                () -> new PixelAccuracy().evaluate(new NDList(labels), new NDList(logits)),
                "predictions must be finite: 96 of 96");
    }

    @Test
    public void everyMetricRefusesNonFinitePredictions() {
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        String[] names = {"NaN", "+Infinity", "-Infinity"};
        // a single bad value first, in the middle and last: the fast min/max test must see it
        int[] positions = {0, 50, 95};
        String[] where = {"[0, 0, 0, 0]", "[1, 0, 0, 2]", "[1, 2, 3, 3]"};
        for (Metric m : metrics()) {
            for (int b = 0; b < bad.length; b++) {
                for (int p = 0; p < positions.length; p++) {
                    NDArray logits = LossCatalog.values(manager, LossCatalog.SHAPE, 0);
                    float[] values = logits.toFloatArray();
                    values[positions[p]] = bad[b];
                    NDArray broken = manager.create(values, LossCatalog.SHAPE);
                    Expect.illegalArgument(
                            () ->
                                    m.metric()
                                            .evaluate(
                                                    m.labels().apply(manager), new NDList(broken)),
                            "predictions must be finite: 1 of 96 values are not (first: "
                                    + names[b]
                                    + " at "
                                    + where[p]
                                    + ")");
                }
            }
            // float16 logits too
            NDArray half =
                    manager.create(new float[] {0, Float.NaN, 0, 0, 0, 0}, new Shape(2, 3))
                            .toType(DataType.FLOAT16, false);
            if (m.metric() instanceof MeanIoU || m.metric() instanceof PixelAccuracy) {
                Expect.illegalArgument(
                        () ->
                                m.metric()
                                        .evaluate(
                                                new NDList(manager.create(new long[] {0, 1})),
                                                new NDList(half)),
                        "predictions must be finite: 1 of 6 values are not (first: NaN at [0, 1])");
            }
        }
    }

    @Test
    public void finitePredictionsStillCount() {
        NDArray labels = manager.create(new long[] {0, 1, 2, 255}, new Shape(1, 4));
        NDArray logits =
                manager.create(
                        new float[] {5, 0, 0, 9, 0, 0, 5, 0, 0, 5, 0, 0}, new Shape(1, 3, 4));
        // predicted classes 0, 2, 1, 0 (last ignored): IoU 1, 0, 0
        assertEquals(
                new MeanIoU(3).evaluate(new NDList(labels), new NDList(logits)).getFloat(),
                1f / 3,
                1e-6f);
        assertEquals(
                new PixelAccuracy().evaluate(new NDList(labels), new NDList(logits)).getFloat(),
                1f / 3,
                1e-6f);
    }

    @Test
    public void mergedCountsBeyondALongAreNamed() {
        MeanIoU iou = new MeanIoU(2);
        iou.addAccumulator("workers");
        iou.mergeConfusionMatrix("workers", new long[][] {{Long.MAX_VALUE - 10, 0}, {0, 0}});
        Expect.illegalArgument(
                () -> iou.mergeConfusionMatrix("workers", new long[][] {{11, 0}, {0, 0}}),
                "accumulator \"workers\" of evaluator mIoU",
                "true class 0 predicted as 0 would number 9223372036854775797 + 11",
                "more than a long holds (9223372036854775807)");
        // each count fits, their total does not
        Expect.illegalArgument(
                () -> iou.mergeConfusionMatrix("workers", new long[][] {{0, 0}, {0, 20}}),
                "accumulator \"workers\" of evaluator mIoU",
                "more than 9223372036854775807 pixels in total");
        assertEquals(
                iou.getConfusionMatrix("workers"),
                new long[][] {{Long.MAX_VALUE - 10, 0}, {0, 0}},
                "a refused merge changes nothing");
        MeanIoU fresh = new MeanIoU(2);
        fresh.addAccumulator("k");
        Expect.illegalArgument(
                () -> fresh.mergeConfusionMatrix("k", new long[][] {{Long.MAX_VALUE, 1}, {0, 0}}),
                "counts must total at most 9223372036854775807 pixels",
                "row 0, column 1");
    }

    @Test
    public void countsNearTheLimitGiveExactIoU() {
        MeanIoU iou = new MeanIoU(2);
        iou.addAccumulator("k");
        long half = Long.MAX_VALUE / 2;
        // unions of 2^62 pixels: their double quotient is exact, no count overflows
        iou.mergeConfusionMatrix("k", new long[][] {{half - 1, 1}, {0, half}});
        iou.mergeConfusionMatrix("k", new long[][] {{0, 0}, {0, 0}});
        float[] perClass = iou.getPerClassIoU("k");
        assertEquals(perClass[0], (float) ((double) (half - 1) / half));
        assertEquals(perClass[1], (float) ((double) half / (half + 1)));
    }

    @Test
    public void hugeFloatLabelsAreReportedAsTheyAre() {
        // a float label of 1e20 was reported as 9223372036854775807, clamped to a long
        NDArray logits = manager.zeros(new Shape(3, 3));
        NDArray floats = manager.create(new float[] {0, 1e20f, 2});
        Expect.illegalArgument(
                () ->
                        PixelCrossEntropyLoss.builder()
                                .build()
                                .evaluate(new NDList(floats), new NDList(logits)),
                "labels",
                "got 1.0E20 at [1]");
        Expect.illegalArgument(
                () -> new MeanIoU(3).evaluate(new NDList(floats), new NDList(logits)),
                "labels",
                "got 1.0E20 at [1]");
        NDArray doubles = manager.create(new double[] {0, 1e20, -0x1p60});
        Expect.illegalArgument(
                () ->
                        PixelCrossEntropyLoss.builder()
                                .build()
                                .evaluate(new NDList(doubles), new NDList(logits)),
                "got 1.0E20 at [1] (2 bad values in (3))");
        NDArray longs = manager.create(new long[] {0, Long.MAX_VALUE, 1});
        Expect.illegalArgument(
                () ->
                        PixelCrossEntropyLoss.builder()
                                .build()
                                .evaluate(new NDList(longs), new NDList(logits)),
                "got 9223372036854775807 at [1]");
        NDArray whole = manager.create(new double[] {0, 1, 0x1p52});
        Expect.illegalArgument(
                () ->
                        PixelCrossEntropyLoss.builder()
                                .build()
                                .evaluate(new NDList(whole), new NDList(logits)),
                "got 4503599627370496 at [2]");
    }
}
