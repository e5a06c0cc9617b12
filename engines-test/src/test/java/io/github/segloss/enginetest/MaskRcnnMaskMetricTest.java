package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.metric.MaskRcnnMaskMetric;
import io.github.segloss.metric.MaskRcnnMaskMetrics;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/** Accumulation, zero RoIs and bad input of the Mask R-CNN mask metrics. */
public class MaskRcnnMaskMetricTest extends EngineTest {

    private static final String KEY = "train/epoch";

    private static final Map<MaskRcnnMaskMetric.Kind, String> EXPECTED =
            Map.of(
                    MaskRcnnMaskMetric.Kind.ACCURACY, "accuracy",
                    MaskRcnnMaskMetric.Kind.FALSE_POSITIVE_RATE, "falsePositive",
                    MaskRcnnMaskMetric.Kind.FALSE_NEGATIVE_RATE, "falseNegative");

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public MaskRcnnMaskMetricTest(String engine) {
        super(engine);
    }

    private static List<MaskRcnnMaskMetric> metrics(boolean classAgnostic) {
        List<MaskRcnnMaskMetric> metrics = MaskRcnnMaskMetrics.all(classAgnostic);
        metrics.forEach(m -> m.addAccumulator(KEY));
        return metrics;
    }

    /** RoIs {@code range} of a reference case, as {@code {labels, predictions}}. */
    private NDList[] rois(ReferenceCase c, String range) {
        NDIndex index = new NDIndex(range);
        return new NDList[] {
            new NDList(
                    c.input("classIds").toType(manager, DataType.INT64).get(index),
                    c.input("targets").toFloat(manager).get(index)),
            new NDList(c.input("logits").toFloat(manager).get(index))
        };
    }

    private NDList[] zeroRois() {
        return new NDList[] {
            new NDList(
                    manager.zeros(new Shape(0), DataType.INT64), manager.zeros(new Shape(0, 6, 6))),
            new NDList(manager.zeros(new Shape(0, 4, 6, 6)))
        };
    }

    @Test
    public void roisSplitOverTwoUpdatesGiveTheRatiosOfTheWholeBatch() {
        ReferenceCase c = ReferenceCase.named("mask_metrics_class_specific");
        for (MaskRcnnMaskMetric metric : metrics(false)) {
            for (String range : new String[] {"0:2", "2:6"}) {
                NDList[] part = rois(c, range);
                metric.updateAccumulator(KEY, part[0], part[1]);
            }
            Tolerance.assertValue(
                    engine,
                    c.name(),
                    metric.getName() + " over two updates",
                    metric.getAccumulator(KEY),
                    c.expectedScalar(EXPECTED.get(metric.getKind())));
        }
    }

    @Test
    public void zeroRoisAddNothing() {
        ReferenceCase c = ReferenceCase.named("mask_metrics_class_specific");
        for (MaskRcnnMaskMetric metric : metrics(false)) {
            NDList[] all = rois(c, ":");
            metric.updateAccumulator(KEY, all[0], all[1]);
            float before = metric.getAccumulator(KEY);
            NDList[] none = zeroRois();
            metric.updateAccumulator(KEY, none[0], none[1]);
            assertEquals(metric.getAccumulator(KEY), before, metric.getName());
        }
    }

    @Test
    public void nothingCountedReadsNaN() {
        for (MaskRcnnMaskMetric metric : metrics(false)) {
            assertTrue(Float.isNaN(metric.getAccumulator(KEY)), metric.getName());
            NDList[] none = zeroRois();
            metric.updateAccumulator(KEY, none[0], none[1]);
            assertTrue(Float.isNaN(metric.getAccumulator(KEY)), metric.getName());
            assertTrue(Float.isNaN(metric.evaluate(none[0], none[1]).getFloat()), metric.getName());
        }
    }

    @Test
    public void resetAccumulatorForgetsTheCounts() {
        ReferenceCase c = ReferenceCase.named("mask_metrics_class_agnostic");
        for (MaskRcnnMaskMetric metric : metrics(true)) {
            NDList[] all = rois(c, ":");
            metric.updateAccumulator(KEY, all[0], all[1]);
            metric.resetAccumulator(KEY);
            assertTrue(Float.isNaN(metric.getAccumulator(KEY)), metric.getName());
        }
    }

    @Test
    public void theLastEpochSurvivesAnEpochWithoutRois() {
        ReferenceCase c = ReferenceCase.named("mask_metrics_class_specific");
        for (MaskRcnnMaskMetric metric : metrics(false)) {
            NDList[] all = rois(c, ":");
            metric.updateAccumulator(KEY, all[0], all[1]);
            float counted = metric.getAccumulator(KEY);
            metric.resetAccumulator(KEY);
            assertEquals(metric.getLastEpochAccumulator(KEY), counted, metric.getName());
            // an epoch whose batches had no RoI counted nothing: the last epoch stays
            NDList[] none = zeroRois();
            metric.updateAccumulator(KEY, none[0], none[1]);
            metric.resetAccumulator(KEY);
            assertEquals(metric.getLastEpochAccumulator(KEY), counted, metric.getName());
        }
    }

    @Test
    public void factoryUsesDetectron2NamesAndTheHeadKind() {
        List<MaskRcnnMaskMetric> metrics = MaskRcnnMaskMetrics.all(true);
        assertEquals(metrics.size(), 3);
        assertEquals(metrics.get(0).getName(), "mask_rcnn/accuracy");
        assertEquals(metrics.get(1).getName(), "mask_rcnn/false_positive");
        assertEquals(metrics.get(2).getName(), "mask_rcnn/false_negative");
        assertEquals(metrics.get(1).getKind(), MaskRcnnMaskMetric.Kind.FALSE_POSITIVE_RATE);
        assertTrue(metrics.stream().allMatch(MaskRcnnMaskMetric::isClassAgnostic));
        assertEquals(MaskRcnnMaskMetrics.accuracy().getKind(), MaskRcnnMaskMetric.Kind.ACCURACY);
        assertEquals(
                MaskRcnnMaskMetrics.falsePositiveRate().getKind(),
                MaskRcnnMaskMetric.Kind.FALSE_POSITIVE_RATE);
        assertEquals(MaskRcnnMaskMetrics.falseNegativeRate().getName(), "mask_rcnn/false_negative");
        assertTrue(!MaskRcnnMaskMetrics.accuracy().isClassAgnostic());
    }

    @Test
    public void updatingLeavesNoArrayOnTheManager() {
        ReferenceCase c = ReferenceCase.named("mask_metrics_class_specific");
        NDList[] all = rois(c, ":");
        int before = manager.getManagedArrays().size();
        for (MaskRcnnMaskMetric metric : metrics(false)) {
            metric.updateAccumulator(KEY, all[0], all[1]);
        }
        assertEquals(manager.getManagedArrays().size(), before);
    }

    private NDList labels(long rois, long[] classIds, int m) {
        return new NDList(manager.create(classIds), manager.zeros(new Shape(rois, m, m)));
    }

    private static void update(MaskRcnnMaskMetric metric, NDList labels, NDArray logits) {
        metric.updateAccumulator(KEY, labels, new NDList(logits));
    }

    @Test
    public void rejectsClassIdsOfAnotherRoiCount() {
        NDArray logits = manager.zeros(new Shape(3, 2, 4, 4));
        Expect.illegalArgument(
                () -> update(metrics(false).get(0), labels(3, new long[] {0, 1}, 4), logits),
                "classIds",
                "(3)",
                "got (2)");
    }

    @Test
    public void rejectsTargetsOfAnotherSize() {
        NDArray logits = manager.zeros(new Shape(2, 2, 4, 4));
        Expect.illegalArgument(
                () -> update(metrics(false).get(1), labels(2, new long[] {0, 1}, 5), logits),
                "targets",
                "(2, 4, 4)",
                "got (2, 5, 5)");
    }

    @Test
    public void rejectsClassIdBeyondTheChannels() {
        NDArray logits = manager.zeros(new Shape(2, 2, 4, 4));
        Expect.illegalArgument(
                () -> update(metrics(false).get(2), labels(2, new long[] {0, 2}, 4), logits),
                "classIds",
                "[0, 2)",
                "got 2");
    }

    @Test
    public void rejectsTargetsOutsideZeroOne() {
        NDArray logits = manager.zeros(new Shape(1, 1, 2, 2));
        NDList labels =
                new NDList(
                        manager.create(new long[] {0}),
                        manager.create(new float[] {0, 1, -0.5f, 0}, new Shape(1, 2, 2)));
        Expect.illegalArgument(
                () -> update(metrics(false).get(0), labels, logits),
                "targets",
                "[0, 1]",
                "got -0.5");
    }

    @Test
    public void rejectsClassAgnosticLogitsWithSeveralChannels() {
        NDArray logits = manager.zeros(new Shape(2, 3, 4, 4));
        Expect.illegalArgument(
                () -> update(metrics(true).get(0), labels(2, new long[] {0, 1}, 4), logits),
                "class-agnostic",
                "K = 1",
                "(2, 3, 4, 4)");
    }

    @Test
    public void rejectsLabelsWithoutTargets() {
        NDArray logits = manager.zeros(new Shape(2, 3, 4, 4));
        Expect.illegalArgument(
                () ->
                        update(
                                metrics(false).get(0),
                                new NDList(manager.create(new long[] {0, 1})),
                                logits),
                "labels",
                "NDList(classIds (R), targets (R, M, M))",
                "got 1");
    }

    @Test
    public void rejectsLogitsOfRankThree() {
        NDArray logits = manager.zeros(new Shape(2, 4, 4));
        Expect.illegalArgument(
                () -> update(metrics(false).get(0), labels(2, new long[] {0, 1}, 4), logits),
                "maskLogits",
                "(R, K, M, M)",
                "got (2, 4, 4)");
    }

    @Test
    public void rejectsIntegerTargets() {
        NDArray logits = manager.zeros(new Shape(1, 2, 2, 2));
        NDList labels =
                new NDList(
                        manager.create(new long[] {1}),
                        manager.zeros(new Shape(1, 2, 2), DataType.INT32));
        Expect.illegalArgument(
                () -> update(metrics(false).get(0), labels, logits),
                "targets",
                "floating-point",
                "got int32");
    }

    @Test
    public void rejectsBooleanClassIds() {
        NDArray logits = manager.zeros(new Shape(1, 2, 2, 2));
        NDList labels =
                new NDList(manager.create(new boolean[] {true}), manager.zeros(new Shape(1, 2, 2)));
        Expect.illegalArgument(
                () -> update(metrics(false).get(0), labels, logits),
                "classIds",
                "integer or whole-number float",
                "got boolean");
    }

    @Test
    public void rejectsIntegerLogits() {
        NDArray logits = manager.zeros(new Shape(2, 2, 4, 4), DataType.INT32);
        Expect.illegalArgument(
                () -> update(metrics(false).get(0), labels(2, new long[] {0, 1}, 4), logits),
                "maskLogits",
                "floating-point",
                "got int32");
    }
}
