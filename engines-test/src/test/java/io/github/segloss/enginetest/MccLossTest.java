package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.MccLoss;
import io.github.segloss.loss.SegmentationMode;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link MccLoss} on this engine: its reference cases, its bad settings and input,
 * and its one-vs-rest classes. The reference values and gradients come from
 * segmentation_models.pytorch's {@code MCCLoss} at 5006616 imported unchanged ({@code
 * generated-gdl-mcc.json}, written by {@code engines-test/reference/generate_gdl_mcc.py}): smp's
 * own {@code test_binary_mcc_loss} cases, logits, {@code eps}, an ignore index, MULTICLASS and
 * MULTILABEL per class with absent classes and class weights, and the contract that an all-ignored
 * batch gives 0 with a zero gradient.
 */
public class MccLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public MccLossTest(String engine) {
        super(engine, "MccLoss");
    }

    @Test
    public void rejectsBadSettings() {
        Expect.illegalArgument(() -> MccLoss.builder().build(), "MccLoss", "setMode");
        Expect.illegalArgument(() -> MccLoss.builder().optEps(0), "eps", "> 0", "0.0");
        Expect.illegalArgument(
                () -> MccLoss.builder().optEps(Float.POSITIVE_INFINITY),
                "eps",
                "finite",
                "Infinity");
        Expect.illegalArgument(
                () ->
                        MccLoss.builder()
                                .setMode(SegmentationMode.BINARY)
                                .optClassWeights(1f)
                                .build(),
                "classWeights",
                "MULTICLASS or MULTILABEL",
                "BINARY");
    }

    @Test
    public void classWeightsMatchTheClasses() {
        Loss mcc =
                MccLoss.builder()
                        .setMode(SegmentationMode.MULTICLASS)
                        .optClassWeights(1f, 2f)
                        .build();
        Expect.illegalArgument(
                () ->
                        evaluate(
                                mcc,
                                manager.zeros(new Shape(1, 2, 2), DataType.INT64),
                                zeros(1, 3, 2, 2)),
                "MccLoss",
                "classWeights",
                "3",
                "got 2");
    }

    @Test
    public void binaryTargetsAreZeroOrOne() {
        Loss mcc = MccLoss.builder().setMode(SegmentationMode.BINARY).build();
        NDArray labels = manager.create(new float[] {0, 1, 3, 1}, new Shape(1, 2, 2));
        Expect.illegalArgument(
                () -> evaluate(mcc, labels, zeros(1, 1, 2, 2)),
                "MccLoss",
                "labels",
                "[0, 2)",
                "got 3");
    }

    @Test
    public void multilabelClassesAreBinaryLossesOfTheirChannels() {
        // one-vs-rest: the MULTILABEL loss of two channels is the mean of the BINARY losses of each
        NDArray logits = LossCatalog.values(manager, new Shape(2, 2, 3, 3), 0);
        NDArray targets = LossCatalog.binary(manager, new Shape(2, 2, 3, 3));
        float multilabel =
                MccLoss.builder()
                        .setMode(SegmentationMode.MULTILABEL)
                        .build()
                        .evaluate(new NDList(targets), new NDList(logits))
                        .getFloat();
        Loss binary = MccLoss.builder().setMode(SegmentationMode.BINARY).build();
        float sum = 0;
        for (int c = 0; c < 2; c++) {
            String channel = ":, " + c + ":" + (c + 1);
            sum +=
                    binary.evaluate(
                                    new NDList(targets.get(channel)),
                                    new NDList(logits.get(channel)))
                            .getFloat();
        }
        assertEquals(multilabel, sum / 2, 1e-6f);
    }
}
