package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.evaluator.Evaluator;
import io.github.segloss.metric.SurfaceDice;
import io.github.segloss.metric.SurfaceDistance;
import java.util.Arrays;
import java.util.Locale;

/**
 * The cost of {@link SurfaceDistance} and {@link SurfaceDice} per 512² image and per 128³ volume:
 * one foreground class (C = 2, background left out) that is a disc (sphere) in the labels and a
 * slightly larger, shifted one in the predictions, given as class ids; the median time of {@code
 * updateAccumulator} over repeated runs after 5 warm-up runs. {@code surface_bench.py} times
 * MONAI's functions on the same masks.
 *
 * <p>{@code java ... io.github.segloss.benchmarks.SurfaceMetricsCost [ENGINE] [RUNS]}
 */
public final class SurfaceMetricsCost {

    private static final int WARMUP = 5;

    private SurfaceMetricsCost() {}

    /**
     * Prints the table.
     *
     * @param args {@code [ENGINE] [RUNS]}
     */
    public static void main(String[] args) {
        String engine = args.length > 0 ? args[0] : "PyTorch";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        System.out.println(
                "| input | HD95 | ASSD | NSD (tolerance 1) | ms, median of " + runs + " |");
        System.out.println("| --- | --- | --- | --- | --- |");
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            row(manager, "512 × 512", new long[] {512, 512}, 100, 4, runs);
            row(manager, "128 × 128 × 128", new long[] {128, 128, 128}, 30, 2, runs);
        }
    }

    private static void row(
            NDManager manager, String name, long[] shape, int radius, int shift, int runs) {
        NDArray labels = ball(manager, shape, radius, 0);
        NDArray predictions = ball(manager, shape, radius + 2, shift);
        Evaluator[] metrics = {
            SurfaceDistance.hausdorff95(2),
            SurfaceDistance.averageSymmetric(2),
            SurfaceDice.builder().setNumClasses(2).setTolerance(1).build()
        };
        StringBuilder line = new StringBuilder("| " + name + " |");
        for (Evaluator metric : metrics) {
            double[] times = new double[runs];
            for (int r = -WARMUP; r < runs; r++) {
                metric.addAccumulator("bench");
                long start = System.nanoTime();
                metric.updateAccumulator("bench", new NDList(labels), new NDList(predictions));
                if (r >= 0) {
                    times[r] = (System.nanoTime() - start) / 1e6;
                }
            }
            Arrays.sort(times);
            line.append(
                    String.format(
                            Locale.ROOT,
                            " %.1f (%.4g) |",
                            times[runs / 2],
                            metric.getAccumulator("bench")));
        }
        System.out.println(line.append(" |"));
    }

    /** Class ids (1, d1..dk): 1 inside the ball around the centre shifted along every axis. */
    static NDArray ball(NDManager manager, long[] shape, int radius, int shift) {
        int size = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        int[] ids = new int[size];
        for (int i = 0; i < size; i++) {
            long rest = i;
            long sum = 0;
            for (int k = shape.length - 1; k >= 0; k--) {
                long d = rest % shape[k] - (shape[k] / 2 + (k % 2 == 0 ? shift : -shift));
                rest /= shape[k];
                sum += d * d;
            }
            ids[i] = sum <= (long) radius * radius ? 1 : 0;
        }
        long[] dims = new long[shape.length + 1];
        dims[0] = 1;
        System.arraycopy(shape, 0, dims, 1, shape.length);
        return manager.create(ids, new Shape(dims));
    }
}
