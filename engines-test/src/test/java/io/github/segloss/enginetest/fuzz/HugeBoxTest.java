package io.github.segloss.enginetest.fuzz;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
import io.github.segloss.target.RoiAlign;
import java.util.Random;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * RoI Align's adaptive grid has about extent / output samples per cell: a box of 1e9 pixels made
 * torchvision's kernel (and segloss's, before it skipped the samples outside the map) loop for
 * minutes. Only the samples inside the map count, so the work is bounded by the map's size.
 */
public class HugeBoxTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public HugeBoxTest(String engine) {
        super(engine);
    }

    @Test(timeOut = 20_000)
    public void aWideBoxMatchesTheReferenceAndAHugeOneFinishes() {
        Random random = new Random(3);
        double[] map = new double[8 * 9];
        float[] values = new float[map.length];
        for (int i = 0; i < map.length; i++) {
            values[i] = (float) random.nextGaussian();
            map[i] = values[i];
        }
        NDArray features = manager.create(values, new Shape(1, 1, 8, 9));
        RoiAlign align = RoiAlign.builder().setOutputSize(7, 7).build();
        // 2e5 pixels wide: 28,572 samples per cell across, the reference can still loop them
        double[] wide = {-1e5, 1, 1e5, 6.5};
        NDArray output =
                align.apply(
                        features,
                        manager.create(new float[] {-1e5f, 1f, 1e5f, 6.5f}, new Shape(1, 4)),
                        manager.create(new long[] {0}));
        double[] expected =
                ResamplingReference.roiAlign(
                                map,
                                1,
                                1,
                                8,
                                9,
                                wide,
                                new int[] {0},
                                7,
                                7,
                                1.0,
                                0,
                                false,
                                new double[49])
                        .output();
        float[] actual = output.toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(actual[i], expected[i], 1e-5 + 1e-3 * Math.abs(expected[i]), "cell " + i);
        }
        // 1e9 pixels each way: finishes, finite
        float[] huge =
                align.apply(
                                features,
                                manager.create(
                                        new float[] {-1e9f, -1e9f, 1e9f, 1e9f}, new Shape(1, 4)),
                                manager.create(new long[] {0}))
                        .toFloatArray();
        for (float value : huge) {
            assertTrue(Float.isFinite(value), "finite: " + value);
        }
    }
}
