package io.github.segloss.enginetest;

import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.ValueChecks;
import io.github.segloss.loss.BinaryCrossEntropyLoss;
import io.github.segloss.loss.MaskRcnnMaskLoss;
import io.github.segloss.loss.MaskedL2Loss;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * The fast min/max test that every value check starts with: it must fail on NaN and infinity on
 * every engine (an engine whose reductions skipped NaN would let NaN targets through), and the
 * checks built on it must still word the error.
 */
public class ValueChecksTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public ValueChecksTest(String engine) {
        super(engine);
    }

    @Test
    public void inBoundsAcceptsValuesInsideAndEmptyArrays() {
        assertTrue(ValueChecks.inBounds(manager.create(new float[] {0, 0.5f, 1}), 0, 1));
        assertTrue(ValueChecks.inBounds(manager.create(new long[] {0, 20}), 0, 20));
        assertTrue(
                ValueChecks.inBounds(
                        manager.create(new int[] {3, 4}).toType(DataType.UINT8, false), 3, 4));
        assertTrue(ValueChecks.inBounds(manager.zeros(new Shape(0, 3)), 0, 1));
    }

    @Test
    public void inBoundsRejectsValuesOutside() {
        assertFalse(ValueChecks.inBounds(manager.create(new float[] {0, 1.0001f}), 0, 1));
        assertFalse(ValueChecks.inBounds(manager.create(new long[] {-1, 3}), 0, 20));
        assertFalse(ValueChecks.inBounds(manager.create(new long[] {0, 21}), 0, 20));
    }

    @Test
    public void inBoundsRejectsNaNAndInfinityAnywhere() {
        float[][] cases = {
            {Float.NaN, 0.5f, 0.5f},
            {0.5f, Float.NaN, 0.5f},
            {0.5f, 0.5f, Float.NaN},
            {0.5f, Float.POSITIVE_INFINITY, 0.5f},
            {Float.NEGATIVE_INFINITY, 0.5f, 0.5f}
        };
        for (float[] values : cases) {
            NDArray array = manager.create(values, new Shape(3, 1));
            assertFalse(ValueChecks.inBounds(array, 0, 1), java.util.Arrays.toString(values));
        }
    }

    @Test
    public void binaryCrossEntropyRejectsNaNTargetsWithAndWithoutIgnore() {
        NDArray logits = manager.zeros(new Shape(2, 3));
        NDArray targets = manager.create(new float[] {0, 1, Float.NaN, 0, 1, 0}, new Shape(2, 3));
        Expect.illegalArgument(
                () ->
                        BinaryCrossEntropyLoss.builder()
                                .build()
                                .evaluate(new NDList(targets), new NDList(logits)),
                "targets",
                "NaN",
                "at [0, 2]");
        Expect.illegalArgument(
                () ->
                        BinaryCrossEntropyLoss.builder()
                                .optIgnoreIndex(255)
                                .build()
                                .evaluate(new NDList(targets), new NDList(logits)),
                "targets",
                "NaN",
                "at [0, 2]");
    }

    @Test
    public void maskTargetsAndL2MaskRejectNaN() {
        NDArray logits = manager.zeros(new Shape(1, 2, 2, 2));
        NDArray targets = manager.create(new float[] {0, 1, 1, Float.NaN}, new Shape(1, 2, 2));
        Expect.illegalArgument(
                () ->
                        MaskRcnnMaskLoss.builder()
                                .build()
                                .evaluate(
                                        new NDList(manager.create(new long[] {1}), targets),
                                        new NDList(logits)),
                "targets",
                "NaN");
        NDArray mask = manager.create(new float[] {1, Float.NaN});
        Expect.illegalArgument(
                () ->
                        new MaskedL2Loss()
                                .evaluate(
                                        new NDList(manager.zeros(new Shape(2)), mask),
                                        new NDList(manager.zeros(new Shape(2)))),
                "mask",
                "NaN");
    }
}
