package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;

/**
 * The reference cases of {@link SurfaceDistanceTest} and {@link SurfaceDiceTest}
 * (engines-test/reference/generate_surface.py, from MONAI): their inputs, spacing and comparison.
 */
final class SurfaceCases {

    /**
     * MONAI's distances are float32 and its means float32 sums; segloss reduces the same float32
     * distances in float64: a relative difference of a few float32 roundings.
     */
    static final double RELATIVE = 2e-6;

    private SurfaceCases() {}

    /**
     * The labels and predictions of a case: predicted class ids, or logits when it has them.
     *
     * @param c the case
     * @param manager where the arrays go
     * @return labels, predictions
     */
    static NDList[] inputs(ReferenceCase c, NDManager manager) {
        NDArray labels = c.input("labels").toType(manager, DataType.INT64);
        NDArray predictions =
                c.inputs().containsKey("classIds")
                        ? c.input("classIds").toType(manager, DataType.INT64)
                        : c.input("logits").toFloat(manager);
        return new NDList[] {new NDList(labels), new NDList(predictions)};
    }

    /**
     * The case's spacing, or null without one.
     *
     * @param c the case
     * @return the spacing
     */
    static double[] spacing(ReferenceCase c) {
        return c.params().has("spacing") ? doubles(c.params().getAsJsonArray("spacing")) : null;
    }

    /**
     * Reads a JSON array of numbers.
     *
     * @param json the array
     * @return the numbers
     */
    static double[] doubles(JsonArray json) {
        double[] out = new double[json.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = json.get(i).getAsDouble();
        }
        return out;
    }

    /**
     * Flattens per-image rows.
     *
     * @param rows the rows
     * @return the values, row-major
     */
    static double[] flat(double[][] rows) {
        return java.util.Arrays.stream(rows).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /**
     * Asserts a value: NaN where NaN is expected, the same infinity where one is, else within
     * {@link #RELATIVE}.
     *
     * @param what what is compared, for the message
     * @param actual the value
     * @param expected the reference
     */
    static void assertClose(String what, double actual, double expected) {
        boolean ok;
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            ok = Double.compare(actual, expected) == 0;
        } else {
            ok = Math.abs(actual - expected) <= RELATIVE * Math.max(1, Math.abs(expected));
        }
        if (!ok) {
            fail(what + " = " + actual + ", expected " + expected);
        }
    }

    /**
     * Asserts values element by element as {@link #assertClose(String, double, double)}.
     *
     * @param what what is compared, for the message
     * @param actual the values
     * @param expected the references
     */
    static void assertClose(String what, double[] actual, double[] expected) {
        assertEquals(actual.length, expected.length, what + ": number of values");
        for (int i = 0; i < actual.length; i++) {
            assertClose(what + " [" + i + "]", actual[i], expected[i]);
        }
    }
}
