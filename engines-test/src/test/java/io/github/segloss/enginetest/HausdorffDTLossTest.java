package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.loss.HausdorffDTLoss;
import io.github.segloss.loss.SegmentationMode;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link HausdorffDTLoss} on this engine: its reference cases ({@code
 * generated-distance.json}: MONAI's {@code HausdorffDTLoss} itself, with the cases of MONAI's
 * {@code test_hausdorff_loss.py} that map onto the modes (2-D and 3-D, one and two channels, with
 * and without background, one-hot sigmoid and softmax), random MULTICLASS, 3-D MULTILABEL with
 * alpha, probabilities with {@code batch=True}, and MONAI's formula with segloss's ignore label,
 * class weights and spacing), checked by {@link ReferenceCaseRunner}; and its bad input, as MONAI's
 * {@code test_ill_shape}.
 */
public class HausdorffDTLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public HausdorffDTLossTest(String engine) {
        super(engine, "HausdorffDTLoss");
    }

    private static HausdorffDTLoss.Builder binary() {
        return HausdorffDTLoss.builder().setMode(SegmentationMode.BINARY);
    }

    @Test
    public void rejectsTargetsOfAnotherShape() {
        // MONAI's test_ill_shape: input (1, 1, 2, 3), target (1, 4, 5, 6)
        Expect.illegalArgument(
                () -> evaluate(binary().build(), zeros(1, 4, 5, 6), zeros(1, 1, 2, 3)),
                "HausdorffDTLoss",
                "labels",
                "(1, 1, 2, 3)",
                "got (1, 4, 5, 6)");
    }

    @Test
    public void rejectsBadSettings() {
        Expect.illegalArgument(() -> binary().optAlpha(-1f), "alpha", ">= 0", "-1.0");
        Expect.illegalArgument(() -> binary().optAlpha(Float.NaN), "alpha", "NaN");
        Expect.illegalArgument(
                () -> binary().optClassWeights(1f).build(), "classWeights", "BINARY");
        Expect.illegalArgument(
                () ->
                        evaluate(
                                binary().optSampling(1).build(),
                                zeros(1, 1, 2, 3),
                                zeros(1, 1, 2, 3)),
                "sampling",
                "2, got 1");
        Expect.illegalArgument(
                () ->
                        evaluate(
                                HausdorffDTLoss.builder()
                                        .setMode(SegmentationMode.MULTICLASS)
                                        .optClassWeights(1f, 2f)
                                        .build(),
                                manager.zeros(new Shape(1, 2, 3)),
                                zeros(1, 3, 2, 3)),
                "classWeights",
                "3",
                "got 2");
    }

    @Test
    public void readsOnlyTheFirstLabel() {
        NDArray target = manager.create(new float[] {1, 0, 1, 1}, new Shape(1, 1, 2, 2));
        NDArray logits = manager.create(new float[] {1, -1, -1, 1}, new Shape(1, 1, 2, 2));
        HausdorffDTLoss loss = binary().build();
        float one = loss.evaluate(new NDList(target), new NDList(logits)).getFloat();
        float two = loss.evaluate(new NDList(target, zeros(3)), new NDList(logits)).getFloat();
        assertEquals(two, one);
        assertEquals(one, 0.509329f, 1e-5f); // MONAI's first test case
    }
}
