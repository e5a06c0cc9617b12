package io.github.segloss.enginetest;

import io.github.segloss.loss.DiceLoss;
import org.testng.annotations.Factory;

/**
 * Everything about {@link DiceLoss} on this engine: its reference cases in every mode and setting
 * (smooth, eps, log loss, class subsets and weights, per image, squared denominator, probabilities,
 * all ignored). The reference values and gradients come from segmentation_models.pytorch 5006616
 * ({@code golden-public-family.json} and {@code generated.json}), MONAI's DiceLoss formula in torch
 * ops, and the contract that an all-ignored batch gives 0 with a zero gradient, computed in float64
 * and checked by {@link ReferenceCaseRunner}. The checks of bad input it shares with Jaccard and
 * Tversky are in {@link SegmentationLossInputTest}.
 */
public class DiceLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public DiceLossTest(String engine) {
        super(engine, "DiceLoss");
    }
}
