package io.github.segloss.enginetest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.BinaryCrossEntropyLoss;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link BinaryCrossEntropyLoss} on this engine: its reference cases (positive and
 * element weights, ignore index, smoothing), its targets, weights and settings. The reference
 * values and gradients come from torch 1.13's {@code binary_cross_entropy_with_logits} ({@code
 * golden-public-family.json} and {@code generated.json}), computed in float64 and checked by {@link
 * ReferenceCaseRunner}.
 */
public class BinaryCrossEntropyLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public BinaryCrossEntropyLossTest(String engine) {
        super(engine, "BinaryCrossEntropyLoss");
    }

    @Test
    public void binaryCrossEntropyTargetsLieInZeroOne() {
        Loss bce = BinaryCrossEntropyLoss.builder().optIgnoreIndex(255).build();
        NDArray targets = manager.create(new float[] {0, 0.5f, 255, 1.5f});
        Expect.illegalArgument(
                () -> evaluate(bce, targets, zeros(4)),
                "targets",
                "[0, 1] or the ignore index 255",
                "got 1.5",
                "at [3]");
    }

    @Test
    public void binaryCrossEntropyTargetsHaveTheLogitsShape() {
        Loss bce = BinaryCrossEntropyLoss.builder().build();
        Expect.illegalArgument(
                () -> evaluate(bce, manager.zeros(new Shape(2, 3)), zeros(2, 1, 3)),
                "targets",
                "(2, 1, 3)",
                "got (2, 3)");
    }

    @Test
    public void positiveWeightsMatchTheClassAxis() {
        Loss bce = BinaryCrossEntropyLoss.builder().optPosWeight(1f, 2f).build();
        Expect.illegalArgument(
                () -> evaluate(bce, manager.zeros(new Shape(2, 3, 4)), zeros(2, 3, 4)),
                "posWeight",
                "3",
                "got 2");
    }

    @Test
    public void elementWeightsBroadcastAndAreNonNegative() {
        Loss bce = BinaryCrossEntropyLoss.builder().build();
        NDArray targets = manager.zeros(new Shape(2, 3));
        Expect.illegalArgument(
                () ->
                        bce.evaluate(
                                new NDList(targets, manager.ones(new Shape(3, 2))),
                                new NDList(zeros(2, 3))),
                "weights",
                "(2, 3)",
                "got (3, 2)");
        Expect.illegalArgument(
                () ->
                        bce.evaluate(
                                new NDList(
                                        targets,
                                        manager.create(new float[] {1, -1, 1}, new Shape(1, 3))),
                                new NDList(zeros(2, 3))),
                "weights",
                "finite and >= 0",
                "got -1");
    }

    @Test
    public void rejectsBadBinaryCrossEntropySettings() {
        Expect.illegalArgument(
                () -> BinaryCrossEntropyLoss.builder().optIgnoreIndex(1), "ignoreIndex", "got 1");
        Expect.illegalArgument(
                () -> BinaryCrossEntropyLoss.builder().optSmoothFactor(1f),
                "smoothFactor",
                "[0, 1)");
    }
}
