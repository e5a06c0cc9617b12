package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.testng.annotations.Test;

/** {@link MaskIoU}: the class channel, thresholds, accumulation per class, empty cases. */
public class MaskIoUTest {

    /** Two RoIs of 2×2 pixels, three classes; logits +1 mark predicted foreground. */
    private static NDList predictions(NDManager manager) {
        float[] logits = new float[2 * 3 * 4];
        // RoI 0, class 2: predicts the top row
        logits[(0 * 3 + 2) * 4] = 1;
        logits[(0 * 3 + 2) * 4 + 1] = 1;
        // RoI 0, class 0: predicts everything (must be ignored: RoI 0 is class 2)
        for (int i = 0; i < 4; i++) {
            logits[i] = 1;
        }
        // RoI 1, class 1: predicts pixel 0
        logits[(1 * 3 + 1) * 4] = 1;
        NDArray array = manager.create(logits, new Shape(2, 3, 2, 2)).sub(0.5f);
        return new NDList(array);
    }

    private static NDList labels(NDManager manager) {
        NDArray classIds = manager.create(new int[] {2, 1});
        // RoI 0: the left column (IoU with the top row: 1/3); RoI 1: pixel 0 (IoU 1), soft 0.6
        NDArray targets =
                manager.create(new float[] {1, 0, 1, 0, 0.6f, 0, 0, 0.4f}, new Shape(2, 2, 2));
        return new NDList(classIds, targets);
    }

    @Test
    public void readsTheClassChannelAboveZeroAgainstTargetsAboveOneHalf() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            double[] iou = MaskIoU.perRoi(labels(manager), predictions(manager));
            assertEquals(iou[0], 1.0 / 3, 1e-9);
            assertEquals(iou[1], 1.0, 1e-9);
            MaskIoU metric = new MaskIoU("mask_iou", 3);
            assertEquals(
                    metric.evaluate(labels(manager), predictions(manager)).getFloat(),
                    (float) (2.0 / 3),
                    1e-6f);
        }
    }

    @Test
    public void accumulatesTheMeanOverRoisAndPerClass() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MaskIoU metric = new MaskIoU("mask_iou", 3);
            metric.addAccumulator("val");
            assertTrue(Float.isNaN(metric.getAccumulator("val")), "nothing counted yet");
            metric.updateAccumulators(new String[] {"val"}, labels(manager), predictions(manager));
            metric.updateAccumulator("val", labels(manager), predictions(manager));
            assertEquals(metric.getAccumulator("val"), (float) (2.0 / 3), 1e-6f);
            double[] perClass = metric.getPerClassIoU("val");
            assertTrue(Double.isNaN(perClass[0]), "class 0 has no RoI");
            assertEquals(perClass[1], 1.0, 1e-9);
            assertEquals(perClass[2], 1.0 / 3, 1e-9);
            metric.resetAccumulator("val");
            assertTrue(Float.isNaN(metric.getAccumulator("val")));
        }
    }

    @Test
    public void classAgnosticLogitsUseChannelZeroAndCountUnderTheRoisClass() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray logits =
                    manager.create(
                            new float[] {1, 1, -1, -1, 1, -1, -1, -1}, new Shape(2, 1, 2, 2));
            MaskIoU metric = new MaskIoU("mask_iou", 3);
            metric.addAccumulator("val");
            metric.updateAccumulator("val", labels(manager), new NDList(logits));
            double[] perClass = metric.getPerClassIoU("val");
            assertEquals(perClass[2], 1.0 / 3, 1e-9);
            assertEquals(perClass[1], 1.0, 1e-9);
        }
    }

    @Test
    public void zeroRoisAddNothingAndEmptyMasksAgree() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MaskIoU metric = new MaskIoU("mask_iou", 2);
            metric.addAccumulator("val");
            NDList none =
                    new NDList(
                            manager.zeros(new Shape(0), DataType.INT32),
                            manager.zeros(new Shape(0, 2, 2)));
            metric.updateAccumulator("val", none, new NDList(manager.zeros(new Shape(0, 2, 2, 2))));
            assertTrue(Float.isNaN(metric.getAccumulator("val")));
            NDList empty =
                    new NDList(manager.create(new int[] {1}), manager.zeros(new Shape(1, 2, 2)));
            double[] iou =
                    MaskIoU.perRoi(empty, new NDList(manager.full(new Shape(1, 2, 2, 2), -1f)));
            assertEquals(iou[0], 1.0, "nothing predicted, nothing there");
        }
    }

    @Test
    public void aClassIdOutsideTheChannelsIsRejected() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDList labels =
                    new NDList(manager.create(new int[] {3}), manager.zeros(new Shape(1, 2, 2)));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> MaskIoU.perRoi(labels, new NDList(manager.zeros(new Shape(1, 3, 2, 2)))));
        }
    }
}
