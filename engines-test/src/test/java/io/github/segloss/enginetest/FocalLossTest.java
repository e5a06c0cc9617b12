package io.github.segloss.enginetest;

import ai.djl.ndarray.NDArray;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.FocalLoss;
import io.github.segloss.loss.SegmentationMode;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link FocalLoss} on this engine: its reference cases (smp's sigmoid focal loss
 * and MONAI's softmax focal loss, with and without MONAI's alpha), its bad settings and its labels.
 * The reference values and gradients come from segmentation_models.pytorch 5006616, MONAI's softmax
 * focal loss written in torch ops ({@code generated.json}) and imported from MONAI's source ({@code
 * generated-monai.json}, with the two softmax cases of MONAI's own focal-loss test), and the
 * contract that an all-ignored batch gives 0 with a zero gradient, computed in float64 and checked
 * by {@link ReferenceCaseRunner}.
 */
public class FocalLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public FocalLossTest(String engine) {
        super(engine, "FocalLoss");
    }

    @Test
    public void rejectsBadFocalSettings() {
        Expect.illegalArgument(() -> FocalLoss.builder().build(), "FocalLoss", "setMode");
        Expect.illegalArgument(
                () -> FocalLoss.builder().setMode(SegmentationMode.BINARY).optSoftmax(true).build(),
                "softmax",
                "MULTICLASS",
                "BINARY");
        Expect.illegalArgument(
                () ->
                        FocalLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optSoftmax(true)
                                .optClassWeights(1f, 2f)
                                .build(),
                "classWeights",
                "sigmoid",
                "optAlpha");
        Expect.illegalArgument(() -> FocalLoss.builder().optAlpha(1.5f), "alpha", "[0, 1]", "1.5");
        Expect.illegalArgument(
                () -> FocalLoss.builder().optReducedThreshold(0), "reducedThreshold", "(0, 1]");
    }

    @Test
    public void focalLabelsAreClasses() {
        Loss focal =
                FocalLoss.builder().setMode(SegmentationMode.MULTICLASS).optSoftmax(true).build();
        NDArray labels = manager.create(new long[] {0, -1});
        Expect.illegalArgument(
                () -> evaluate(focal, labels, zeros(2, 3)), "labels", "[0, 3)", "got -1");
    }
}
