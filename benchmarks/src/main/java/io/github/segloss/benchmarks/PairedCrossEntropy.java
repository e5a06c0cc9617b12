package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * Cross-entropy of segloss and DJL's built-in timed alternately in one loop (A, B, A, B, ...), so
 * that the shared machine's drifts hit both alike; prints the median and quartiles of each and of
 * their per-round ratio. {@code java ... PairedCrossEntropy [ROUNDS] [CASE] [ENGINE]}.
 */
public final class PairedCrossEntropy {

    private PairedCrossEntropy() {}

    /**
     * Runs the paired timing.
     *
     * @param args {@code [ROUNDS] [CASE] [ENGINE]}, default 300, ce_8x21x128x128, PyTorch
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        String name = args.length > 1 ? args[1] : "ce_8x21x128x128";
        String engine = args.length > 2 ? args[2] : "PyTorch";
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            LossCase inputs = LossCase.create(name, manager);
            double[] segloss = new double[rounds];
            double[] builtin = new double[rounds];
            double[] ratio = new double[rounds];
            for (int r = -20; r < rounds; r++) {
                long a = System.nanoTime();
                ForwardBackward.run(
                        engine, inputs.segloss(), inputs.labels(), inputs.predictions());
                long b = System.nanoTime();
                ForwardBackward.run(
                        engine, inputs.builtin(), inputs.builtinLabels(), inputs.predictions());
                long c = System.nanoTime();
                if (r >= 0) {
                    segloss[r] = (b - a) / 1e6;
                    builtin[r] = (c - b) / 1e6;
                    ratio[r] = segloss[r] / builtin[r];
                }
            }
            System.out.printf(
                    "%s on %s, %d alternating rounds: segloss %s ms, DJL built-in %s ms, ratio %s"
                            + " (median [quartiles])%n",
                    name, engine, rounds, quartiles(segloss), quartiles(builtin), quartiles(ratio));
        }
    }

    private static String quartiles(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return String.format(
                "%.3f [%.3f, %.3f]", sorted[n / 2], sorted[n / 4], sorted[(3 * n) / 4]);
    }
}
