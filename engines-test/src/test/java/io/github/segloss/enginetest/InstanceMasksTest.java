package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.inference.InstanceMasks;
import java.util.Random;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * {@link InstanceMasks} on this engine: the pasted probabilities and masks of torchvision 0.14's
 * {@code paste_masks_in_image} ({@code generated-inference.json}, run by {@link
 * ReferenceCaseRunner}: boxes inside, across the border, degenerate, float64 boxes, no detection),
 * boxes wholly outside the image (where torchvision raises), detections pasted in several groups,
 * float16 logits, the threshold, and bad input.
 */
public class InstanceMasksTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public InstanceMasksTest(String engine) {
        super(engine, "InstanceMasks.paste");
    }

    /** Seeded logits (R, K, M, M) in [-4, 4). */
    private NDArray logits(int r, int k, int m, long seed) {
        Random random = new Random(seed);
        float[] values = new float[r * k * m * m];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() * 8 - 4;
        }
        return manager.create(values, new Shape(r, k, m, m));
    }

    private NDArray boxes(float... corners) {
        return manager.create(corners, new Shape(corners.length / 4, 4));
    }

    private static long count(NDArray masks) {
        return masks.toType(DataType.INT64, false).sum().getLong();
    }

    @Test
    public void masksAreBooleanImagesOnePerDetection() {
        NDArray masks =
                InstanceMasks.paste(
                        logits(2, 3, 5, 1),
                        boxes(1, 1, 6, 7, 3, 2, 9, 4),
                        manager.create(new long[] {2, 0}),
                        10,
                        12);
        assertEquals(masks.getShape(), new Shape(2, 10, 12));
        assertEquals(masks.getDataType(), DataType.BOOLEAN);
        assertEquals(masks.getDevice(), manager.getDevice());
    }

    @Test
    public void boxesWhollyOutsideTheImageGiveEmptyMasks() {
        // all-positive logits: every pixel a box covers inside the image belongs to its mask
        NDArray ones = manager.ones(new Shape(6, 1, 4, 4)).mul(manager.create(10f));
        NDArray outside =
                boxes(
                        -20, 2, -8, 6, // left
                        30, 2, 40, 6, // right
                        2, -30, 6, -12, // above
                        2, 25, 6, 35, // below
                        -40, -40, -20, -20, // beyond a corner
                        -3, -6, -5, -8); // reversed and outside
        NDArray masks = InstanceMasks.paste(ones, outside, null, 10, 12);
        assertEquals(masks.getShape(), new Shape(6, 10, 12));
        assertEquals(count(masks), 0, "no pixel of a box wholly outside the image");
        // the same boxes moved across the border do cover pixels
        NDArray across = boxes(-20, 2, 3, 6, 8, 2, 40, 6, 2, -30, 6, 3, 2, 5, 6, 35);
        NDArray inside = InstanceMasks.paste(ones.get("0:4"), across, null, 10, 12);
        for (int r = 0; r < 4; r++) {
            assertTrue(count(inside.get(r)) > 0, "box " + r + " across the border");
        }
    }

    @Test
    public void detectionsPastedInSeveralGroupsEqualEachPastedAlone() {
        // 2048 x 2048 pixels fill a group, so three detections take three groups
        int side = 2048;
        assertTrue((long) side * side >= InstanceMasks.DEFAULT_GROUP_VALUES);
        NDArray x = logits(3, 2, 4, 3);
        NDArray b = boxes(10, 20, 900, 700, 1500, 1000, 2100, 2040, -50, 300, 400, 1200);
        NDArray ids = manager.create(new int[] {1, 0, 1});
        NDArray all = InstanceMasks.paste(x, b, ids, side, side);
        assertEquals(all.getShape(), new Shape(3, side, side));
        for (int r = 0; r < 3; r++) {
            String range = r + ":" + (r + 1);
            NDArray alone =
                    InstanceMasks.paste(x.get(range), b.get(range), ids.get(range), side, side);
            assertTrue(all.get(range).contentEquals(alone), "detection " + r);
            assertTrue(count(alone) > 0, "detection " + r + " has mask pixels");
        }
    }

    @Test
    public void float16LogitsGiveTheMasksOfTheirValues() {
        NDArray half = logits(3, 2, 6, 4).toType(DataType.FLOAT16, false);
        NDArray b = boxes(0, 0, 8, 8, 2.5f, 3.5f, 11, 9, -2, 4, 5, 12);
        NDArray ids = manager.create(new long[] {0, 1, 1});
        NDArray widened = half.toType(DataType.FLOAT32, false);
        assertTrue(
                InstanceMasks.paste(half, b, ids, 12, 13)
                        .contentEquals(InstanceMasks.paste(widened, b, ids, 12, 13)));
        assertEquals(
                InstanceMasks.pasteProbabilities(
                                half.sub(half)
                                        .add(manager.create(0.25f).toType(DataType.FLOAT16, false)),
                                b,
                                ids,
                                12,
                                13)
                        .getDataType(),
                DataType.FLOAT32);
    }

    @Test
    public void aPixelBelongsToTheMaskFromTheThresholdOn() {
        // probability 1 everywhere in the box: at threshold 1 only pixels whose pasted value
        // reaches 1 remain, a subset of those at 0.5, and the lower the threshold the more pixels
        NDArray x = logits(2, 1, 7, 5);
        NDArray b = boxes(1, 1, 14, 10, 4, 0, 9, 12);
        long previous = Long.MAX_VALUE;
        for (double threshold : new double[] {0.05, 0.3, 0.5, 0.8, 1}) {
            NDArray masks = InstanceMasks.paste(x, b, null, 13, 15, threshold);
            long pixels = count(masks);
            assertTrue(pixels <= previous, "threshold " + threshold);
            previous = pixels;
        }
        NDArray probabilities =
                InstanceMasks.pasteProbabilities(x.getNDArrayInternal().sigmoid(), b, null, 13, 15);
        assertTrue(
                InstanceMasks.paste(x, b, null, 13, 15, 0.3).contentEquals(probabilities.gte(0.3)));
        assertFalse(InstanceMasks.paste(x, b, null, 13, 15).contentEquals(probabilities.gte(0.3)));
    }

    @Test
    public void pasteRejectsBadInput() {
        NDArray x = logits(2, 3, 4, 6);
        NDArray b = boxes(1, 1, 5, 5, 2, 2, 6, 6);
        NDArray ids = manager.create(new long[] {0, 2});
        Expect.illegalArgument(
                () -> InstanceMasks.paste(manager.ones(new Shape(2, 3, 4)), b, ids, 8, 8),
                "maskLogits",
                "(2, 3, 4)");
        Expect.illegalArgument(
                () -> InstanceMasks.paste(manager.ones(new Shape(2, 3, 4, 5)), b, ids, 8, 8),
                "maskLogits",
                "(R, K, M, M)",
                "(2, 3, 4, 5)");
        Expect.illegalArgument(
                () -> InstanceMasks.paste(x.toType(DataType.INT32, false), b, ids, 8, 8),
                "maskLogits",
                "floating-point",
                "int32");
        Expect.illegalArgument(
                () -> InstanceMasks.paste(x, boxes(1, 1, 5, 5), ids, 8, 8),
                "boxes",
                "(2, 4)",
                "(1, 4)");
        Expect.illegalArgument(
                () -> InstanceMasks.paste(x, manager.ones(new Shape(2, 5)), ids, 8, 8),
                "boxes",
                "(R, 4)",
                "(2, 5)");
        Expect.illegalArgument(
                () -> InstanceMasks.paste(x, boxes(1, 1, Float.NaN, 5, 2, 2, 6, 6), ids, 8, 8),
                "boxes",
                "finite",
                "NaN in box 0");
        Expect.illegalArgument(
                () -> InstanceMasks.paste(x, boxes(1, 1, 5, 5, 2, 2, 6, 1e30f), ids, 8, 8),
                "boxes",
                "in box 1");
        Expect.illegalArgument(
                () -> InstanceMasks.paste(x, b, null, 8, 8), "classIds", "K > 1", "null");
        Expect.illegalArgument(
                () -> InstanceMasks.paste(x, b, manager.create(new long[] {0, 3}), 8, 8),
                "classIds",
                "[0, 3)",
                "got 3 at [1]");
        Expect.illegalArgument(
                () -> InstanceMasks.paste(x, b, manager.create(new long[] {0}), 8, 8),
                "classIds",
                "(2)",
                "(1)");
        Expect.illegalArgument(
                () -> InstanceMasks.paste(x, b, ids, 0, 8), "height and width", "0 and 8");
        Expect.illegalArgument(
                () -> InstanceMasks.paste(x, b, ids, 8, 8, 0), "threshold", "(0, 1]", "got 0.0");
        Expect.illegalArgument(
                () -> InstanceMasks.paste(x, b, ids, 8, 8, Double.NaN), "threshold", "NaN");
        Expect.illegalArgument(
                () -> InstanceMasks.pasteProbabilities(x, b, ids, 8, 8), "probabilities", "[0, 1]");
    }
}
