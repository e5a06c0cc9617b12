package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.metric.PixelAccuracy;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/** Counting, device slices, empty input and bad input of {@link PixelAccuracy}. */
public class PixelAccuracyTest extends EngineTest {

    private static final String[] KEYS = {"train/epoch", "train/all"};

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public PixelAccuracyTest(String engine) {
        super(engine);
    }

    private static PixelAccuracy metric() {
        PixelAccuracy metric = new PixelAccuracy("PixelAccuracy", 255);
        for (String key : KEYS) {
            metric.addAccumulator(key);
        }
        return metric;
    }

    private NDList ids(long[] values, long... shape) {
        return new NDList(manager.create(values, new Shape(shape)));
    }

    @Test
    public void countsCorrectLabelledPixelsOverLabelledPixels() {
        PixelAccuracy metric = metric();
        metric.updateAccumulators(
                KEYS, ids(new long[] {0, 1, 255, 2}, 1, 4), ids(new long[] {0, 2, 1, 2}, 1, 4));
        assertEquals(metric.getAccumulator(KEYS[0]), 2f / 3);
    }

    @Test
    public void batchSplitAcrossTwoDevicesGivesTheWholeBatchAccuracy() {
        ReferenceCase c = ReferenceCase.named("miou_ignore");
        NDArray labels = c.input("labels").toType(manager, DataType.INT64);
        NDArray logits = c.input("logits").toFloat(manager);
        PixelAccuracy whole = metric();
        whole.updateAccumulators(KEYS, new NDList(labels), new NDList(logits));
        PixelAccuracy split = metric();
        for (String range : new String[] {"0:1", "1:3"}) {
            split.updateAccumulators(
                    KEYS,
                    new NDList(labels.get(new NDIndex(range))),
                    new NDList(logits.get(new NDIndex(range))));
        }
        for (String key : KEYS) {
            assertEquals(split.getAccumulator(key), whole.getAccumulator(key), key);
        }
        Tolerance.assertValue(
                engine,
                c.name(),
                "pixelAccuracy over two device slices",
                split.getAccumulator(KEYS[0]),
                c.expectedScalar("pixelAccuracy"));
    }

    @Test
    public void accumulatorWithNoLabelledPixelReadsNaN() {
        PixelAccuracy metric = metric();
        assertTrue(Float.isNaN(metric.getAccumulator(KEYS[0])));
        metric.updateAccumulators(
                KEYS, ids(new long[] {255, 255}, 1, 2), ids(new long[] {0, 1}, 1, 2));
        assertTrue(Float.isNaN(metric.getAccumulator(KEYS[0])));
    }

    @Test
    public void classIdsNeedNoNumberOfClasses() {
        PixelAccuracy metric = metric();
        metric.updateAccumulators(
                KEYS, ids(new long[] {9, 300, 7}, 1, 3), ids(new long[] {9, 300, 8}, 1, 3));
        assertEquals(metric.getAccumulator(KEYS[0]), 2f / 3);
    }

    @Test
    public void updatingLeavesNoArrayOnTheManager() {
        ReferenceCase c = ReferenceCase.named("miou_labels_n1hw");
        NDList labels = new NDList(c.input("labels").toType(manager, DataType.FLOAT32));
        NDList logits = new NDList(c.input("logits").toFloat(manager));
        int before = manager.getManagedArrays().size();
        metric().updateAccumulators(KEYS, labels, logits);
        assertEquals(manager.getManagedArrays().size(), before);
    }

    @Test
    public void rejectsLabelsBeyondTheLogitsClasses() {
        NDList logits = new NDList(manager.zeros(new Shape(1, 3, 2)));
        Expect.illegalArgument(
                () -> metric().evaluate(ids(new long[] {0, 3}, 1, 2), logits),
                "labels",
                "[0, 3)",
                "got 3");
    }

    @Test
    public void rejectsNegativeLabelsWithClassIds() {
        Expect.illegalArgument(
                () ->
                        metric().evaluate(
                                        ids(new long[] {-1, 0}, 1, 2),
                                        ids(new long[] {0, 0}, 1, 2)),
                "labels",
                "ignore index 255",
                "got -1");
    }

    @Test
    public void rejectsPredictedClassIdsThatAreNotWholeNumbers() {
        NDList predictions = new NDList(manager.create(new float[] {0, 0.5f}, new Shape(1, 2)));
        Expect.illegalArgument(
                () -> metric().evaluate(ids(new long[] {0, 1}, 1, 2), predictions),
                "predictions",
                "whole numbers",
                "got 0.5");
    }

    @Test
    public void rejectsLogitsOfRankOneForLabelsOfRankOne() {
        NDList logits = new NDList(manager.zeros(new Shape(3)));
        Expect.illegalArgument(
                () -> metric().evaluate(ids(new long[] {0, 1}, 2), logits),
                "predictions",
                "class ids of the labels' shape (2)",
                "got float32 (3)");
    }
}
