package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.evaluator.Evaluator;
import io.github.segloss.metric.BoundaryIoU;
import io.github.segloss.metric.SegmentationReport;
import io.github.segloss.metric.SurfaceDice;
import io.github.segloss.metric.SurfaceDistance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The inputs and evaluator of one metric case of {@link MetricBenchmark}, named as {@code
 * metric_bench.py} names its Python counterpart:
 *
 * <ul>
 *   <li>{@code report_8x21x128x128}, {@code biou_8x21x128x128}: {@link SegmentationReport} and
 *       {@link BoundaryIoU} (dilation ratio 0.02) on (8, 21, 128, 128) logits uniform in [-4, 4)
 *       and labels uniform in [0, 21) with a tenth ignored (255), drawn from a hash ({@link #mix})
 *       that {@code metric_bench.py} computes alike;
 *   <li>{@code hd95_*}, {@code assd_*}, {@code nsd_*}: {@link SurfaceDistance#hausdorff95}, {@link
 *       SurfaceDistance#averageSymmetric} and {@link SurfaceDice} (tolerance 1) on one image of
 *       class ids with one foreground class (C = 2, background left out): a disc of radius 100 in
 *       the labels and one of radius 102 shifted by 4 pixels per axis in the predictions, 512 ×
 *       512, or a sphere of radius 30 against one of radius 32 shifted by 2, 128³.
 * </ul>
 *
 * <p>{@code java ... io.github.segloss.benchmarks.MetricCase [--cpu] [ENGINE] [RUNS] [CASE...]}
 * prints, per case (all when none is named), the median milliseconds of RUNS updates (default 9)
 * after 20 warm-up updates and 3 s at least (for the JIT), and the value, as {@code
 * metric_bench.py} does for the Python side: quicker than JMH for alternating runs on a shared
 * machine, and equal values show that both sides measure the same input. With {@code --cpu} the
 * times are the CPU time of the main thread and libtorch's workers ({@link Stamp}), which waiting
 * for a core does not inflate.
 *
 * @param labels the labels
 * @param predictions the predictions (logits or class ids)
 * @param evaluator the evaluator
 */
record MetricCase(NDList labels, NDList predictions, Evaluator evaluator) {

    private static final int WARMUP = 20;
    private static final long WARMUP_NANOS = 3_000_000_000L;

    /** Every case, in the order of the tables. */
    static final List<String> NAMES =
            List.of(
                    "report_8x21x128x128",
                    "biou_8x21x128x128",
                    "hd95_512x512",
                    "assd_512x512",
                    "nsd_512x512",
                    "hd95_128x128x128",
                    "assd_128x128x128",
                    "nsd_128x128x128");

    /**
     * Creates a case's inputs on a manager and its evaluator.
     *
     * @param name the case's name, one of {@link #NAMES}
     * @param manager the manager of the inputs (its engine is the one measured)
     * @return the case
     */
    static MetricCase create(String name, NDManager manager) {
        String metric = name.substring(0, name.indexOf('_'));
        Evaluator evaluator =
                switch (metric) {
                    case "report" ->
                            SegmentationReport.builder()
                                    .setNumClasses(21)
                                    .optIgnoreIndex(HostData.IGNORE)
                                    .build();
                    case "biou" -> new BoundaryIoU(21);
                    case "hd95" -> SurfaceDistance.hausdorff95(2);
                    case "assd" -> SurfaceDistance.averageSymmetric(2);
                    case "nsd" -> SurfaceDice.builder().setNumClasses(2).setTolerance(1).build();
                    default -> throw new IllegalArgumentException("unknown metric case " + name);
                };
        if (name.endsWith("_8x21x128x128")) {
            return new MetricCase(
                    new NDList(manager.create(hashedLabels(8 * 128 * 128), new Shape(8, 128, 128))),
                    new NDList(
                            manager.create(
                                    hashedLogits(8 * 21 * 128 * 128), new Shape(8, 21, 128, 128))),
                    evaluator);
        }
        boolean volume = name.endsWith("_128x128x128");
        if (!volume && !name.endsWith("_512x512")) {
            throw new IllegalArgumentException("unknown metric case " + name);
        }
        long[] shape = volume ? new long[] {128, 128, 128} : new long[] {512, 512};
        int radius = volume ? 30 : 100;
        int shift = volume ? 2 : 4;
        return new MetricCase(
                new NDList(ball(manager, shape, radius, 0)),
                new NDList(ball(manager, shape, radius + 2, shift)),
                evaluator);
    }

    /**
     * One update from an empty accumulator, and the value read back.
     *
     * @return the metric's value (for the report: its macro IoU)
     */
    double update() {
        evaluator.addAccumulator("bench");
        evaluator.updateAccumulator("bench", labels, predictions);
        if (evaluator instanceof SegmentationReport report) {
            return report.getReport("bench").getMacro().iou();
        }
        return evaluator.getAccumulator("bench");
    }

    /**
     * SplitMix64's output for element i of stream {@code seed}: a hash that numpy computes alike,
     * so that {@code metric_bench.py} builds the very same inputs.
     */
    static long mix(long seed, long i) {
        long z = seed + i * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform logits in [-4, 4) on a grid of 2^-21 (exact in float32), stream 1. */
    private static float[] hashedLogits(int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (mix(1, i) >>> 40) * 0x1p-21f - 4;
        }
        return values;
    }

    /** Uniform labels in [0, 21), a tenth of them 255 (ignored), stream 2. */
    private static int[] hashedLabels(int size) {
        int[] labels = new int[size];
        for (int i = 0; i < size; i++) {
            long z = mix(2, i);
            labels[i] = (z >>> 32) % 10 == 0 ? HostData.IGNORE : (int) ((z & 0xFFFFFFFFL) % 21);
        }
        return labels;
    }

    /** Class ids (1, d1..dk): 1 inside the ball around the centre shifted along every axis. */
    private static NDArray ball(NDManager manager, long[] shape, int radius, int shift) {
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

    /**
     * Prints each case's median time and value.
     *
     * @param args {@code [--cpu] [ENGINE] [RUNS] [CASE...]}
     */
    public static void main(String[] args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean cpu = rest.remove("--cpu");
        String engine = rest.isEmpty() ? "PyTorch" : rest.remove(0);
        int runs = rest.isEmpty() ? 9 : Integer.parseInt(rest.remove(0));
        for (String name : rest.isEmpty() ? NAMES : rest) {
            try (NDManager manager = NDManager.newBaseManager(engine)) {
                MetricCase metric = create(name, manager);
                double[] times = new double[runs];
                double value = Double.NaN;
                long warmUntil = System.nanoTime() + WARMUP_NANOS;
                for (int r = -WARMUP; r < runs; r++) {
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        Stamp start = Stamp.now();
                        value = metric.update();
                        Stamp end = Stamp.now();
                        if (r >= 0) {
                            times[r] =
                                    (cpu ? end.cpu() - start.cpu() : end.wall() - start.wall())
                                            / 1e6;
                        } else if (r == -1 && start.wall() < warmUntil) {
                            r--; // warm up for 20 updates and 3 s at least
                        } else if (r == -1) {
                            Stamp.track(); // libtorch's workers exist now
                        }
                    }
                }
                Arrays.sort(times);
                System.out.printf(Locale.ROOT, "%s %.3f %.6g%n", name, times[runs / 2], value);
            }
        }
    }
}
