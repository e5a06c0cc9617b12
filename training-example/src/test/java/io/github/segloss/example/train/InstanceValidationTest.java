package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.segloss.inference.InstanceMasks;
import java.util.Map;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The mask task's instance metrics on constructed masks, and the scores and overlap rule of the
 * pasted instances.
 */
public class InstanceValidationTest {

    private static final int SIZE = 16;

    @DataProvider(name = "engines")
    public Object[][] engines() {
        return new Object[][] {{"PyTorch"}, {"MXNet"}};
    }

    /** A filled rectangle on a SIZE × SIZE image, rows [y1, y2) and columns [x1, x2). */
    private static boolean[] box(int x1, int y1, int x2, int y2) {
        boolean[] mask = new boolean[SIZE * SIZE];
        for (int y = y1; y < y2; y++) {
            for (int x = x1; x < x2; x++) {
                mask[y * SIZE + x] = true;
            }
        }
        return mask;
    }

    @Test
    public void predictionsEqualToTheTruthGiveApOneAndBoundaryIouOne() {
        InstanceValidation.Scores scores = new InstanceValidation.Scores(2);
        boolean[][] truths = {box(1, 1, 6, 6), box(8, 2, 15, 9), box(3, 10, 12, 15)};
        int[] classes = {0, 1, 0};
        // two images, the second with two instances
        scores.add(0, SIZE, truths[0].clone(), 0.9, classes[0], truths[0]);
        scores.add(1, SIZE, truths[1].clone(), 0.4, classes[1], truths[1]);
        scores.add(1, SIZE, truths[2].clone(), 0.7, classes[2], truths[2]);
        Map<String, Double> values = scores.finish();
        assertEquals(values.get(InstanceValidation.MASK_AP), 1.0, 1e-12);
        assertEquals(values.get(InstanceValidation.MASK_AP50), 1.0, 1e-12);
        assertEquals(values.get(InstanceValidation.MASK_AP75), 1.0, 1e-12);
        assertEquals(values.get(InstanceValidation.BOUNDARY_IOU), 1.0, 1e-12);
    }

    @Test
    public void aPoorMaskLowersApAndBoundaryIou() {
        InstanceValidation.Scores scores = new InstanceValidation.Scores(1);
        boolean[] truth = box(2, 2, 14, 14);
        // IoU 36 / 144 = 0.25: below every COCO threshold
        scores.add(0, SIZE, box(2, 2, 8, 8), 0.8, 0, truth);
        Map<String, Double> values = scores.finish();
        assertEquals(values.get(InstanceValidation.MASK_AP), 0.0, 1e-12);
        double boundary = values.get(InstanceValidation.BOUNDARY_IOU);
        assertTrue(boundary > 0 && boundary < 1, "boundary IoU " + boundary);
    }

    @Test
    public void finishStartsAfreshAndAnEmptyEpochIsNan() {
        InstanceValidation.Scores scores = new InstanceValidation.Scores(1);
        scores.add(0, SIZE, box(2, 2, 8, 8), 0.8, 0, box(2, 2, 14, 14));
        scores.finish();
        Map<String, Double> empty = scores.finish();
        assertTrue(empty.values().stream().allMatch(v -> v.isNaN()), empty.toString());
    }

    @Test
    public void theHigherScoreTakesOverlappingPixelsAndEqualScoresTheLowerId() {
        boolean[] left = box(0, 0, 10, 10);
        boolean[] right = box(5, 5, 15, 15);
        int overlap = 7 * SIZE + 7;
        int[] ids =
                new PastedInstances(
                                SIZE, SIZE, new boolean[][] {left, right}, new double[] {0.3, 0.8})
                        .idMap();
        assertEquals(ids[overlap], 2, "the second instance scores higher");
        assertEquals(ids[1 * SIZE + 1], 1);
        assertEquals(ids[14 * SIZE + 14], 2);
        assertEquals(ids[0 * SIZE + 15], 0, "background");
        ids =
                new PastedInstances(
                                SIZE, SIZE, new boolean[][] {left, right}, new double[] {0.8, 0.3})
                        .idMap();
        assertEquals(ids[overlap], 1, "the first instance scores higher");
        ids =
                new PastedInstances(
                                SIZE, SIZE, new boolean[][] {left, right}, new double[] {0.5, 0.5})
                        .idMap();
        assertEquals(ids[overlap], 1, "equal scores: the lower id");
    }

    @Test(dataProvider = "engines")
    public void masksArePasteAndScoresTheMeanProbabilityOverThem(String engine) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine)) {
            int m = 4;
            float[] values = new float[2 * 2 * m * m];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) Math.sin(0.7 * i) * 3;
            }
            NDArray logits = manager.create(values, new Shape(2, 2, m, m));
            NDArray boxes =
                    manager.create(new float[] {1, 2, 11, 9, 4.5f, 0, 15, 13}, new Shape(2, 4));
            NDArray classIds = manager.create(new int[] {1, 0});
            PastedInstances pasted = PastedInstances.of(logits, boxes, classIds, SIZE, SIZE);
            boolean[] masks = hostMasks(InstanceMasks.paste(logits, boxes, classIds, SIZE, SIZE));
            float[] probabilities =
                    InstanceMasks.pasteProbabilities(
                                    Activation.sigmoid(logits), boxes, classIds, SIZE, SIZE)
                            .toFloatArray();
            int plane = SIZE * SIZE;
            for (int r = 0; r < 2; r++) {
                double sum = 0;
                int count = 0;
                for (int p = 0; p < plane; p++) {
                    assertEquals(pasted.masks()[r][p], masks[r * plane + p], "pixel " + p);
                    if (masks[r * plane + p]) {
                        sum += probabilities[r * plane + p];
                        count++;
                    }
                }
                assertTrue(count > 0, "instance " + r + " has pixels");
                assertEquals(pasted.scores()[r], sum / count, 1e-6);
            }
        }
    }

    private static boolean[] hostMasks(NDArray masks) {
        int[] values = masks.toType(DataType.INT32, false).toIntArray();
        boolean[] flags = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            flags[i] = values[i] != 0;
        }
        return flags;
    }
}
