package io.github.segloss.enginetest.fuzz;

import static org.testng.Assert.fail;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs seeded random cases and reports every failure with what it takes to rerun it alone.
 *
 * <p>Case {@code i} of suite {@code s} draws its input from the case seed {@link #caseSeed}, a hash
 * of the base seed, the suite's name and {@code i}: the same base seed gives the same cases on
 * every machine and engine. The base seed is {@link #DEFAULT_SEED} unless the system property
 * {@code segloss.fuzz.seed} sets another (a new seed explores new cases). A failure message names
 * the suite, the case seed and the case's description; {@code -Dsegloss.fuzz.case=suite/seed} (e.g.
 * {@code crossEntropy/1f2e...}) then runs that case alone, in its suite, and no other; {@code
 * -Dsegloss.fuzz.scale=10} runs ten times as many cases of every suite.
 */
public final class Fuzz {

    /** The base seed of CI runs. */
    public static final long DEFAULT_SEED = 0x5E61055L;

    /** Failures quoted in full in the assertion message; the rest are counted. */
    private static final int QUOTED_FAILURES = 8;

    private Fuzz() {}

    /** The body of a case: draws an input from the case, runs it and asserts the outcome. */
    @FunctionalInterface
    public interface Body {
        /**
         * Runs one case.
         *
         * @param c the case, with its random source, manager and description
         * @throws Exception on any failure (an {@link AssertionError} or an unexpected exception)
         */
        void run(FuzzCase c) throws Exception;
    }

    /**
     * The totals of a suite run, for the summary line.
     *
     * @param cases the cases run
     * @param valid the cases with valid input, compared with the reference
     * @param invalid the cases with invalid input, which had to raise an exception
     * @param seconds the wall time
     */
    public record Totals(int cases, int valid, int invalid, int loose, double seconds) {}

    /**
     * The base seed: the system property {@code segloss.fuzz.seed} (decimal or 0x hex) or {@link
     * #DEFAULT_SEED}.
     *
     * @return the base seed
     */
    public static long baseSeed() {
        String value = System.getProperty("segloss.fuzz.seed");
        return value == null || value.isBlank() ? DEFAULT_SEED : Long.decode(value.trim());
    }

    /**
     * The seed of case {@code index} of a suite.
     *
     * @param base the base seed
     * @param suite the suite's name
     * @param index the case's number
     * @return the case seed
     */
    public static long caseSeed(long base, String suite, int index) {
        long h = base ^ (0x9E3779B97F4A7C15L * (suite.hashCode() + 1L));
        h += 0x9E3779B97F4A7C15L * (index + 1L);
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    /**
     * Runs {@code cases} cases of a suite on one engine (or the one case that {@code
     * segloss.fuzz.case} selects), each with a sub-manager of {@code base} closed after it, and
     * fails with every failing case's seed and description.
     *
     * @param engine the engine's name
     * @param base the manager the cases' managers come from
     * @param suite the suite's name, e.g. "crossEntropy"
     * @param cases the number of cases
     * @param body the case body
     * @return the totals
     */
    public static Totals run(String engine, NDManager base, String suite, int cases, Body body) {
        long[] seeds = seeds(suite, cases);
        long start = System.nanoTime();
        List<String> failures = new ArrayList<>();
        int valid = 0;
        int invalid = 0;
        int loose = 0;
        for (long seed : seeds) {
            try (NDManager manager = base.newSubManager()) {
                FuzzCase c = new FuzzCase(suite, seed, engine, manager);
                try {
                    body.run(c);
                    if (c.isInvalid()) {
                        invalid++;
                    } else {
                        valid++;
                    }
                    if (c.isLoose()) {
                        loose++;
                    }
                } catch (Throwable e) {
                    failures.add(describeFailure(c, e));
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Totals totals = new Totals(seeds.length, valid, invalid, loose, seconds);
        System.out.printf(
                Locale.ROOT,
                "fuzz %s on %s: %d cases (%d valid, %d of them loosely compared; %d invalid),"
                        + " base seed %#x, %.1f s%n",
                suite,
                engine,
                totals.cases(),
                valid,
                loose,
                invalid,
                baseSeed(),
                seconds);
        if (!failures.isEmpty()) {
            Path report = Path.of("target", "fuzz-failures", suite + "-" + engine + ".txt");
            try {
                Files.createDirectories(report.getParent());
                Files.write(report, failures);
            } catch (IOException e) {
                // the assertion message below still quotes the first failures
            }
            StringBuilder message =
                    new StringBuilder(
                            failures.size()
                                    + " of "
                                    + seeds.length
                                    + " fuzz cases of "
                                    + suite
                                    + " failed on "
                                    + engine
                                    + " (rerun one with -Dsegloss.fuzz.case=SUITE/SEED; all in "
                                    + report
                                    + "):");
            for (int i = 0; i < Math.min(QUOTED_FAILURES, failures.size()); i++) {
                message.append("\n  ").append(failures.get(i));
            }
            if (failures.size() > QUOTED_FAILURES) {
                message.append("\n  ... and ")
                        .append(failures.size() - QUOTED_FAILURES)
                        .append(" more");
            }
            fail(message.toString());
        }
        return totals;
    }

    /** The case seeds to run: all of the suite, or the one selected by segloss.fuzz.case. */
    private static long[] seeds(String suite, int cases) {
        String only = System.getProperty("segloss.fuzz.case");
        if (only != null && !only.isBlank()) {
            int slash = only.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException(
                        "segloss.fuzz.case must be SUITE/SEED, got " + only);
            }
            if (!only.substring(0, slash).equals(suite)) {
                return new long[0];
            }
            return new long[] {
                Long.parseUnsignedLong(only.substring(slash + 1).replace("0x", ""), 16)
            };
        }
        long base = baseSeed();
        String scale = System.getProperty("segloss.fuzz.scale");
        if (scale != null && !scale.isBlank()) {
            cases = (int) Math.round(cases * Double.parseDouble(scale.trim()));
        }
        long[] seeds = new long[cases];
        for (int i = 0; i < cases; i++) {
            seeds[i] = caseSeed(base, suite, i);
        }
        return seeds;
    }

    private static String describeFailure(FuzzCase c, Throwable e) {
        String what =
                e instanceof AssertionError
                        ? String.valueOf(e.getMessage())
                        : "unexpected "
                                + e.getClass().getName()
                                + ": "
                                + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                                + " at "
                                + where(e);
        return c.id() + " [" + c.description() + "] -> " + what;
    }

    /** The first frames of segloss code in the stack, or the top frame. */
    private static String where(Throwable e) {
        StringBuilder frames = new StringBuilder();
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith("io.github.segloss")) {
                frames.append(frames.length() == 0 ? "" : " < ").append(frame);
                if (frames.length() > 300) {
                    break;
                }
            }
        }
        StackTraceElement[] stack = e.getStackTrace();
        return frames.length() > 0
                ? frames.toString()
                : stack.length > 0 ? stack[0].toString() : "?";
    }
}
