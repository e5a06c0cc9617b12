package io.github.segloss.enginetest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.loss.MaskedL2Loss;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link MaskedL2Loss} on this engine: its reference cases (with and without a
 * mask, all masked out), its factor and its bad input. The reference values and gradients are the
 * masked mean of squared errors computed with torch 1.13 in float64 ({@code
 * golden-public-core.json} and {@code generated.json}); {@link ReferenceCaseRunner} checks them.
 */
public class MaskedL2LossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public MaskedL2LossTest(String engine) {
        super(engine, "MaskedL2Loss");
    }

    @Test
    public void hasNoFactorOneHalf() {
        NDArray prediction = manager.create(new float[] {3, 0});
        NDArray target = manager.create(new float[] {1, 0});
        float value =
                new MaskedL2Loss().evaluate(new NDList(target), new NDList(prediction)).getFloat();
        Tolerance.assertValue(engine, "l2_no_half", "loss", value, 2.0); // (2^2 + 0) / 2
    }

    @Test
    public void rejectsTargetOfAnotherShape() {
        NDArray prediction = manager.ones(new Shape(2, 3));
        Expect.illegalArgument(
                () ->
                        new MaskedL2Loss()
                                .evaluate(
                                        new NDList(manager.ones(new Shape(3, 2))),
                                        new NDList(prediction)),
                "target",
                "(2, 3)",
                "got (3, 2)");
    }

    @Test
    public void rejectsMaskThatDoesNotBroadcast() {
        NDArray prediction = manager.ones(new Shape(2, 3, 4));
        Expect.illegalArgument(
                () ->
                        new MaskedL2Loss()
                                .evaluate(
                                        new NDList(
                                                manager.ones(new Shape(2, 3, 4)),
                                                manager.ones(new Shape(2, 2, 4))),
                                        new NDList(prediction)),
                "mask",
                "(2, 3, 4)",
                "got (2, 2, 4)");
    }

    @Test
    public void rejectsNegativeMask() {
        NDArray prediction = manager.ones(new Shape(3));
        Expect.illegalArgument(
                () ->
                        new MaskedL2Loss()
                                .evaluate(
                                        new NDList(
                                                manager.ones(new Shape(3)),
                                                manager.create(new float[] {1, -1, 0})),
                                        new NDList(prediction)),
                "mask",
                "finite and >= 0",
                "got -1",
                "at [1]");
    }

    @Test
    public void rejectsInfiniteMask() {
        NDArray prediction = manager.ones(new Shape(2));
        Expect.illegalArgument(
                () ->
                        new MaskedL2Loss()
                                .evaluate(
                                        new NDList(
                                                manager.ones(new Shape(2)),
                                                manager.create(
                                                        new float[] {1, Float.POSITIVE_INFINITY})),
                                        new NDList(prediction)),
                "mask",
                "finite and >= 0",
                "got Infinity",
                "at [1]");
    }

    @Test
    public void rejectsThreeLabels() {
        NDArray prediction = manager.ones(new Shape(3));
        Expect.illegalArgument(
                () ->
                        new MaskedL2Loss()
                                .evaluate(
                                        new NDList(prediction, prediction, prediction),
                                        new NDList(prediction)),
                "labels",
                "NDList(target) or NDList(target, mask)",
                "got 3");
    }
}
