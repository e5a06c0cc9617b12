package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.inference.ClassMaps;
import io.github.segloss.inference.SemanticPredictions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * {@link SemanticPredictions} on this engine: the class maps of torch 1.13's {@code
 * F.interpolate(logits, size, mode="bilinear", align_corners=False).argmax(1)} for batches of one
 * size and of a size per image ({@code generated-inference.json}, run by {@link
 * ReferenceCaseRunner}), the per-image maps equal to the banded {@link ClassMaps}, and bad input.
 */
public class SemanticPredictionsTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public SemanticPredictionsTest(String engine) {
        super(engine, "SemanticPredictions.classMaps");
    }

    private NDArray logits(int n, int c, int h, int w, long seed) {
        Random random = new Random(seed);
        float[] values = new float[n * c * h * w];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() * 8 - 4;
        }
        return manager.create(values, new Shape(n, c, h, w));
    }

    @Test
    public void eachImageMapIsTheBandedClassMapOfItsOwnLogitsAndSize() {
        NDArray x = logits(3, 4, 5, 6, 7);
        List<Shape> sizes = List.of(new Shape(31, 17), new Shape(5, 6), new Shape(2, 40));
        List<int[]> maps = SemanticPredictions.classMaps(x, sizes);
        assertEquals(maps.size(), 3);
        for (int n = 0; n < 3; n++) {
            int h = (int) sizes.get(n).get(0);
            int w = (int) sizes.get(n).get(1);
            NDArray one = x.get(n).expandDims(0);
            assertEquals(maps.get(n), ClassMaps.upsampledArgMax(one, h, w, false, 1), "image " + n);
        }
    }

    @Test
    public void oneSizeForTheBatchEqualsThatSizeForEveryImage() {
        NDArray x = logits(2, 3, 4, 4, 8);
        int[] batch = SemanticPredictions.classMap(x, 9, 13);
        List<int[]> maps =
                SemanticPredictions.classMaps(x, List.of(new Shape(9, 13), new Shape(9, 13)));
        assertEquals(Arrays.copyOfRange(batch, 0, 9 * 13), maps.get(0));
        assertEquals(Arrays.copyOfRange(batch, 9 * 13, 2 * 9 * 13), maps.get(1));
    }

    @Test
    public void classMapsRejectBadInput() {
        NDArray x = manager.ones(new Shape(2, 3, 4, 4));
        Expect.illegalArgument(
                () -> SemanticPredictions.classMaps(x, List.of(new Shape(4, 4))),
                "sizes",
                "expected 2",
                "got 1 sizes");
        Expect.illegalArgument(() -> SemanticPredictions.classMaps(x, null), "sizes", "got null");
        Expect.illegalArgument(
                () -> SemanticPredictions.classMaps(x, List.of(new Shape(4, 4), new Shape(0, 5))),
                "sizes[1]",
                "(0, 5)");
        Expect.illegalArgument(
                () -> SemanticPredictions.classMaps(x, List.of(new Shape(4, 4), new Shape(4))),
                "sizes[1]",
                "(4)");
        Expect.illegalArgument(
                () ->
                        SemanticPredictions.classMaps(
                                manager.ones(new Shape(2, 3, 4)), List.of(new Shape(4, 4))),
                "logits",
                "(2, 3, 4)");
        Expect.illegalArgument(
                () -> SemanticPredictions.classMap(manager.zeros(new Shape(1, 0, 3, 3)), 4, 4),
                "C >= 1");
        Expect.illegalArgument(
                () -> SemanticPredictions.classMap(x, 4, 0), "height, width", "4, 0");
    }
}
