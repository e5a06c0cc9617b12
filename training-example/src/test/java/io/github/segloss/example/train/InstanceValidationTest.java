package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.listener.TrainingListener;
import io.github.segloss.example.data.InstanceBatch;
import io.github.segloss.inference.InstanceMasks;
import java.util.Arrays;
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
        int[] ids = idMap(left, 0.3, right, 0.8);
        assertEquals(ids[overlap], 2, "the second instance scores higher");
        assertEquals(ids[1 * SIZE + 1], 1);
        assertEquals(ids[14 * SIZE + 14], 2);
        assertEquals(ids[0 * SIZE + 15], 0, "background");
        ids = idMap(left, 0.8, right, 0.3);
        assertEquals(ids[overlap], 1, "the first instance scores higher");
        ids = idMap(left, 0.5, right, 0.5);
        assertEquals(ids[overlap], 1, "equal scores: the lower id");
    }

    private static int[] idMap(boolean[] first, double score1, boolean[] second, double score2) {
        InstanceIdMap map = new InstanceIdMap(SIZE * SIZE);
        map.add(first, score1);
        map.add(second, score2);
        return map.ids();
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

    /**
     * Validation instances of three images on 16² pixels, six instances: image 1's first object is
     * a thin L inside its box and its second fills the same box, both of class 0, so a prediction
     * that fills the box matches the second object better than its own.
     */
    private static InstanceBatch threeImages() {
        int plane = SIZE * SIZE;
        float[][] boxes = {
            {2, 2, 8, 8},
            {2, 2, 12, 12},
            {2, 2, 12, 12},
            {9, 9, 15, 15},
            {1, 1, 7, 9},
            {8, 3, 15, 14}
        };
        int[] images = {0, 1, 1, 1, 2, 2};
        int[] classes = {0, 0, 0, 1, 1, 0};
        float[] masks = new float[boxes.length * plane];
        for (int r = 0; r < boxes.length; r++) {
            float[] b = boxes[r];
            for (int y = (int) b[1]; y < b[3]; y++) {
                for (int x = (int) b[0]; x < b[2]; x++) {
                    boolean thinL = r != 1 || x < b[0] + 2 || y >= b[3] - 2;
                    masks[r * plane + y * SIZE + x] = thinL ? 1 : 0;
                }
            }
        }
        float[] flat = new float[4 * boxes.length];
        for (int r = 0; r < boxes.length; r++) {
            System.arraycopy(boxes[r], 0, flat, 4 * r, 4);
        }
        return new InstanceBatch(3, SIZE, new float[3 * 3 * plane], flat, images, classes, masks);
    }

    /** Logits (R, 2, 4, 4): constant per instance, so each prediction fills its box. */
    private static float[] logits() {
        float[] levels = {5, 5, 2, 4, -1, 3};
        float[] values = new float[levels.length * 2 * 16];
        for (int r = 0; r < levels.length; r++) {
            Arrays.fill(values, r * 32, (r + 1) * 32, levels[r]);
        }
        return values;
    }

    /** Runs the listener over the slices of a batch, numbered as given. */
    private static Map<String, Double> validate(
            String engine, InstanceBatch whole, int maxRois, boolean numberEachSliceAnew) {
        InstanceValidation validation = new InstanceValidation(2);
        float[] all = logits();
        int first = 0;
        long imagesBefore = 0;
        int k = 0;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine)) {
            for (InstanceBatch slice : whole.slices(maxRois)) {
                int rois = slice.instances();
                NDArray logits =
                        manager.create(
                                Arrays.copyOfRange(all, first * 32, (first + rois) * 32),
                                new Shape(rois, 2, 4, 4));
                validation.expect(
                        slice,
                        numberEachSliceAnew
                                ? imagesBefore
                                : InstanceValidation.firstImage(whole, k, maxRois, 0));
                validation.onValidationBatch(
                        null,
                        new TrainingListener.BatchData(
                                null,
                                Map.of(Device.cpu(), new NDList()),
                                Map.of(Device.cpu(), new NDList(logits))));
                first += rois;
                imagesBefore += slice.images();
                k++;
            }
        }
        return validation.finish();
    }

    @Test(dataProvider = "engines")
    public void slicesSplittingAnImageGiveTheNumbersOfTheWholeBatch(String engine) {
        InstanceBatch whole = threeImages();
        Map<String, Double> once = validate(engine, whole, 6, false);
        // slices of two instances: image 1 spans the first two slices
        Map<String, Double> sliced = validate(engine, whole, 2, false);
        assertEquals(sliced, once);
        Map<String, Double> apart = validate(engine, whole, 2, true);
        assertTrue(
                !apart.get(InstanceValidation.MASK_AP).equals(once.get(InstanceValidation.MASK_AP)),
                "counting the parts of image 1 as two images changes its matches: "
                        + apart
                        + " vs "
                        + once);
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
