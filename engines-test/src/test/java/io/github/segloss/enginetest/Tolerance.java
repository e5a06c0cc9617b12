package io.github.segloss.enginetest;

import static org.testng.Assert.fail;

import java.util.Map;
import java.util.TreeMap;

/**
 * The tolerances of the conformance tests, and a record of the largest error seen per engine and
 * kind, printed at the end of the suite by {@link ErrorReport}.
 *
 * <p>An element passes when \( |a - e| \le \mathrm{abs} + \mathrm{rel} \cdot |e| \): values use
 * 1e-4 + 1e-4 relative, gradients and arrays 1e-5 + 1e-3 relative. An expected NaN (a metric that
 * measured nothing) passes only for an actual NaN; any other NaN or infinity fails.
 */
public final class Tolerance {

    /** Absolute tolerance of loss values. */
    public static final double VALUE_ABS = 1e-4;

    /** Relative tolerance of loss values. */
    public static final double VALUE_REL = 1e-4;

    /** Absolute tolerance of gradients and output arrays. */
    public static final double ARRAY_ABS = 1e-5;

    /** Relative tolerance of gradients and output arrays. */
    public static final double ARRAY_REL = 1e-3;

    /** Largest absolute error and share of the tolerance by case, then by "engine kind". */
    private static final Map<String, Map<String, double[]>> WORST = new TreeMap<>();

    private Tolerance() {}

    /**
     * Asserts a scalar within the value tolerance.
     *
     * @param engine the engine, for the record
     * @param caseName the case, for the record and the message
     * @param quantity what is compared, for the message
     * @param actual the computed value
     * @param expected the reference value
     */
    public static void assertValue(
            String engine, String caseName, String quantity, double actual, double expected) {
        check(
                engine,
                caseName,
                quantity,
                "value",
                new double[] {actual},
                new double[] {expected},
                true);
    }

    /**
     * Asserts an array within the gradient/array tolerance.
     *
     * @param engine the engine, for the record
     * @param caseName the case, for the record and the message
     * @param quantity what is compared, for the message
     * @param actual the computed values
     * @param expected the reference values
     */
    public static void assertArray(
            String engine, String caseName, String quantity, float[] actual, double[] expected) {
        double[] widened = new double[actual.length];
        for (int i = 0; i < actual.length; i++) {
            widened[i] = actual[i];
        }
        check(engine, caseName, quantity, "array", widened, expected, false);
    }

    private static void check(
            String engine,
            String caseName,
            String quantity,
            String kind,
            double[] actual,
            double[] expected,
            boolean value) {
        String what = caseName + " " + quantity + " on " + engine;
        if (actual.length != expected.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        double abs = value ? VALUE_ABS : ARRAY_ABS;
        double rel = value ? VALUE_REL : ARRAY_REL;
        double worstError = 0;
        double worstRatio = 0;
        int worstAt = -1;
        for (int i = 0; i < actual.length; i++) {
            if (Double.isNaN(expected[i])) {
                if (!Double.isNaN(actual[i])) {
                    fail(what + "[" + i + "] = " + actual[i] + ", expected NaN");
                }
                continue;
            }
            double error = Math.abs(actual[i] - expected[i]);
            if (Double.isNaN(actual[i]) || Double.isInfinite(actual[i])) {
                fail(what + "[" + i + "] = " + actual[i] + ", expected " + expected[i]);
            }
            double ratio = error / (abs + rel * Math.abs(expected[i]));
            worstError = Math.max(worstError, error);
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worstAt = i;
            }
        }
        record(caseName, engine + " " + kind, worstError, worstRatio);
        if (worstRatio > 1) {
            fail(
                    what
                            + "["
                            + worstAt
                            + "] = "
                            + actual[worstAt]
                            + ", expected "
                            + expected[worstAt]
                            + " (error "
                            + Math.abs(actual[worstAt] - expected[worstAt])
                            + " over the tolerance "
                            + abs
                            + " + "
                            + rel
                            + " * |expected|)");
        }
    }

    private static synchronized void record(String group, String key, double error, double ratio) {
        double[] worst =
                WORST.computeIfAbsent(group, g -> new TreeMap<>())
                        .computeIfAbsent(key, k -> new double[2]);
        worst[0] = Math.max(worst[0], error);
        worst[1] = Math.max(worst[1], ratio);
    }

    /**
     * Returns the largest absolute error and the largest share of the tolerance used, per case,
     * engine and kind (value or array), as a Markdown table.
     *
     * @return the table, empty if nothing was compared
     */
    public static synchronized String summary() {
        if (WORST.isEmpty()) {
            return "";
        }
        StringBuilder out =
                new StringBuilder(
                        "| case | engine, kind | largest abs. error | share of tolerance |\n");
        out.append("| --- | --- | --- | --- |\n");
        WORST.forEach(
                (group, byKey) ->
                        byKey.forEach(
                                (key, worst) ->
                                        out.append(
                                                String.format(
                                                        "| %s | %s | %.2e | %.3f |%n",
                                                        group, key, worst[0], worst[1]))));
        return out.toString();
    }
}
