package io.github.segloss.enginetest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.segloss.loss.JaccardLoss;
import io.github.segloss.loss.SegmentationMode;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link JaccardLoss} on this engine: its reference cases (the soft IoU loss in
 * binary, multiclass and multilabel mode, soft targets, MONAI's separate smoothing terms) and the
 * smoothing's meaning. The reference values and gradients come from segmentation_models.pytorch
 * 5006616 ({@code golden-public-family.json} and {@code generated.json}), MONAI's DiceLoss formula
 * with {@code jaccard=True} and MONAI 1.5's {@code DiceLoss(jaccard=True)} itself ({@code
 * generated-soft.json}), computed in float64 and checked by {@link ReferenceCaseRunner}. The checks
 * of bad input it shares with Dice and Tversky are in {@link SegmentationLossInputTest} and {@link
 * DiceLossTest}.
 */
public class JaccardLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public JaccardLossTest(String engine) {
        super(engine, "JaccardLoss");
    }

    @Test
    public void smoothIsMonaisTwice() {
        NDArray logits = LossCatalog.values(manager, LossCatalog.SHAPE, 4);
        NDArray labels = LossCatalog.binary(manager, LossCatalog.SHAPE);
        JaccardLoss smp =
                JaccardLoss.builder().setMode(SegmentationMode.MULTILABEL).optSmooth(0.5f).build();
        JaccardLoss monai =
                JaccardLoss.builder()
                        .setMode(SegmentationMode.MULTILABEL)
                        .optSmoothNumerator(1)
                        .optSmoothDenominator(1)
                        .build();
        Tolerance.assertValue(
                engine,
                "jaccard_smooth_vs_monai",
                "loss",
                monai.evaluate(new NDList(labels), new NDList(logits)).getFloat(),
                smp.evaluate(new NDList(labels), new NDList(logits)).getFloat());
    }
}
