package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.target.BilinearResize;
import io.github.segloss.target.MaskTargets;
import io.github.segloss.target.NearestExactResize;
import io.github.segloss.target.RoiAlign;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * The target functions on this engine: the reference cases of {@link MaskTargets#project}, {@link
 * RoiAlign} and {@link BilinearResize} (outputs, and gradients to the features), and the shapes,
 * zero RoIs and bad input of each. The reference numbers come from torchvision 0.14's {@code
 * project_masks_on_boxes} and {@code roi_align} and torch 1.13's bilinear {@code interpolate} in
 * float64 ({@code golden-public-core.json} and {@code generated.json}); {@link ReferenceCaseRunner}
 * checks them.
 */
public class TargetsTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public TargetsTest(String engine) {
        super(
                engine,
                "MaskTargets.project",
                "RoiAlign",
                "BilinearResize",
                "NearestExactResize",
                "PointSampling.sample",
                "PointSampling.mostUncertain");
    }

    private static RoiAlign align() {
        return RoiAlign.builder().setOutputSize(3, 2).build();
    }

    private NDArray boxes(float... values) {
        return manager.create(values, new Shape(values.length / 4, 4));
    }

    @Test
    public void zeroRoisGiveAnEmptyResult() {
        NDArray masks = manager.ones(new Shape(2, 8, 8));
        NDArray targets =
                MaskTargets.project(
                        masks,
                        manager.zeros(new Shape(0, 4)),
                        manager.zeros(new Shape(0), DataType.INT64),
                        5,
                        false);
        assertEquals(targets.getShape(), new Shape(0, 5, 5));
        NDArray crops =
                align().apply(
                                manager.ones(new Shape(1, 4, 6, 6)),
                                manager.zeros(new Shape(0, 4)),
                                manager.zeros(new Shape(0), DataType.INT64));
        assertEquals(crops.getShape(), new Shape(0, 4, 3, 2));
    }

    /**
     * Inside a 0/1 mask the interpolation weights of a cell sum to 1 only up to float rounding; the
     * targets must still stay within [0, 1], or the mask loss rejects its own targets (found by the
     * 1024² mask benchmark: 1.0000001 at 49,080 cells).
     */
    @Test
    public void projectedTargetsOfLargeMasksStayWithinZeroAndOne() {
        int size = 1024;
        NDArray masks = manager.ones(new Shape(1, size, size));
        java.util.Random random = new java.util.Random(7);
        int rois = 32;
        float[] coordinates = new float[rois * 4];
        for (int r = 0; r < rois; r++) {
            float x = random.nextFloat() * 500;
            float y = random.nextFloat() * 500;
            coordinates[4 * r] = x;
            coordinates[4 * r + 1] = y;
            coordinates[4 * r + 2] = x + 64 + random.nextFloat() * 400;
            coordinates[4 * r + 3] = y + 64 + random.nextFloat() * 400;
        }
        NDArray targets =
                MaskTargets.project(
                        masks,
                        boxes(coordinates),
                        manager.zeros(new Shape(rois), DataType.INT64),
                        28,
                        false);
        float max = targets.max().getFloat();
        org.testng.Assert.assertTrue(max <= 1f, "largest target " + max);
        NDArray logits = manager.zeros(new Shape(rois, 2, 28, 28));
        float loss =
                io.github.segloss.loss.MaskRcnnMaskLoss.builder()
                        .build()
                        .evaluate(
                                new ai.djl.ndarray.NDList(
                                        manager.ones(new Shape(rois), DataType.INT64), targets),
                                new ai.djl.ndarray.NDList(logits))
                        .getFloat();
        assertEquals(loss, (float) Math.log(2), 1e-5f);
    }

    @Test
    public void wholeMaskBoxOfAFullMaskIsAllOnes() {
        NDArray masks = manager.ones(new Shape(1, 10, 10), DataType.INT32);
        NDArray targets =
                MaskTargets.project(
                        masks, boxes(0, 0, 10, 10), manager.create(new long[] {0}), 4, true);
        assertEquals(targets.getShape(), new Shape(1, 4, 4));
        assertEquals(targets.getDataType(), DataType.FLOAT32);
        assertEquals(targets.toFloatArray(), manager.ones(new Shape(16)).toFloatArray());
    }

    @Test
    public void rejectsMasksWithoutInstanceAxis() {
        Expect.illegalArgument(
                () ->
                        MaskTargets.project(
                                manager.ones(new Shape(8, 8)),
                                boxes(0, 0, 1, 1),
                                manager.create(new long[] {0}),
                                4,
                                false),
                "gtMasks",
                "(G, H, W)",
                "got (8, 8)");
    }

    @Test
    public void rejectsMatchedIndexBeyondTheMasks() {
        Expect.illegalArgument(
                () ->
                        MaskTargets.project(
                                manager.ones(new Shape(2, 8, 8)),
                                boxes(0, 0, 1, 1, 2, 2, 3, 3),
                                manager.create(new long[] {0, 2}),
                                4,
                                false),
                "matchedIdxs",
                "[0, 2)",
                "got 2");
    }

    @Test
    public void rejectsMatchedIndicesOfAnotherRoiCount() {
        Expect.illegalArgument(
                () ->
                        MaskTargets.project(
                                manager.ones(new Shape(2, 8, 8)),
                                boxes(0, 0, 1, 1),
                                manager.create(new long[] {0, 1}),
                                4,
                                false),
                "matchedIdxs",
                "(1)",
                "got (2)");
    }

    @Test
    public void rejectsBoxesWithoutFourCoordinates() {
        Expect.illegalArgument(
                () ->
                        align().apply(
                                        manager.ones(new Shape(1, 1, 4, 4)),
                                        manager.ones(new Shape(2, 3)),
                                        manager.zeros(new Shape(2), DataType.INT64)),
                "boxes",
                "(R, 4)",
                "got (2, 3)");
    }

    @Test
    public void rejectsNonFiniteBox() {
        Expect.illegalArgument(
                () ->
                        align().apply(
                                        manager.ones(new Shape(1, 1, 4, 4)),
                                        boxes(0, 0, Float.NaN, 2),
                                        manager.zeros(new Shape(1), DataType.INT64)),
                "boxes",
                "finite",
                "NaN",
                "box 0");
    }

    @Test
    public void rejectsBatchIndexBeyondTheImages() {
        Expect.illegalArgument(
                () ->
                        align().apply(
                                        manager.ones(new Shape(2, 1, 4, 4)),
                                        boxes(0, 0, 1, 1),
                                        manager.create(new long[] {2})),
                "batchIndices",
                "[0, 2)",
                "2.0",
                "RoI 0");
    }

    @Test
    public void rejectsFeaturesOfRankThree() {
        Expect.illegalArgument(
                () ->
                        align().apply(
                                        manager.ones(new Shape(1, 4, 4)),
                                        boxes(0, 0, 1, 1),
                                        manager.create(new long[] {0})),
                "features",
                "(B, C, H, W)",
                "(1, 4, 4)");
    }

    @Test
    public void rejectsBadSettings() {
        Expect.illegalArgument(() -> RoiAlign.builder().setOutputSize(0, 3), "outputSize", "0 x 3");
        Expect.illegalArgument(() -> RoiAlign.builder().build(), "setOutputSize");
        Expect.illegalArgument(
                () -> RoiAlign.builder().optSpatialScale(-1), "spatialScale", "-1.0");
    }

    @Test
    public void resizeRejectsBadInput() {
        Expect.illegalArgument(
                () -> BilinearResize.resize(manager.ones(new Shape(2, 3, 4)), 2, 2, false),
                "input",
                "(N, C, H, W)",
                "(2, 3, 4)");
        Expect.illegalArgument(
                () -> BilinearResize.resize(manager.ones(new Shape(1, 1, 4, 4)), 0, 2, false),
                "output size",
                "0 x 2");
    }

    @Test
    public void resizeToTheSameSizeIsTheIdentity() {
        NDArray x = manager.arange(12f).reshape(1, 1, 3, 4);
        assertEquals(BilinearResize.resize(x, 3, 4, false).toFloatArray(), x.toFloatArray());
    }

    @Test
    public void nearestExactResizeKeepsTypeAndRejectsBadSizes() {
        NDArray labels = manager.create(new byte[] {0, 1, 2, 3, 4, 5}, new Shape(1, 2, 3));
        NDArray resized = NearestExactResize.resize(labels, 4, 2);
        assertEquals(resized.getDataType(), DataType.INT8);
        // rows 0,0,1,1 (floor((i + 0.5) * 2 / 4)); columns 0, 2 (floor((i + 0.5) * 3 / 2))
        assertEquals(resized.toByteArray(), new byte[] {0, 2, 0, 2, 3, 5, 3, 5});
        assertTrue(NearestExactResize.resize(labels, 2, 3) == labels, "same size: no copy");
        NDArray big = manager.create(new long[] {1L << 40, 255}, new Shape(1, 2));
        assertEquals(
                NearestExactResize.resize(big, 4).toLongArray(),
                new long[] {1L << 40, 1L << 40, 255, 255});
        Expect.illegalArgument(() -> NearestExactResize.resize(labels), "0 axes");
        Expect.illegalArgument(
                () -> NearestExactResize.resize(labels, 1, 2, 3), "batch axis", "(1, 2, 3)");
        Expect.illegalArgument(() -> NearestExactResize.resize(labels, 0, 2), "size", ">= 1");
        Expect.illegalArgument(
                () -> NearestExactResize.resize(manager.zeros(new Shape(1, 0, 3)), 2, 3),
                "no pixel",
                "axis 1");
    }
}
