package io.github.segloss.enginetest.gc;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
import io.github.segloss.enginetest.gc.GraphCase.Graph;
import io.github.segloss.enginetest.gc.StormRounds.Pass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * A garbage collection between the forward and the backward pass changes no gradient: every
 * differentiable path of the library ({@link GraphCases}) gives, in 50 rounds with {@link GcStorm}
 * between the forward passes of all of them and their backward passes, values and gradients
 * bit-identical to a round without it.
 *
 * <p>On DJL's PyTorch engine a constant made from a Java buffer and closed right away (as DJL's own
 * {@code NDArray.mul(Number)} does) leaves autograd holding memory that the collector frees: the
 * control test shows that the storm catches exactly that.
 */
public class GcStressTest extends EngineTest {

    /** Stormy rounds. */
    static final int ROUNDS = 50;

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public GcStressTest(String engine) {
        super(engine);
    }

    @Test
    public void gradientsSurviveGcBetweenForwardAndBackward() {
        List<GraphCase> cases = GraphCases.all();
        Map<String, Pass> calm = round(cases, false);
        Map<String, List<String>> differences = new LinkedHashMap<>();
        for (int r = 0; r < ROUNDS; r++) {
            Map<String, Pass> stormy = round(cases, true);
            for (GraphCase c : cases) {
                String difference = calm.get(c.name()).differenceTo(stormy.get(c.name()));
                if (difference != null) {
                    differences
                            .computeIfAbsent(c.name(), k -> new ArrayList<>())
                            .add("round " + r + ": " + difference);
                }
            }
        }
        StringBuilder report = new StringBuilder();
        differences.forEach(
                (name, list) ->
                        report.append(
                                String.format(
                                        "%n%s: %d of %d rounds differ, first: %s",
                                        name, list.size(), ROUNDS, list.get(0))));
        assertTrue(differences.isEmpty(), "on " + engine + ":" + report);
    }

    /**
     * The control: DJL's own scalar overload, {@code x.mul(0.4f)}, is corrupted by the storm on
     * PyTorch (so the storm reaches freed memory) and not on engines that copy the scalar.
     */
    @Test
    public void stormCorruptsDjlScalarOverloadOnPyTorchOnly() {
        GraphCase scalar =
                new GraphCase(
                        "djl_mul_number",
                        m -> {
                            NDArray x = GraphCase.normal(m, 1, 1f, new Shape(64));
                            return new Graph(List.of(x), () -> x.mul(0.4f).mul(x).sum());
                        });
        Pass calm = round(List.of(scalar), false).get(scalar.name());
        int corrupted = 0;
        for (int r = 0; r < ROUNDS; r++) {
            if (calm.differenceTo(round(List.of(scalar), true).get(scalar.name())) != null) {
                corrupted++;
            }
        }
        if ("PyTorch".equals(engine)) {
            assertTrue(
                    corrupted > 0,
                    "the storm no longer corrupts DJL's x.mul(0.4f) on PyTorch: either DJL copies"
                            + " scalars now or the storm is too weak to test anything");
        } else {
            assertEquals(corrupted, 0, "x.mul(0.4f) on " + engine);
        }
    }

    private Map<String, Pass> round(List<GraphCase> cases, boolean storm) {
        return new StormRounds(engine(), manager).round(cases, storm);
    }
}
