package io.github.segloss.benchmarks;

import io.github.segloss.metric.IouType;
import io.github.segloss.metric.MaskApResult;
import io.github.segloss.metric.MaskAveragePrecision;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link MaskAveragePrecision} on {@link MaskApData} (50 images of 480 × 640, 10 ground truths and
 * 30 detections each): {@code addImage} of every image from host masks, then {@code evaluate}, as
 * {@code mask_ap_bench.py} times pycocotools' encode and COCOeval on the same data. Engine
 * independent (host arrays).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MaskApBenchmark {

    /** Mask AP (pycocotools' segm) or Boundary AP (boundary-iou-api's boundary). */
    @Param({"SEGM", "BOUNDARY"})
    public String iouType;

    private MaskApData data;

    /** Draws the dataset. */
    @Setup(Level.Trial)
    public void setUp() {
        data = MaskApData.draw();
    }

    /**
     * Adds the 50 images and evaluates.
     *
     * @return the AP
     */
    @Benchmark
    public double addImagesAndEvaluate() {
        return run(data, IouType.valueOf(iouType)).ap();
    }

    private static MaskApResult run(MaskApData d, IouType type) {
        MaskAveragePrecision ap =
                MaskAveragePrecision.builder()
                        .setNumClasses(MaskApData.CLASSES)
                        .optIouType(type)
                        .build();
        for (int n = 0; n < d.scores().length; n++) {
            ap.addImage(
                    d.height(),
                    d.width(),
                    d.dtMasks()[n],
                    d.scores()[n],
                    d.dtClasses()[n],
                    d.gtMasks()[n],
                    d.gtClasses()[n],
                    d.gtCrowd()[n]);
        }
        return ap.evaluate();
    }

    /**
     * Prints the stats of both IoU types (to compare with {@code mask_ap_bench.py}'s) and the
     * median wall and CPU milliseconds (of this thread, which does all the work) of {@code runs}
     * calls after 3 warm-up calls: on a shared machine the CPU time is what waiting for a core does
     * not inflate.
     *
     * @param args the number of timed runs (default 7), then SEGM or BOUNDARY (default both)
     */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        MaskApData d = MaskApData.draw();
        java.lang.management.ThreadMXBean threads =
                java.lang.management.ManagementFactory.getThreadMXBean();
        for (IouType type :
                args.length > 1 ? new IouType[] {IouType.valueOf(args[1])} : IouType.values()) {
            double[] wall = new double[runs];
            double[] cpu = new double[runs];
            MaskApResult result = null;
            for (int r = -3; r < runs; r++) {
                long start = System.nanoTime();
                long startCpu = threads.getCurrentThreadCpuTime();
                result = run(d, type);
                if (r >= 0) {
                    wall[r] = (System.nanoTime() - start) / 1e6;
                    cpu[r] = (threads.getCurrentThreadCpuTime() - startCpu) / 1e6;
                }
            }
            java.util.Arrays.sort(wall);
            java.util.Arrays.sort(cpu);
            System.out.printf(
                    java.util.Locale.ROOT,
                    "%s: median %.1f ms (CPU %.1f ms) of %d, wall %.1f to %.1f, stats %s%n",
                    type,
                    wall[runs / 2],
                    cpu[runs / 2],
                    runs,
                    wall[0],
                    wall[runs - 1],
                    java.util.Arrays.toString(result.stats()));
        }
    }
}
