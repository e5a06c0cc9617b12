package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.loss.DiceLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.loss.WeightedSumLoss;
import io.github.segloss.metric.MeanIoU;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * The errors a user meets first, as the README's user met them: each names the loss (and, inside a
 * composite loss, the path to the failing term), gives positions as multi-indices and says the
 * likely cause; an all-ignored batch gives +0, never -0.0.
 */
public class LossErrorMessagesTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public LossErrorMessagesTest(String engine) {
        super(engine);
    }

    /** Labels (1, 2, 3) of 3 classes, one pixel 255. */
    private NDArray labelsWith255() {
        return manager.create(new int[] {0, 1, 2, 1, 255, 0}, new Shape(1, 2, 3));
    }

    @Test
    public void diceWithoutIgnoreBesideCrossEntropyNamesTheTermAndTheCause() {
        WeightedSumLoss loss =
                WeightedSumLoss.builder()
                        .optName("ce+dice")
                        .add(PixelCrossEntropyLoss.builder().optName("ce").build(), 1f)
                        .add(
                                DiceLoss.builder()
                                        .setMode(SegmentationMode.MULTICLASS)
                                        .optName("dice")
                                        .build(),
                                1f)
                        .build();
        NDArray logits = manager.randomNormal(new Shape(1, 3, 2, 3));
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> loss.evaluate(new NDList(labelsWith255()), new NDList(logits)));
        String message = e.getMessage();
        assertTrue(
                message.startsWith("WeightedSumLoss \"ce+dice\" > DiceLoss \"dice\": labels must"),
                message);
        assertTrue(message.contains("got 255 at [0, 1, 1]"), message);
        assertTrue(message.contains("set optIgnoreIndex(255) on it"), message);
    }

    @Test
    public void aLossAloneNamesItselfAndAnIgnoringLossGetsNoHint() {
        NDArray logits = manager.randomNormal(new Shape(1, 3, 2, 3));
        NDArray labels = manager.create(new int[] {0, 1, 2, 1, 7, 0}, new Shape(1, 2, 3));
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                PixelCrossEntropyLoss.builder()
                                        .optName("ce")
                                        .build()
                                        .evaluate(new NDList(labels), new NDList(logits)));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "PixelCrossEntropyLoss \"ce\": labels must be whole numbers in"
                                        + " [0, 3) or the ignore index 255, got 7 at [0, 1, 1]"),
                e.getMessage());
        assertFalse(e.getMessage().contains("optIgnoreIndex"), e.getMessage());
    }

    @Test
    public void aHeadOfDeepSupervisionIsNamedOnItsPath() {
        DeepSupervisionLoss loss = DeepSupervisionLoss.pspnet();
        NDArray main = manager.randomNormal(new Shape(1, 3, 2, 3));
        NDArray aux = manager.randomNormal(new Shape(1, 3, 2, 3));
        NDArray labels = manager.create(new int[] {0, 1, 2, 1, 9, 0}, new Shape(1, 2, 3));
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> loss.evaluate(new NDList(labels), new NDList(main, aux)));
        assertTrue(
                e.getMessage()
                        .matches(
                                "DeepSupervisionLoss \"[^\"]+\" > PixelCrossEntropyLoss \"main\":"
                                        + " labels must .*"),
                e.getMessage());
        assertTrue(e.getMessage().contains("got 9 at [0, 1, 1]"), e.getMessage());
    }

    @Test
    public void anAllIgnoredBatchGivesPositiveZero() {
        NDArray logits = manager.randomNormal(new Shape(2, 3, 2, 2));
        NDArray labels = manager.full(new Shape(2, 2, 2), 255);
        float value =
                PixelCrossEntropyLoss.builder()
                        .build()
                        .evaluate(new NDList(labels), new NDList(logits))
                        .getFloat();
        assertEquals(Float.floatToRawIntBits(value), 0, "the loss is " + value + ", not +0");
        float weighted =
                PixelCrossEntropyLoss.builder()
                        .optClassWeights(new float[] {1, 2, 3})
                        .optLabelSmoothing(0.1f)
                        .build()
                        .evaluate(new NDList(labels), new NDList(logits))
                        .getFloat();
        assertEquals(Float.floatToRawIntBits(weighted), 0, "the loss is " + weighted + ", not +0");
    }

    @Test
    public void meanIoUWithOneHotLabelsBlamesTheLabels() {
        NDArray logits = manager.randomNormal(new Shape(1, 3, 2, 3));
        NDArray oneHot = labelsWith255().clip(0, 2).oneHot(3).transpose(0, 3, 1, 2);
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> new MeanIoU(3).evaluate(new NDList(oneHot), new NDList(logits)));
        assertTrue(e.getMessage().startsWith("labels must be class ids"), e.getMessage());
        assertTrue(e.getMessage().contains("one-hot labels"), e.getMessage());
        assertTrue(e.getMessage().contains("argMax(1)"), e.getMessage());
    }
}
