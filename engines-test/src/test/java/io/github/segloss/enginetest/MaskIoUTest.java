package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.metric.MaskIoU;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * {@link MaskIoU}: the class channel, the thresholds, the mean over RoIs and per class, split and
 * merged accumulators, zero RoIs, the last epoch and bad input.
 *
 * <p>No PyTorch-world library has this metric (detectron2 logs none; mmdetection's MaskIoU head
 * divides by the full ground-truth area), so the expected values are computed by hand from the
 * definition: for RoI r, \( |P_r \cap T_r| / |P_r \cup T_r| \) with \( P_r \) the pixels whose
 * logit of channel \( k_r \) is above 0 and \( T_r \) those whose target is above 0.5, 1 when both
 * are empty. The cases are 2×2 masks; pixels are numbered 0 1 / 2 3.
 */
public class MaskIoUTest extends EngineTest {

    private static final String KEY = "validate/epoch";
    private static final float EPS = 1e-6f;

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public MaskIoUTest(String engine) {
        super(engine);
    }

    /**
     * Three RoIs of 2×2 pixels and three classes, logits +0.5 where predicted, -0.5 elsewhere.
     *
     * <ul>
     *   <li>RoI 0, class 2: predicts the top row {0, 1}, target the left column {0, 2}: IoU 1/3.
     *       Its channel 0 predicts everything (IoU 2/4 if it were read).
     *   <li>RoI 1, class 1: predicts {0}; target 0.6 at 0 and 0.4 at 3, so {0}: IoU 1 (1/2 if 0.4
     *       were foreground).
     *   <li>RoI 2, class 0: predicts nothing, target {3}: IoU 0.
     * </ul>
     *
     * Mean over the RoIs (1/3 + 1 + 0) / 3 = 4/9; per class [0, 1, 1/3].
     */
    private NDList[] threeRois() {
        float[] marks = new float[3 * 3 * 4];
        marks[(0 * 3 + 2) * 4] = 1;
        marks[(0 * 3 + 2) * 4 + 1] = 1;
        for (int i = 0; i < 4; i++) {
            marks[i] = 1;
        }
        marks[(1 * 3 + 1) * 4] = 1;
        float[] logits = new float[marks.length];
        for (int i = 0; i < marks.length; i++) {
            logits[i] = marks[i] - 0.5f;
        }
        NDArray classIds = manager.create(new long[] {2, 1, 0});
        NDArray targets =
                manager.create(
                        new float[] {1, 0, 1, 0, 0.6f, 0, 0, 0.4f, 0, 0, 0, 1}, new Shape(3, 2, 2));
        return new NDList[] {
            new NDList(classIds, targets), new NDList(manager.create(logits, new Shape(3, 3, 2, 2)))
        };
    }

    /** RoIs {@code range} of a case, as {@code {labels, predictions}}. */
    private static NDList[] rois(NDList[] all, String range) {
        NDIndex index = new NDIndex(range);
        return new NDList[] {
            new NDList(all[0].get(0).get(index), all[0].get(1).get(index)),
            new NDList(all[1].get(0).get(index))
        };
    }

    private NDList[] zeroRois(long channels) {
        return new NDList[] {
            new NDList(
                    manager.zeros(new Shape(0), DataType.INT64), manager.zeros(new Shape(0, 2, 2))),
            new NDList(manager.zeros(new Shape(0, channels, 2, 2)))
        };
    }

    private static MaskIoU metric(int classes, boolean classAgnostic) {
        MaskIoU metric = new MaskIoU("mask_iou", classes, classAgnostic);
        metric.addAccumulator(KEY);
        return metric;
    }

    private static void update(MaskIoU metric, NDList[] batch) {
        metric.updateAccumulator(KEY, batch[0], batch[1]);
    }

    private static void assertPerClass(float[] actual, float... expected) {
        assertEquals(actual.length, expected.length);
        for (int c = 0; c < expected.length; c++) {
            assertEquals(actual[c], expected[c], EPS, "class " + c);
        }
    }

    @Test
    public void readsTheClassChannelAboveZeroAgainstTargetsAboveOneHalf() {
        NDList[] all = threeRois();
        MaskIoU metric = metric(3, false);
        update(metric, all);
        assertPerClass(metric.getPerClassIoU(KEY), 0f, 1f, 1f / 3);
        assertEquals(metric.getAccumulator(KEY), 4f / 9, EPS);
        assertEquals(metric.evaluate(all[0], all[1]).getFloat(), 4f / 9, EPS);
    }

    @Test
    public void eachRoiCountsOnceInTheMeanAndPerClass() {
        NDList[] all = threeRois();
        MaskIoU metric = metric(3, false);
        // RoI 0 twice, RoI 1 once: (1/3 + 1/3 + 1) / 3 = 5/9, not the mean of batch means 2/3
        update(metric, rois(all, "0:1"));
        update(metric, rois(all, "0:2"));
        assertEquals(metric.getAccumulator(KEY), 5f / 9, EPS);
        float[] perClass = metric.getPerClassIoU(KEY);
        assertTrue(Float.isNaN(perClass[0]), "class 0 has no RoI");
        assertEquals(perClass[1], 1f, EPS);
        assertEquals(perClass[2], 1f / 3, EPS);
    }

    @Test
    public void aBatchSplitInTwoGivesTheNumbersOfTheWholeBatch() {
        NDList[] all = threeRois();
        MaskIoU whole = metric(3, false);
        update(whole, all);
        MaskIoU split = metric(3, false);
        // the halves' means are 1/3 and 1/2: their mean 5/12 is not the whole's 4/9
        update(split, rois(all, "0:1"));
        update(split, rois(all, "1:3"));
        assertEquals(split.getAccumulator(KEY), whole.getAccumulator(KEY));
        assertEquals(split.getPerClassIoU(KEY), whole.getPerClassIoU(KEY));
        assertEquals(split.getAccumulator(KEY), 4f / 9, EPS);
    }

    @Test
    public void twoEvaluatorsMergeIntoTheNumbersOfAllTheirRois() {
        NDList[] all = threeRois();
        MaskIoU first = metric(3, false);
        MaskIoU second = metric(3, true);
        update(first, rois(all, "0:1"));
        // the class-agnostic evaluator reads channel 0 of RoIs 1 and 2, which predicts nothing:
        // IoU 0 against {0} and against {3}
        NDList[] rest = rois(all, "1:3");
        NDArray channelZero = rest[1].head().get(new NDIndex(":, 0:1"));
        second.updateAccumulator(KEY, rest[0], new NDList(channelZero));
        first.merge(KEY, second, KEY);
        // (1/3 + 0 + 0) / 3 = 1/9
        assertEquals(first.getAccumulator(KEY), 1f / 9, EPS);
        assertPerClass(first.getPerClassIoU(KEY), 0f, 0f, 1f / 3);
        assertEquals(second.getAccumulator(KEY), 0f, "the other evaluator is unchanged");
    }

    @Test
    public void mergingAnEvaluatorOfOtherClassesIsRejected() {
        MaskIoU three = metric(3, false);
        MaskIoU two = new MaskIoU("other_iou", 2);
        two.addAccumulator(KEY);
        Expect.illegalArgument(
                () -> three.merge(KEY, two, KEY),
                "other must count classes = 3",
                "got other_iou with classes = 2");
        Expect.illegalArgument(
                () -> three.merge(KEY, three, "train/epoch"), "has no accumulator \"train/epoch\"");
    }

    @Test
    public void classAgnosticLogitsUseChannelZeroAndCountUnderTheRoisClass() {
        NDList[] all = threeRois();
        // channel 0: RoI 0 the top row (1/3 against the left column), RoI 1 pixel 0 (1),
        // RoI 2 pixel 3 (1)
        NDArray logits =
                manager.create(
                        new float[] {1, 1, -1, -1, 1, -1, -1, -1, -1, -1, -1, 1},
                        new Shape(3, 1, 2, 2));
        MaskIoU metric = metric(3, true);
        assertTrue(metric.isClassAgnostic());
        metric.updateAccumulator(KEY, all[0], new NDList(logits));
        assertPerClass(metric.getPerClassIoU(KEY), 1f, 1f, 1f / 3);
        assertEquals(metric.getAccumulator(KEY), 7f / 9, EPS);
    }

    @Test
    public void zeroRoisAddNothingAndReadNaN() {
        MaskIoU metric = metric(3, false);
        NDList[] none = zeroRois(3);
        update(metric, none);
        assertTrue(Float.isNaN(metric.getAccumulator(KEY)));
        assertTrue(Float.isNaN(metric.evaluate(none[0], none[1]).getFloat()));
        float[] perClass = metric.getPerClassIoU(KEY);
        for (float iou : perClass) {
            assertTrue(Float.isNaN(iou));
        }
        update(metric, threeRois());
        update(metric, none);
        assertEquals(metric.getAccumulator(KEY), 4f / 9, EPS);
        MaskIoU agnostic = metric(3, true);
        update(agnostic, zeroRois(1));
        assertTrue(Float.isNaN(agnostic.getAccumulator(KEY)));
    }

    @Test
    public void aRoiWithNothingPredictedAndNothingThereHasIoUOne() {
        // logits exactly 0 are not foreground (sigmoid 0.5 is not above 0.5), targets 0.5 neither
        NDList labels =
                new NDList(manager.create(new long[] {1}), manager.full(new Shape(1, 2, 2), 0.5f));
        MaskIoU metric = metric(2, false);
        metric.updateAccumulator(KEY, labels, new NDList(manager.zeros(new Shape(1, 2, 2, 2))));
        assertEquals(metric.getAccumulator(KEY), 1f);
        assertPerClass(metric.getPerClassIoU(KEY), Float.NaN, 1f);
    }

    @Test
    public void theLastEpochIsKeptAfterReset() {
        NDList[] all = threeRois();
        MaskIoU metric = metric(3, false);
        update(metric, all);
        assertTrue(Float.isNaN(metric.getLastEpochAccumulator(KEY)), "no epoch finished yet");
        metric.resetAccumulator(KEY);
        assertTrue(Float.isNaN(metric.getAccumulator(KEY)));
        assertEquals(metric.getLastEpochAccumulator(KEY), 4f / 9, EPS);
        assertPerClass(metric.getLastEpochPerClassIoU(KEY), 0f, 1f, 1f / 3);
        // an epoch of zero RoIs leaves the last epoch in place; a counted one replaces it
        update(metric, zeroRois(3));
        metric.resetAccumulator(KEY);
        assertEquals(metric.getLastEpochAccumulator(KEY), 4f / 9, EPS);
        update(metric, rois(all, "1:2"));
        metric.resetAccumulator(KEY);
        assertEquals(metric.getLastEpochAccumulator(KEY), 1f);
        assertPerClass(metric.getLastEpochPerClassIoU(KEY), Float.NaN, 1f, Float.NaN);
    }

    @Test
    public void updatingLeavesNoArrayOnTheManager() {
        NDList[] all = threeRois();
        MaskIoU metric = metric(3, false);
        int before = manager.getManagedArrays().size();
        update(metric, all);
        assertEquals(manager.getManagedArrays().size(), before);
    }

    @Test
    public void rejectsFewerThanOneClass() {
        Expect.illegalArgument(() -> new MaskIoU("mask_iou", 0), "classes must be >= 1, got 0");
    }

    @Test
    public void rejectsClassIdsOfAnotherRoiCount() {
        NDList[] all = threeRois();
        NDList labels = new NDList(manager.create(new long[] {2, 1}), all[0].get(1));
        Expect.illegalArgument(
                () -> metric(3, false).updateAccumulator(KEY, labels, all[1]),
                "classIds",
                "(3)",
                "got (2)");
    }

    @Test
    public void rejectsTargetsOfAnotherSize() {
        NDList[] all = threeRois();
        NDList labels = new NDList(all[0].get(0), manager.zeros(new Shape(3, 3, 3)));
        Expect.illegalArgument(
                () -> metric(3, false).updateAccumulator(KEY, labels, all[1]),
                "targets",
                "(3, 2, 2)",
                "got (3, 3, 3)");
    }

    @Test
    public void rejectsLogitsOfRankThree() {
        NDList[] all = threeRois();
        Expect.illegalArgument(
                () ->
                        metric(3, false)
                                .updateAccumulator(
                                        KEY, all[0], new NDList(manager.zeros(new Shape(3, 2, 2)))),
                "maskLogits",
                "(R, K, M, M)",
                "got (3, 2, 2)");
    }

    @Test
    public void rejectsClassSpecificLogitsWithoutOneChannelPerClass() {
        NDList[] all = threeRois();
        Expect.illegalArgument(
                () ->
                        metric(3, false)
                                .updateAccumulator(
                                        KEY,
                                        all[0],
                                        new NDList(manager.zeros(new Shape(3, 4, 2, 2)))),
                "maskLogits",
                "K = classes = 3",
                "got (3, 4, 2, 2)");
    }

    @Test
    public void rejectsClassAgnosticLogitsWithSeveralChannels() {
        NDList[] all = threeRois();
        Expect.illegalArgument(
                () -> metric(3, true).updateAccumulator(KEY, all[0], all[1]),
                "class-agnostic",
                "K = 1",
                "(3, 3, 2, 2)");
    }

    @Test
    public void rejectsAClassIdBeyondTheChannels() {
        NDList[] all = threeRois();
        NDList labels = new NDList(manager.create(new long[] {2, 3, 0}), all[0].get(1));
        Expect.illegalArgument(
                () -> metric(3, false).updateAccumulator(KEY, labels, all[1]),
                "classIds",
                "[0, 3)",
                "got 3");
    }

    @Test
    public void rejectsAClassIdBeyondTheClassesOfAClassAgnosticHead() {
        NDList[] all = threeRois();
        NDList labels = new NDList(manager.create(new long[] {2, 1, 5}), all[0].get(1));
        NDArray logits = manager.zeros(new Shape(3, 1, 2, 2));
        MaskIoU metric = metric(3, true);
        Expect.illegalArgument(
                () -> metric.updateAccumulator(KEY, labels, new NDList(logits)),
                "classIds",
                "[0, 3)",
                "got 5");
        Expect.illegalArgument(
                () -> metric.evaluate(labels, new NDList(logits)), "classIds", "got 5");
        assertTrue(Float.isNaN(metric.getAccumulator(KEY)), "nothing counted");
    }

    @Test
    public void rejectsNaNLogits() {
        NDList[] all = threeRois();
        float[] logits = all[1].head().toFloatArray();
        logits[5] = Float.NaN;
        NDArray broken = manager.create(logits, new Shape(3, 3, 2, 2));
        MaskIoU metric = metric(3, false);
        Expect.illegalArgument(
                () -> metric.updateAccumulator(KEY, all[0], new NDList(broken)),
                "predictions must be finite",
                "1 of 36 values",
                "NaN at [0, 1, 0, 1]");
        assertTrue(Float.isNaN(metric.getAccumulator(KEY)), "nothing counted");
    }
}
