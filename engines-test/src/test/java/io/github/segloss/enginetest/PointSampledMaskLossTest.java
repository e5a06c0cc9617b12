package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.loss.PointSampledMaskLoss;
import io.github.segloss.target.PointSampling;
import java.util.Random;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link PointSampledMaskLoss} on this engine: its reference cases at given points
 * (Mask2Former's {@code sigmoid_ce_loss} plus {@code dice_loss} at detectron2's {@code
 * point_sample}, written in torch 1.13 in float64, {@code generated-point.json}), the importance
 * sampling of its own points, its settings and its bad input.
 */
public class PointSampledMaskLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public PointSampledMaskLossTest(String engine) {
        super(engine, "PointSampledMaskLoss");
    }

    private NDList labels(ReferenceCase c) {
        return new NDList(
                c.input("classIds").toType(manager, DataType.INT64),
                c.input("targets").toFloat(manager));
    }

    /** A seeded loss draws the same points, so gives the same value, on every call sequence. */
    @Test
    public void seededLossesAgree() {
        ReferenceCase c = ReferenceCase.named("point_loss_28_from_56");
        NDList predictions = new NDList(c.input("logits").toFloat(manager));
        PointSampledMaskLoss a =
                PointSampledMaskLoss.builder().optNumPoints(196).optSeed(7).build();
        PointSampledMaskLoss b =
                PointSampledMaskLoss.builder().optNumPoints(196).optSeed(7).build();
        float first = a.evaluate(labels(c), predictions).getFloat();
        assertEquals(b.evaluate(labels(c), predictions).getFloat(), first);
        assertTrue(Float.isFinite(first) && first > 0, "loss " + first);
    }

    /**
     * With every candidate kept and no random points the loss is the loss at the most uncertain
     * candidates, which equals the loss at the points the reference chose from the same candidates:
     * checked through {@link PointSampling#uncertainPoints} with a seeded source whose draws are
     * replayed as candidates.
     */
    @Test
    public void importanceSamplingKeepsTheMostUncertainCandidates() {
        ReferenceCase c = ReferenceCase.named("point_loss_28_from_56");
        NDArray logits = c.input("logits").toFloat(manager);
        NDArray coarse = logits.get(":, 0:1");
        int numPoints = 50;
        NDArray points = PointSampling.uncertainPoints(coarse, numPoints, 2f, 0.6f, new Random(3));
        assertEquals(points.getShape(), new Shape(4, numPoints, 2));
        float[] xy = points.toFloatArray();
        for (float v : xy) {
            assertTrue(v >= 0 && v < 1, "point coordinate " + v);
        }
        // replay the draws: 100 candidates per mask, then 20 uniform points per mask
        Random replay = new Random(3);
        float[] candidates = new float[4 * 100 * 2];
        for (int i = 0; i < candidates.length; i++) {
            candidates[i] = replay.nextFloat();
        }
        NDArray chosen =
                PointSampling.mostUncertain(
                        coarse, manager.create(candidates, new Shape(4, 100, 2)), 30);
        assertEquals(points.get(":, 0:30").toFloatArray(), chosen.toFloatArray());
        float[] rest = points.get(":, 30:").toFloatArray();
        for (int i = 0; i < rest.length; i++) {
            assertEquals(rest[i], replay.nextFloat(), "uniform point " + i);
        }
        // the chosen are at least as uncertain as every candidate left out
        float[] chosenLogits = PointSampling.sample(coarse, chosen).toFloatArray();
        float[] all =
                PointSampling.sample(coarse, manager.create(candidates, new Shape(4, 100, 2)))
                        .toFloatArray();
        for (int r = 0; r < 4; r++) {
            float worstChosen = 0;
            for (int k = 0; k < 30; k++) {
                worstChosen = Math.max(worstChosen, Math.abs(chosenLogits[r * 30 + k]));
            }
            int beyond = 0;
            for (int k = 0; k < 100; k++) {
                beyond += Math.abs(all[r * 100 + k]) >= worstChosen ? 1 : 0;
            }
            assertTrue(beyond >= 70, "mask " + r + ": " + beyond + " candidates as certain");
        }
    }

    @Test
    public void zeroRoisGiveZero() {
        NDArray logits = manager.zeros(new Shape(0, 3, 8, 8));
        logits.setRequiresGradient(true);
        NDList labels =
                new NDList(
                        manager.zeros(new Shape(0), DataType.INT64),
                        manager.zeros(new Shape(0, 16, 16)));
        NDArray loss = PointSampledMaskLoss.builder().build().evaluate(labels, new NDList(logits));
        assertEquals(loss.getFloat(), 0f);
        assertEquals(loss.getShape(), new Shape());
    }

    @Test
    public void rejectsBadSettingsAndInput() {
        Expect.illegalArgument(
                () -> PointSampledMaskLoss.builder().optNumPoints(-1), "numPoints", "-1");
        Expect.illegalArgument(
                () -> PointSampledMaskLoss.builder().optOversampleRatio(0.5f),
                "oversampleRatio",
                ">= 1",
                "0.5");
        Expect.illegalArgument(
                () -> PointSampledMaskLoss.builder().optImportanceSampleRatio(1.5f),
                "importanceSampleRatio",
                "[0, 1]");
        Expect.illegalArgument(
                () -> PointSampledMaskLoss.builder().optWeights(-1f, 1f), "bceWeight");
        NDArray logits = manager.zeros(new Shape(2, 3, 8, 8));
        NDArray classIds = manager.create(new long[] {0, 2});
        Expect.illegalArgument(
                () ->
                        PointSampledMaskLoss.builder()
                                .build()
                                .evaluate(
                                        new NDList(classIds, manager.zeros(new Shape(3, 16, 16))),
                                        new NDList(logits)),
                "targets",
                "(R, H, W)",
                "R = 2");
        Expect.illegalArgument(
                () ->
                        PointSampledMaskLoss.builder()
                                .build()
                                .evaluate(
                                        new NDList(classIds, manager.zeros(new Shape(2, 16, 16))),
                                        new NDList(logits),
                                        manager.zeros(new Shape(2, 5, 3))),
                "points",
                "(N, P, 2)",
                "(2, 5, 3)");
        Expect.illegalArgument(
                () ->
                        PointSampledMaskLoss.builder()
                                .build()
                                .evaluate(
                                        new NDList(
                                                manager.create(new long[] {0, 3}),
                                                manager.zeros(new Shape(2, 16, 16))),
                                        new NDList(logits)),
                "classIds",
                "3");
    }
}
