package io.github.segloss.enginetest.fuzz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.evaluator.Evaluator;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
import io.github.segloss.metric.AbsentClassPolicy;
import io.github.segloss.metric.MaskRcnnMaskMetric;
import io.github.segloss.metric.MaskRcnnMaskMetrics;
import io.github.segloss.metric.MeanIoU;
import io.github.segloss.metric.PixelAccuracy;
import io.github.segloss.metric.SegmentationReport;
import java.util.Arrays;
import java.util.List;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Randomized robustness test of the metrics ({@link MeanIoU}, {@link PixelAccuracy}, {@link
 * SegmentationReport}, the Mask R-CNN mask metrics): seeded cases of random shapes, types, labels
 * and predictions (logits or class ids). The batch value and the accumulation of two batches must
 * equal the reference counts exactly (NaN only where nothing was measured); invalid input must
 * raise an {@link IllegalArgumentException} naming the argument and leave the accumulator
 * unchanged.
 */
public class MetricFuzzTest extends EngineTest {

    private static final String KEY = "fuzz";

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public MetricFuzzTest(String engine) {
        super(engine);
    }

    /** A batch of a semantic metric: labels and predictions, with the predicted class per pixel. */
    private record Batch(NDList labels, NDList predictions, double[] truth, double[] predicted) {}

    /** Requires a metric value equal to the reference (NaN only for NaN). */
    private static void same(String what, double actual, double expected) {
        if (Double.isNaN(expected)) {
            if (!Double.isNaN(actual)) {
                throw new AssertionError(
                        what + " = " + actual + ", expected NaN (nothing measured)");
            }
            return;
        }
        Check.close(what, actual, expected, 1e-6 * (1 + Math.abs(expected)));
    }

    /** Requires the 0-d float32 value of {@code evaluate}. */
    private static double evaluated(Evaluator metric, NDList labels, NDList predictions) {
        NDArray value = metric.evaluate(labels, predictions);
        if (!value.getShape().equals(new Shape())) {
            throw new AssertionError("the metric must be 0-d, got " + value.getShape());
        }
        return value.toType(DataType.FLOAT64, false).getDouble();
    }

    /** Invalid input raises and leaves the accumulator unchanged (checked by the caller). */
    private static void expectInvalid(
            FuzzCase c, Evaluator metric, NDList labels, NDList predictions) {
        Check.illegalArgument(() -> metric.evaluate(labels, predictions), c.invalidArgument());
        metric.addAccumulator(KEY);
        Check.illegalArgument(
                () -> metric.updateAccumulator(KEY, labels, predictions), c.invalidArgument());
    }

    /**
     * Draws a batch for C classes: class-index labels, and predictions that are logits (N, C, ...)
     * or class ids of the labels' shape; with {@code invalidChance} the labels or the predictions
     * break (class ids out of range, negative or fractional; logits with C + 1 classes).
     */
    private static Batch batch(
            FuzzCase c, int classes, int ignore, boolean anyClass, double invalidChance) {
        Shape shape = Inputs.logitShape(c, 2, 5, classes, classes);
        int n = (int) shape.get(0);
        boolean wantIds = c.chance(0.4);
        // with class ids PixelAccuracy knows no C: every whole number below 2^31 - 1 is a class
        long limit = anyClass && wantIds ? Integer.MAX_VALUE : classes;
        Inputs.Labels labels = Inputs.classLabels(c, shape, ignore, invalidChance, limit);
        // class ids have the labels' shape when the labels are valid, else the squeezed one
        Shape labelShape =
                c.isInvalid() ? shape.slice(0, 1).addAll(shape.slice(2)) : labels.values().shape();
        double[] truth = labels.values().values();
        // labels of a wrong shape go with logits: class ids of another shape than the labels' are
        // read as logits, for which the wrong labels may fit
        Shape squeezed = shape.slice(0, 1).addAll(shape.slice(2));
        Shape kept = new Shape(n, 1).addAll(shape.slice(2));
        Shape given = labels.values().shape();
        boolean shapeBroken = !given.equals(squeezed) && !given.equals(kept);
        boolean ids = !shapeBroken && (wantIds || labelShape.equals(shape));
        c.describe("predictions", ids ? "class ids" : "logits");
        double[] predicted;
        NDArray prediction;
        if (ids) {
            int range = anyClass && c.chance(0.5) ? 1000 : classes;
            double[] values = new double[(int) labelShape.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = c.intIn(0, range - 1);
            }
            if (!c.isInvalid() && values.length > 0 && c.chance(invalidChance / 2)) {
                double bad =
                        c.pick(anyClass ? 2147483647.0 : (double) classes, -1.0, 0.5, Double.NaN);
                values[c.intIn(0, values.length - 1)] = bad;
                c.markInvalid("predictions", "class id " + bad);
            }
            HostArray host = new HostArray(values, labelShape);
            List<DataType> types =
                    new java.util.ArrayList<>(List.of(DataType.FLOAT32, DataType.FLOAT64));
            for (DataType t : new DataType[] {DataType.INT32, DataType.INT64, DataType.UINT8}) {
                if (host.fits(t)) {
                    types.add(t);
                }
            }
            DataType type = c.pick(types);
            c.describe("predictionType", type);
            host = host.roundedTo(type);
            predicted = host.values();
            prediction = host.create(c.manager(), type);
        } else {
            Shape logitShape = shape;
            if (!c.isInvalid() && !anyClass && c.chance(invalidChance / 2)) {
                long[] dims = shape.getShape().clone();
                dims[1] = classes + 1;
                logitShape = new Shape(dims);
                c.markInvalid("predictions", "logits with " + dims[1] + " classes");
            }
            DataType type = Inputs.floatType(c);
            HostArray logits = Inputs.logits(c, logitShape, type);
            predicted =
                    Arrays.stream(
                                    MetricReference.argmax(
                                            logits.values(), n, (int) logitShape.get(1)))
                            .asDoubleStream()
                            .toArray();
            prediction = logits.create(c.manager(), type);
        }
        return new Batch(
                new NDList(labels.create(c.manager())), new NDList(prediction), truth, predicted);
    }

    @Test
    public void meanIoU() {
        Fuzz.run(engine, manager, "meanIoU", 300, MetricFuzzTest::meanIoUCase);
    }

    private static void meanIoUCase(FuzzCase c) {
        int classes = c.intIn(1, 5);
        int ignore = Inputs.ignoreIndex(c, classes, false);
        MeanIoU metric = new MeanIoU("mIoU", classes, ignore);
        Batch first = batch(c, classes, ignore, false, 0.3);
        if (c.isInvalid()) {
            expectInvalid(c, metric, first.labels(), first.predictions());
            same(
                    "confusion entries",
                    Arrays.stream(metric.getConfusionMatrix(KEY))
                            .flatMapToLong(Arrays::stream)
                            .sum(),
                    0);
            return;
        }
        Batch second = batch(c, classes, ignore, false, 0);
        long[][] a =
                MetricReference.confusion(first.truth(), toInt(first.predicted()), classes, ignore);
        long[][] b =
                MetricReference.confusion(
                        second.truth(), toInt(second.predicted()), classes, ignore);
        same(
                "mIoU of the batch",
                evaluated(metric, first.labels(), first.predictions()),
                MetricReference.meanIoU(a));
        metric.addAccumulator(KEY);
        metric.updateAccumulator(KEY, first.labels(), first.predictions());
        metric.updateAccumulator(KEY, second.labels(), second.predictions());
        long[][] sum = MetricReference.plus(a, b);
        if (!Arrays.deepEquals(metric.getConfusionMatrix(KEY), sum)) {
            throw new AssertionError(
                    "confusion matrix "
                            + Arrays.deepToString(metric.getConfusionMatrix(KEY))
                            + ", expected "
                            + Arrays.deepToString(sum));
        }
        same("accumulated mIoU", metric.getAccumulator(KEY), MetricReference.meanIoU(sum));
        double[] perClass = MetricReference.perClassIoU(sum);
        float[] actual = metric.getPerClassIoU(KEY);
        for (int k = 0; k < classes; k++) {
            same("IoU of class " + k, actual[k], perClass[k]);
        }
    }

    @Test
    public void segmentationReport() {
        Fuzz.run(
                engine, manager, "segmentationReport", 200, MetricFuzzTest::segmentationReportCase);
    }

    /**
     * The report's confusion matrix, macro IoU under the drawn policy and micro precision (the
     * pixel accuracy) against the reference counts; a second report of another batch, merged, gives
     * the report of one evaluator that saw both.
     */
    private static void segmentationReportCase(FuzzCase c) {
        int classes = c.intIn(1, 5);
        int ignore = Inputs.ignoreIndex(c, classes, false);
        AbsentClassPolicy policy = c.pick(AbsentClassPolicy.values());
        c.describe("policy", policy);
        SegmentationReport metric = report(classes, ignore, policy);
        Batch first = batch(c, classes, ignore, false, 0.3);
        if (c.isInvalid()) {
            expectInvalid(c, metric, first.labels(), first.predictions());
            same("labelled pixels", metric.getReport(KEY).getLabelledPixels(), 0);
            return;
        }
        Batch second = batch(c, classes, ignore, false, 0);
        long[][] a =
                MetricReference.confusion(first.truth(), toInt(first.predicted()), classes, ignore);
        long[][] sum =
                MetricReference.plus(
                        a,
                        MetricReference.confusion(
                                second.truth(), toInt(second.predicted()), classes, ignore));
        same(
                "macro IoU of the batch",
                evaluated(metric, first.labels(), first.predictions()),
                macroIoU(a, policy));
        metric.addAccumulator(KEY);
        metric.updateAccumulator(KEY, first.labels(), first.predictions());
        SegmentationReport other = report(classes, ignore, policy);
        other.addAccumulator(KEY);
        other.updateAccumulator(KEY, second.labels(), second.predictions());
        metric.merge(KEY, other, KEY);
        if (!Arrays.deepEquals(metric.getConfusionMatrix(KEY), sum)) {
            throw new AssertionError(
                    "merged confusion matrix "
                            + Arrays.deepToString(metric.getConfusionMatrix(KEY))
                            + ", expected "
                            + Arrays.deepToString(sum));
        }
        SegmentationReport.Result result = metric.getReport(KEY);
        same("merged macro IoU", result.getMacro().iou(), macroIoU(sum, policy));
        same("accumulator", metric.getAccumulator(KEY), (float) macroIoU(sum, policy));
        long[] counts = MetricReference.accuracyCounts(sum);
        same("micro precision", result.getMicro().precision(), ratio(counts[0], counts[1]));
        SegmentationReport once = report(classes, ignore, policy);
        once.addAccumulator(KEY);
        once.updateAccumulator(KEY, first.labels(), first.predictions());
        once.updateAccumulator(KEY, second.labels(), second.predictions());
        if (!once.getReport(KEY).equals(result)) {
            throw new AssertionError("merged " + result + ", one pass " + once.getReport(KEY));
        }
    }

    private static SegmentationReport report(int classes, int ignore, AbsentClassPolicy policy) {
        return SegmentationReport.builder()
                .setNumClasses(classes)
                .optIgnoreIndex(ignore)
                .optAbsentClassPolicy(policy)
                .build();
    }

    /** The macro IoU: absent classes (NaN IoU) left out, NaN, or 1; NaN if nothing is labelled. */
    private static double macroIoU(long[][] counts, AbsentClassPolicy policy) {
        if (MetricReference.accuracyCounts(counts)[1] == 0) {
            return Double.NaN;
        }
        if (policy == AbsentClassPolicy.EXCLUDED) {
            return MetricReference.meanIoU(counts);
        }
        double sum = 0;
        double[] iou = MetricReference.perClassIoU(counts);
        for (double value : iou) {
            sum += Double.isNaN(value) && policy == AbsentClassPolicy.ONE ? 1.0 : value;
        }
        return sum / iou.length;
    }

    private static int[] toInt(double[] values) {
        return Arrays.stream(values).mapToInt(v -> (int) v).toArray();
    }

    @Test
    public void pixelAccuracy() {
        Fuzz.run(engine, manager, "pixelAccuracy", 250, MetricFuzzTest::pixelAccuracyCase);
    }

    private static void pixelAccuracyCase(FuzzCase c) {
        // C >= 2: logits (N, 1, ...) would have the shape of (N, 1, ...) labels, hence be class ids
        int classes = c.intIn(2, 5);
        int ignore = Inputs.ignoreIndex(c, classes, false);
        PixelAccuracy metric = new PixelAccuracy("accuracy", ignore);
        Batch first = batch(c, classes, ignore, true, 0.3);
        if (c.isInvalid()) {
            expectInvalid(c, metric, first.labels(), first.predictions());
            same("accuracy after invalid input", metric.getAccumulator(KEY), Double.NaN);
            return;
        }
        Batch second = batch(c, classes, ignore, true, 0);
        long[] a = MetricReference.accuracyCounts(first.truth(), first.predicted(), ignore);
        long[] b = MetricReference.accuracyCounts(second.truth(), second.predicted(), ignore);
        same(
                "accuracy of the batch",
                evaluated(metric, first.labels(), first.predictions()),
                ratio(a[0], a[1]));
        metric.addAccumulator(KEY);
        metric.updateAccumulator(KEY, first.labels(), first.predictions());
        metric.updateAccumulator(KEY, second.labels(), second.predictions());
        same("accumulated accuracy", metric.getAccumulator(KEY), ratio(a[0] + b[0], a[1] + b[1]));
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    @Test
    public void maskMetrics() {
        Fuzz.run(engine, manager, "maskMetrics", 200, MetricFuzzTest::maskMetricsCase);
    }

    private static void maskMetricsCase(FuzzCase c) {
        Inputs.MaskInput first = Inputs.maskInput(c, true, null);
        List<MaskRcnnMaskMetric> metrics = MaskRcnnMaskMetrics.all(first.agnostic());
        NDList labels =
                new NDList(
                        first.classIds().create(c.manager()), first.targets().create(c.manager()));
        NDList predictions = new NDList(first.logits().create(c.manager(), first.type()));
        if (c.isInvalid()) {
            for (MaskRcnnMaskMetric metric : metrics) {
                expectInvalid(c, metric, labels, predictions);
                same("metric after invalid input", metric.getAccumulator(KEY), Double.NaN);
            }
            return;
        }
        long[] a = counts(first);
        Inputs.MaskInput second = Inputs.maskInput(c, false, first.agnostic());
        long[] b = counts(second);
        long[] sum = new long[4];
        for (int i = 0; i < 4; i++) {
            sum[i] = a[i] + b[i];
        }
        double[] batch = MetricReference.maskRatios(a);
        double[] total = MetricReference.maskRatios(sum);
        NDList labels2 =
                new NDList(
                        second.classIds().create(c.manager()),
                        second.targets().create(c.manager()));
        NDList predictions2 = new NDList(second.logits().create(c.manager(), second.type()));
        for (int k = 0; k < 3; k++) {
            MaskRcnnMaskMetric metric = metrics.get(k);
            String name = metric.getName();
            same(name + " of the batch", evaluated(metric, labels, predictions), batch[k]);
            metric.addAccumulator(KEY);
            metric.updateAccumulator(KEY, labels, predictions);
            metric.updateAccumulator(KEY, labels2, predictions2);
            same("accumulated " + name, metric.getAccumulator(KEY), total[k]);
        }
    }

    private static long[] counts(Inputs.MaskInput input) {
        Shape shape = input.shape();
        return MetricReference.maskCounts(
                input.logits().values(),
                input.classIds().values().values(),
                input.targets().values().values(),
                (int) shape.get(0),
                (int) shape.get(1),
                (int) (shape.get(2) * shape.get(3)));
    }
}
