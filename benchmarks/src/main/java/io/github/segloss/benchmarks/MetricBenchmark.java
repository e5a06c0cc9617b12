package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * One update of each metric of issue 14 from an empty accumulator, and its value read back (the
 * cases of {@link MetricCase}): {@code SegmentationReport} and {@code BoundaryIoU} on (8, 21, 128,
 * 128) logits, {@code SurfaceDistance} HD95 and ASSD and {@code SurfaceDice} per 512² image and per
 * 128³ volume. {@code metric_bench.py} times smp's, boundary-iou-api's and MONAI's functions on the
 * same inputs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MetricBenchmark {

    /** The engine. */
    @Param({"PyTorch", "MXNet"})
    public String engine;

    /** The case's name (see {@link MetricCase#NAMES}). */
    @Param({
        "report_8x21x128x128",
        "biou_8x21x128x128",
        "hd95_512x512",
        "assd_512x512",
        "nsd_512x512",
        "hd95_128x128x128",
        "assd_128x128x128",
        "nsd_128x128x128"
    })
    public String caseName;

    private NDManager manager;
    private MetricCase metric;

    /** Creates the inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager(engine);
        metric = MetricCase.create(caseName, manager);
    }

    /** Closes the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /**
     * One update and the value.
     *
     * @return the value
     */
    @Benchmark
    public double update() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return metric.update();
        }
    }
}
