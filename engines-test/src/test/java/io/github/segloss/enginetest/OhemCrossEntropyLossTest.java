package io.github.segloss.enginetest;

import ai.djl.training.loss.Loss;
import io.github.segloss.loss.OhemCrossEntropyLoss;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link OhemCrossEntropyLoss} on this engine: its reference cases (threshold,
 * minimum kept, ignore index, class weights), its settings and its labels. The reference values and
 * gradients come from PIDNet's {@code OhemCrossEntropy.forward} written in torch ops ({@code
 * generated.json}), and the contract that an all-ignored batch gives 0 with a zero gradient,
 * computed in float64 and checked by {@link ReferenceCaseRunner}.
 */
public class OhemCrossEntropyLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public OhemCrossEntropyLossTest(String engine) {
        super(engine, "OhemCrossEntropyLoss");
    }

    @Test
    public void rejectsBadOhemSettingsAndLabels() {
        Expect.illegalArgument(
                () -> OhemCrossEntropyLoss.builder().optThreshold(0), "threshold", "(0, 1]");
        Expect.illegalArgument(
                () -> OhemCrossEntropyLoss.builder().optMinKept(-1), "minKept", "-1");
        Loss ohem = OhemCrossEntropyLoss.builder().build();
        Expect.illegalArgument(
                () -> evaluate(ohem, manager.create(new long[] {0, 7}), zeros(2, 3)),
                "labels",
                "[0, 3)",
                "ignore index 255",
                "got 7");
    }
}
