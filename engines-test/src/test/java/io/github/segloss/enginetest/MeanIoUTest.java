package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.listener.EvaluatorTrainingListener;
import io.github.segloss.metric.MeanIoU;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/** Counting, device slices, merging, empty input and bad input of {@link MeanIoU}. */
public class MeanIoUTest extends EngineTest {

    private static final String KEY = EvaluatorTrainingListener.VALIDATE_EPOCH;

    /** The keys DJL's EvaluatorTrainingListener updates on each training batch. */
    private static final String[] TRAIN_KEYS = {
        EvaluatorTrainingListener.TRAIN_EPOCH,
        EvaluatorTrainingListener.TRAIN_PROGRESS,
        EvaluatorTrainingListener.TRAIN_ALL
    };

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public MeanIoUTest(String engine) {
        super(engine);
    }

    private static MeanIoU metric(String... keys) {
        MeanIoU metric = new MeanIoU("mIoU", 4, 255);
        for (String key : keys) {
            metric.addAccumulator(key);
        }
        return metric;
    }

    /** An input of the golden case: two images of 5×6 pixels, 4 classes, ignore label 255. */
    private NDArray golden(String input) {
        ReferenceCase c = ReferenceCase.named("miou");
        return input.equals("labels")
                ? c.input(input).toType(manager, DataType.INT64)
                : c.input(input).toFloat(manager);
    }

    /** Image {@code i} of the golden batch, as device {@code i} of two gets it. */
    private NDList slice(String input, int i) {
        return new NDList(golden(input).get(new NDIndex(i + ":" + (i + 1))));
    }

    private NDList labels(long[] values, long... shape) {
        return new NDList(manager.create(values, new Shape(shape)));
    }

    private NDList logits(long... shape) {
        return new NDList(manager.zeros(new Shape(shape)));
    }

    @Test
    public void countsTrueClassesInRowsAndPredictedClassesInColumns() {
        MeanIoU metric = metric(KEY);
        metric.updateAccumulator(
                KEY,
                labels(new long[] {0, 1, 1, 2, 255, 3}, 1, 6),
                labels(new long[] {0, 2, 1, 2, 3, 1}, 1, 6));
        long[][] expected = {{1, 0, 0, 0}, {0, 1, 1, 0}, {0, 0, 1, 0}, {0, 1, 0, 0}};
        assertEquals(metric.getConfusionMatrix(KEY), expected);
        // IoU: class 0 1/1, class 1 1/(2+2-1), class 2 1/(1+2-1), class 3 0/(1+0-0).
        float[] iou = metric.getPerClassIoU(KEY);
        assertEquals(iou, new float[] {1f, 1f / 3, 0.5f, 0f}, 1e-7f);
        assertEquals(metric.getAccumulator(KEY), (1f + 1f / 3 + 0.5f) / 4, 1e-7f);
    }

    @Test
    public void batchSplitAcrossTwoDevicesGivesTheWholeBatchNumbers() {
        MeanIoU whole = metric(TRAIN_KEYS);
        whole.updateAccumulators(
                TRAIN_KEYS, new NDList(golden("labels")), new NDList(golden("logits")));
        MeanIoU split = metric(TRAIN_KEYS);
        for (int device = 0; device < 2; device++) {
            split.updateAccumulators(TRAIN_KEYS, slice("labels", device), slice("logits", device));
        }
        for (String key : TRAIN_KEYS) {
            assertEquals(split.getConfusionMatrix(key), whole.getConfusionMatrix(key), key);
            assertEquals(split.getPerClassIoU(key), whole.getPerClassIoU(key), key);
            assertEquals(split.getAccumulator(key), whole.getAccumulator(key), key);
        }
        ReferenceCase c = ReferenceCase.named("miou");
        Tolerance.assertValue(
                engine,
                c.name(),
                "mIoU over two device slices",
                split.getAccumulator(TRAIN_KEYS[0]),
                c.expectedLoss());
    }

    @Test
    public void mergedConfusionMatricesOfTwoWorkersGiveTheWholeBatch() {
        MeanIoU first = metric(KEY);
        first.updateAccumulator(KEY, slice("labels", 0), slice("logits", 0));
        MeanIoU second = metric(KEY);
        second.updateAccumulator(KEY, slice("labels", 1), slice("logits", 1));
        first.mergeConfusionMatrix(KEY, second.getConfusionMatrix(KEY));

        MeanIoU whole = metric(KEY);
        whole.updateAccumulator(KEY, new NDList(golden("labels")), new NDList(golden("logits")));
        assertEquals(first.getConfusionMatrix(KEY), whole.getConfusionMatrix(KEY));
        assertEquals(first.getAccumulator(KEY), whole.getAccumulator(KEY));
        ReferenceCase c = ReferenceCase.named("miou");
        Tolerance.assertValue(
                engine,
                c.name(),
                "mIoU of merged matrices",
                first.getAccumulator(KEY),
                c.expectedLoss());
    }

    @Test
    public void accumulatesOverBatches() {
        MeanIoU metric = metric(KEY);
        metric.updateAccumulator(
                KEY, labels(new long[] {0, 1}, 1, 2), labels(new long[] {0, 0}, 1, 2));
        metric.updateAccumulator(
                KEY, labels(new long[] {1, 2}, 2, 1), labels(new long[] {1, 2}, 2, 1));
        long[][] expected = {{1, 0, 0, 0}, {1, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 0}};
        assertEquals(metric.getConfusionMatrix(KEY), expected);
    }

    @Test
    public void accumulatorWithNothingMeasuredReadsNaN() {
        MeanIoU metric = metric(KEY);
        assertTrue(Float.isNaN(metric.getAccumulator(KEY)));
        metric.updateAccumulator(
                KEY, labels(new long[] {255, 255}, 1, 2), labels(new long[] {1, 3}, 1, 2));
        assertTrue(Float.isNaN(metric.getAccumulator(KEY)));
        for (float iou : metric.getPerClassIoU(KEY)) {
            assertTrue(Float.isNaN(iou));
        }
    }

    @Test
    public void emptyBatchAddsNothing() {
        MeanIoU metric = metric(KEY);
        metric.updateAccumulator(
                KEY,
                new NDList(manager.zeros(new Shape(0, 5, 6), DataType.INT64)),
                logits(0, 4, 5, 6));
        assertEquals(metric.getConfusionMatrix(KEY), new long[4][4]);
        assertTrue(Float.isNaN(metric.getAccumulator(KEY)));
    }

    @Test
    public void evaluateOfAnAllIgnoredBatchIsNaN() {
        NDArray result = metric().evaluate(labels(new long[] {255, 255}, 1, 2), logits(1, 4, 2));
        assertEquals(result.getShape(), new Shape());
        assertTrue(Float.isNaN(result.getFloat()));
    }

    @Test
    public void ignoreIndexInsideTheClassRangeLeavesThatClassUncounted() {
        MeanIoU metric = new MeanIoU("mIoU", 3, 0);
        metric.addAccumulator(KEY);
        metric.updateAccumulator(
                KEY, labels(new long[] {0, 1, 2, 0}, 1, 4), labels(new long[] {1, 1, 2, 2}, 1, 4));
        assertEquals(
                metric.getConfusionMatrix(KEY), new long[][] {{0, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    }

    @Test
    public void resetAccumulatorForgetsTheCounts() {
        MeanIoU metric = metric(KEY);
        metric.updateAccumulator(KEY, new NDList(golden("labels")), new NDList(golden("logits")));
        metric.resetAccumulator(KEY);
        assertEquals(metric.getConfusionMatrix(KEY), new long[4][4]);
        assertTrue(Float.isNaN(metric.getAccumulator(KEY)));
    }

    @Test
    public void confusionMatrixIsACopy() {
        MeanIoU metric = metric(KEY);
        metric.getConfusionMatrix(KEY)[0][0] = 7;
        assertEquals(metric.getConfusionMatrix(KEY), new long[4][4]);
    }

    @Test
    public void updatingLeavesNoArrayOnTheManager() {
        NDList labels = new NDList(golden("labels"));
        NDList logits = new NDList(golden("logits"));
        int before = manager.getManagedArrays().size();
        metric(TRAIN_KEYS).updateAccumulators(TRAIN_KEYS, labels, logits);
        assertEquals(manager.getManagedArrays().size(), before);
    }

    @Test
    public void concurrentMergesLoseNoCount() throws Exception {
        MeanIoU metric = metric(KEY);
        long[][] one = new long[4][4];
        one[1][2] = 1;
        one[3][3] = 2;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(
                        pool.submit(
                                () -> {
                                    for (int i = 0; i < 500; i++) {
                                        metric.mergeConfusionMatrix(KEY, one);
                                    }
                                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        long[][] counts = metric.getConfusionMatrix(KEY);
        assertEquals(counts[1][2], 4000);
        assertEquals(counts[3][3], 8000);
    }

    @Test
    public void rejectsLabelsOutsideTheClasses() {
        Expect.illegalArgument(
                () -> metric().evaluate(labels(new long[] {0, 4}, 1, 2), logits(1, 4, 2)),
                "labels",
                "[0, 4)",
                "ignore index 255",
                "got 4");
    }

    @Test
    public void rejectsLabelsThatAreNotWholeNumbers() {
        NDList labels = new NDList(manager.create(new float[] {0, 1.5f}, new Shape(1, 2)));
        Expect.illegalArgument(
                () -> metric().evaluate(labels, logits(1, 4, 2)), "labels", "got 1.5");
    }

    @Test
    public void rejectsLabelsOfAnotherShape() {
        Expect.illegalArgument(
                () -> metric().evaluate(new NDList(golden("labels")), logits(2, 4, 5, 7)),
                "labels",
                "(N, d1..dk) = (2, 5, 7)",
                "(N, 1, d1..dk) = (2, 1, 5, 7)",
                "got (2, 5, 6)");
    }

    @Test
    public void rejectsLogitsWithAnotherNumberOfClasses() {
        Expect.illegalArgument(
                () -> metric().evaluate(new NDList(golden("labels")), logits(2, 3, 5, 6)),
                "predictions",
                "C = numClasses = 4",
                "got (2, 3, 5, 6)");
    }

    @Test
    public void rejectsPredictedClassIdsOutsideTheClasses() {
        Expect.illegalArgument(
                () ->
                        metric().evaluate(
                                        labels(new long[] {0, 1}, 1, 2),
                                        labels(new long[] {3, 4}, 1, 2)),
                "predictions",
                "[0, 4)",
                "got 4");
    }

    @Test
    public void rejectsIntegerPredictionsOfAnotherShapeThanTheLabels() {
        NDList predictions = new NDList(manager.zeros(new Shape(1, 3), DataType.INT32));
        Expect.illegalArgument(
                () -> metric().evaluate(labels(new long[] {0, 1}, 1, 2), predictions),
                "predictions",
                "class ids of the labels' shape (1, 2)",
                "floating-point logits (N, C, d1..dk)",
                "got int32 (1, 3)");
    }

    @Test
    public void rejectsAMergedMatrixOfAnotherSize() {
        Expect.illegalArgument(
                () -> metric(KEY).mergeConfusionMatrix(KEY, new long[3][3]),
                "counts",
                "4×4",
                "got 3 rows");
    }

    @Test
    public void rejectsBooleanLabels() {
        NDList labels = new NDList(manager.create(new boolean[] {true, false}, new Shape(1, 2)));
        Expect.illegalArgument(
                () -> metric().evaluate(labels, logits(1, 4, 2)),
                "labels",
                "integer or whole-number float",
                "got boolean");
    }

    @Test
    public void rejectsBooleanPredictedClassIds() {
        NDList predictions =
                new NDList(manager.create(new boolean[] {true, false}, new Shape(1, 2)));
        Expect.illegalArgument(
                () -> metric().evaluate(labels(new long[] {0, 1}, 1, 2), predictions),
                "predictions",
                "integer or whole-number float",
                "got boolean");
    }

    @Test
    public void rejectsARaggedMergedMatrix() {
        long[][] counts = {new long[4], new long[4], new long[3], new long[4]};
        Expect.illegalArgument(
                () -> metric(KEY).mergeConfusionMatrix(KEY, counts),
                "counts",
                "4×4",
                "got row 2 of 3 columns");
    }

    @Test
    public void rejectsAMergedMatrixWithANegativeCount() {
        long[][] counts = new long[4][4];
        counts[2][1] = -1;
        Expect.illegalArgument(
                () -> metric(KEY).mergeConfusionMatrix(KEY, counts),
                "counts",
                ">= 0",
                "got -1 at row 2, column 1");
    }

    @Test
    public void rejectsAKeyWithoutAccumulator() {
        Expect.illegalArgument(
                () -> metric(KEY).getAccumulator("train/epoch"),
                "mIoU",
                "no accumulator \"train/epoch\"",
                "addAccumulator");
    }

    @Test
    public void rejectsFewerThanOneClass() {
        Expect.illegalArgument(() -> new MeanIoU("mIoU", 0, 255), "numClasses", ">= 1", "got 0");
    }
}
