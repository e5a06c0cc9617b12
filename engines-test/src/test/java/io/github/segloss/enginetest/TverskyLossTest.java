package io.github.segloss.enginetest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.loss.TverskyLoss;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link TverskyLoss} on this engine: its reference cases (alpha, beta and gamma,
 * soft targets, MONAI's separate smoothing terms) and the smoothing's meaning. The reference values
 * and gradients come from segmentation_models.pytorch 5006616 ({@code golden-public-family.json}
 * and {@code generated.json}) and MONAI 1.5's {@code TverskyLoss} itself ({@code
 * generated-soft.json}, with MONAI's unit-test cases of {@code soft_label=True} and of {@code
 * smooth_nr != smooth_dr}), computed in float64 and checked by {@link ReferenceCaseRunner}. The
 * checks of bad input it shares with Dice and Jaccard are in {@link SegmentationLossInputTest} and
 * {@link DiceLossTest}.
 */
public class TverskyLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public TverskyLossTest(String engine) {
        super(engine, "TverskyLoss");
    }

    @Test
    public void smoothIsMonaisOnce() {
        NDArray logits = LossCatalog.values(manager, new Shape(2, 1, 4, 4), 2);
        NDArray labels = LossCatalog.binary(manager, new Shape(2, 1, 4, 4));
        TverskyLoss.Builder smp =
                TverskyLoss.builder().setMode(SegmentationMode.BINARY).optAlpha(0.3f).optSmooth(2);
        TverskyLoss.Builder monai =
                TverskyLoss.builder()
                        .setMode(SegmentationMode.BINARY)
                        .optAlpha(0.3f)
                        .optSmoothNumerator(2)
                        .optSmoothDenominator(2);
        Tolerance.assertValue(
                engine,
                "tversky_smooth_vs_monai",
                "loss",
                monai.build().evaluate(new NDList(labels), new NDList(logits)).getFloat(),
                smp.build().evaluate(new NDList(labels), new NDList(logits)).getFloat());
    }
}
