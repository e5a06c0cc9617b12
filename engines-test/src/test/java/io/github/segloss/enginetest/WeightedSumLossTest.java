package io.github.segloss.enginetest;

import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.WeightedSumLoss;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link WeightedSumLoss} on this engine: its reference case (cross-entropy plus a
 * weighted Dice with a shared ignore index) and the names of its terms. The reference values and
 * gradients come from torch 1.13's {@code cross_entropy} plus segmentation_models.pytorch's Dice
 * ({@code generated.json}), computed in float64 and checked by {@link ReferenceCaseRunner}.
 */
public class WeightedSumLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public WeightedSumLossTest(String engine) {
        super(engine, "WeightedSumLoss");
    }

    @Test
    public void weightedSumTermsNeedDistinctNames() {
        Expect.illegalArgument(
                () ->
                        WeightedSumLoss.builder()
                                .add(PixelCrossEntropyLoss.builder().build(), 1f)
                                .add(PixelCrossEntropyLoss.builder().build(), 1f),
                "PixelCrossEntropyLoss",
                "twice");
        Expect.illegalArgument(() -> WeightedSumLoss.builder().build(), "at least one");
    }
}
