package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.inference.ClassMaps;
import io.github.segloss.target.BilinearResize;
import java.util.Arrays;
import java.util.Random;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * {@link ClassMaps#upsampledArgMax}: the class map of banded upsampling is bit for bit the same
 * whatever the band height (one row, bands that do not divide the height, all rows), ties included,
 * and the argmax of the whole image's {@link BilinearResize#resize}.
 */
public class ClassMapsTest extends EngineTest {

    private static final int HEIGHT = 50;
    private static final int WIDTH = 37;

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public ClassMapsTest(String engine) {
        super(engine);
    }

    /** Seeded logits (N, C, h, w) in [-4, 4), built on the host so both engines see the same. */
    private NDArray logits(int n, int c, int h, int w, long seed) {
        Random random = new Random(seed);
        float[] values = new float[n * c * h * w];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() * 8 - 4;
        }
        return manager.create(values, new Shape(n, c, h, w));
    }

    /** The whole-image computation that predict used before: resize everything, then argmax. */
    private static int[] wholeArgMax(NDArray logits, int height, int width, boolean align) {
        return BilinearResize.resize(logits, height, width, align)
                .argMax(1)
                .toType(DataType.INT32, false)
                .toIntArray();
    }

    @Test
    public void bandedArgMaxEqualsTheWholeImageArgMaxForEveryBandHeight() {
        NDArray x = logits(2, 5, 6, 9, 2);
        for (boolean align : new boolean[] {false, true}) {
            // the whole image in one band: the computation that every band height must repeat
            int[] whole = ClassMaps.upsampledArgMax(x, HEIGHT, WIDTH, align, HEIGHT);
            // 1 row, 7 and 16 (which do not divide 50), 49, all 50 rows, and more than the height
            for (int band : new int[] {1, 2, 7, 16, 49, 64}) {
                assertEquals(
                        ClassMaps.upsampledArgMax(x, HEIGHT, WIDTH, align, band),
                        whole,
                        "align " + align + ", bands of " + band + " rows");
            }
            assertEquals(ClassMaps.upsampledArgMax(x, HEIGHT, WIDTH, align), whole);
        }
    }

    @Test
    public void classMapEqualsTheArgMaxOfTheWholeBilinearResize() {
        // the class map predict computed before, from BilinearResize.resize of the whole image;
        // the values differ by rounding only, so seeded random logits have no class that close
        for (boolean align : new boolean[] {false, true}) {
            for (int[] size : new int[][] {{HEIGHT, WIDTH}, {4, 5}, {6, 9}}) {
                NDArray x = logits(2, 5, 6, 9, 3);
                assertEquals(
                        ClassMaps.upsampledArgMax(x, size[0], size[1], align, 3),
                        wholeArgMax(x, size[0], size[1], align),
                        "align " + align + ", " + size[0] + " x " + size[1]);
            }
        }
    }

    @Test
    public void bandedArgMaxBreaksTiesAsTheWholeImageArgMax() {
        // classes 1 and 3 hold the same logits, above classes 0 and 2 everywhere: every pixel is
        // a tie between 1 and 3; class 0 and 2 tie below them
        float[] values = new float[4 * 3 * 4];
        for (int i = 0; i < 12; i++) {
            float top = 2 + (i % 5) * 0.25f;
            values[i] = -1;
            values[12 + i] = top;
            values[24 + i] = -1;
            values[36 + i] = top;
        }
        NDArray x = manager.create(values, new Shape(1, 4, 3, 4));
        int[] whole = ClassMaps.upsampledArgMax(x, 23, 17, false, 23);
        assertEquals(whole, wholeArgMax(x, 23, 17, false));
        for (int id : whole) {
            assertTrue(id == 1 || id == 3, "a tie goes to one of the tied classes, got " + id);
        }
        for (int band : new int[] {1, 5, 22}) {
            assertEquals(ClassMaps.upsampledArgMax(x, 23, 17, false, band), whole);
        }
    }

    @Test
    public void float16AndFloat64LogitsGiveTheClassMapOfTheirValues() {
        NDArray x = logits(2, 5, 6, 9, 4);
        NDArray half = x.toType(DataType.FLOAT16, false);
        NDArray widened = half.toType(DataType.FLOAT32, false);
        NDArray wide = x.toType(DataType.FLOAT64, false);
        for (boolean align : new boolean[] {false, true}) {
            // float16 failed inside MXNet (no float16 matrix product on the CPU)
            int[] fromHalf = ClassMaps.upsampledArgMax(widened, HEIGHT, WIDTH, align, HEIGHT);
            for (int band : new int[] {1, 7, HEIGHT}) {
                assertEquals(
                        ClassMaps.upsampledArgMax(half, HEIGHT, WIDTH, align, band),
                        fromHalf,
                        "float16, align " + align + ", bands of " + band + " rows");
            }
            int[] fromDouble = ClassMaps.upsampledArgMax(wide, HEIGHT, WIDTH, align, HEIGHT);
            assertEquals(ClassMaps.upsampledArgMax(wide, HEIGHT, WIDTH, align, 1), fromDouble);
            assertEquals(fromDouble, wholeArgMax(wide, HEIGHT, WIDTH, align), "float64");
        }
    }

    @Test
    public void degenerateSizesGiveTheWholeImageClassMap() {
        // {N, C, h, w, height, width}: one pixel, one row or column in or out, downsampling
        int[][] cases = {
            {1, 3, 1, 1, 1, 1},
            {1, 3, 1, 1, 5, 7},
            {1, 3, 4, 4, 1, 1},
            {1, 3, 4, 4, 1, 300},
            {1, 3, 4, 4, 300, 1},
            {2, 3, 1, 8, 9, 33},
            {1, 4, 8, 1, 17, 3},
            {1, 4, 9, 11, 2, 2},
            {1, 1, 3, 3, 5, 5}
        };
        for (int[] c : cases) {
            NDArray x = logits(c[0], c[1], c[2], c[3], 5);
            for (boolean align : new boolean[] {false, true}) {
                String name = Arrays.toString(c) + ", align " + align;
                int[] whole = wholeArgMax(x, c[4], c[5], align);
                assertEquals(ClassMaps.upsampledArgMax(x, c[4], c[5], align, 1), whole, name);
                assertEquals(ClassMaps.upsampledArgMax(x, c[4], c[5], align), whole, name);
            }
        }
    }

    @Test
    public void upsampledArgMaxRejectsBadInput() {
        NDArray x = manager.ones(new Shape(1, 2, 3, 3));
        Expect.illegalArgument(
                () -> ClassMaps.upsampledArgMax(manager.ones(new Shape(2, 3, 3)), 4, 4, false),
                "logits",
                "(2, 3, 3)");
        Expect.illegalArgument(
                () -> ClassMaps.upsampledArgMax(x, 4, 4, false, 0), "bandRows", "4, 4 and 0");
        Expect.illegalArgument(
                () -> ClassMaps.upsampledArgMax(manager.zeros(new Shape(1, 0, 3, 3)), 4, 4, false),
                "C >= 1");
        Expect.illegalArgument(
                () -> ClassMaps.upsampledArgMax(x, 50_000, 50_000, false, 1),
                "does not fit in a Java array");
    }
}
