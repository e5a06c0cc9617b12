package io.github.segloss.enginetest;

import io.github.segloss.loss.TverskyLoss;
import org.testng.annotations.Factory;

/**
 * Everything about {@link TverskyLoss} on this engine: its reference cases (alpha, beta and gamma).
 * The reference values and gradients come from segmentation_models.pytorch 5006616 ({@code
 * golden-public-family.json} and {@code generated.json}), computed in float64 and checked by {@link
 * ReferenceCaseRunner}. The checks of bad input it shares with Dice and Jaccard are in {@link
 * SegmentationLossInputTest}.
 */
public class TverskyLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public TverskyLossTest(String engine) {
        super(engine, "TverskyLoss");
    }
}
