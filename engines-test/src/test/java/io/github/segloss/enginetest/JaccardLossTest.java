package io.github.segloss.enginetest;

import io.github.segloss.loss.JaccardLoss;
import org.testng.annotations.Factory;

/**
 * Everything about {@link JaccardLoss} on this engine: its reference cases (the soft IoU loss in
 * binary, multiclass and multilabel mode). The reference values and gradients come from
 * segmentation_models.pytorch 5006616 ({@code golden-public-family.json} and {@code
 * generated.json}) and MONAI's DiceLoss formula with {@code jaccard=True}, computed in float64 and
 * checked by {@link ReferenceCaseRunner}. The checks of bad input it shares with Dice and Tversky
 * are in {@link SegmentationLossInputTest}.
 */
public class JaccardLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public JaccardLossTest(String engine) {
        super(engine, "JaccardLoss");
    }
}
