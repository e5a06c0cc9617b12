package io.github.segloss.enginetest;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.LovaszLoss;
import io.github.segloss.loss.SegmentationMode;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link LovaszLoss} on this engine: its reference cases (Lovász hinge and
 * Lovász-softmax, per image or per batch), its settings and its label shape. The reference values
 * and gradients come from segmentation_models.pytorch 5006616 (the golden cases in float64, the
 * generated ones in float32 as smp computes them) and the contract that an all-ignored batch gives
 * 0 with a zero gradient; {@link ReferenceCaseRunner} checks them.
 */
public class LovaszLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public LovaszLossTest(String engine) {
        super(engine, "LovaszLoss");
    }

    @Test
    public void lovaszHingeNeedsLogits() {
        Expect.illegalArgument(
                () ->
                        LovaszLoss.builder()
                                .setMode(SegmentationMode.BINARY)
                                .optFromLogits(false)
                                .build(),
                "hinge",
                "BINARY",
                "logits");
    }

    @Test
    public void lovaszLabelsMatchTheLogits() {
        Loss lovasz = LovaszLoss.builder().setMode(SegmentationMode.MULTICLASS).build();
        Expect.illegalArgument(
                () ->
                        evaluate(
                                lovasz,
                                manager.zeros(new Shape(2, 4, 4), DataType.INT64),
                                zeros(2, 3, 4, 5)),
                "labels",
                "(2, 4, 5)",
                "got (2, 4, 4)");
    }
}
