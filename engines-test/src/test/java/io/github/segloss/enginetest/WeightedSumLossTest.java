package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.WeightedSumLoss;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link WeightedSumLoss} on this engine: its reference cases (cross-entropy plus
 * a weighted Dice with a shared ignore index; parts on two heads, {@code generated-monai.json}),
 * absent heads, and the names of its parts. The reference values and gradients come from torch
 * 1.13's {@code cross_entropy} plus segmentation_models.pytorch's Dice ({@code generated.json}),
 * computed in float64 and checked by {@link ReferenceCaseRunner}.
 */
public class WeightedSumLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public WeightedSumLossTest(String engine) {
        super(engine, "WeightedSumLoss", "WeightedSumLoss.heads");
    }

    @Test
    public void weightedSumTermsNeedDistinctNames() {
        Expect.illegalArgument(
                () ->
                        WeightedSumLoss.builder()
                                .add(PixelCrossEntropyLoss.builder().build(), 1f)
                                .add(PixelCrossEntropyLoss.builder().build(), 1f),
                "PixelCrossEntropyLoss",
                "twice");
        Expect.illegalArgument(() -> WeightedSumLoss.builder().build(), "at least one");
    }

    /** Parts on heads: the PSPNet recipe written as a weighted sum equals the PSPNet reference. */
    @Test
    public void partsOnHeadsSumAndSkipAbsentHeads() {
        ReferenceCase c = ReferenceCase.named("pspnet_aux");
        WeightedSumLoss loss =
                WeightedSumLoss.builder()
                        .add(PixelCrossEntropyLoss.builder().optName("main").build(), 1f, 0)
                        .add(PixelCrossEntropyLoss.builder().optName("aux").build(), 0.4f, 1)
                        .build();
        NDList labels = new NDList(c.input("labels").toType(manager, DataType.INT64));
        NDArray main = c.input("main").toFloat(manager);
        NDArray aux = c.input("aux").toFloat(manager);
        Tolerance.assertValue(
                engine,
                "weighted_sum_pspnet",
                "loss",
                loss.evaluate(labels, new NDList(main, aux)).getFloat(),
                c.expectedLoss());
        float mainOnly = loss.evaluate(labels, new NDList(main)).getFloat();
        float crossEntropy =
                PixelCrossEntropyLoss.builder()
                        .build()
                        .evaluate(labels, new NDList(main))
                        .getFloat();
        assertEquals(mainOnly, crossEntropy, 0f);
        loss.addAccumulator("validate");
        loss.updateAccumulators(new String[] {"validate"}, labels, new NDList(main));
        assertEquals(loss.getAccumulator("validate"), crossEntropy, 1e-6f);
        assertTrue(Float.isNaN(loss.getParts().get(1).getAccumulator("validate")));
    }

    @Test
    public void rejectsBadHeadParts() {
        Expect.illegalArgument(
                () ->
                        WeightedSumLoss.builder()
                                .add(PixelCrossEntropyLoss.builder().build(), 1f, -1),
                "headIndex",
                "-1");
        Expect.illegalArgument(() -> WeightedSumLoss.builder().add(null, 1f, 0), "loss", "null");
        Expect.illegalArgument(
                () ->
                        WeightedSumLoss.builder()
                                .add(PixelCrossEntropyLoss.builder().build(), 1f, 1)
                                .build()
                                .evaluate(
                                        new NDList(manager.zeros(new Shape(1, 2, 2))),
                                        new NDList(manager.zeros(new Shape(1, 3, 2, 2)))),
                "predictions",
                "index 1",
                "got 1");
    }

    /** A part that measured only NaN keeps the total NaN: a NaN loss is never hidden. */
    @Test
    public void nanPartIsNotHidden() {
        WeightedSumLoss loss =
                WeightedSumLoss.builder().add(PixelCrossEntropyLoss.builder().build(), 1f).build();
        NDList labels = new NDList(manager.zeros(new Shape(1, 2, 2)));
        NDArray logits = manager.full(new Shape(1, 3, 2, 2), Float.NaN);
        loss.addAccumulator("train");
        loss.updateAccumulators(new String[] {"train"}, labels, new NDList(logits));
        assertTrue(Float.isNaN(loss.getAccumulator("train")));
    }
}
