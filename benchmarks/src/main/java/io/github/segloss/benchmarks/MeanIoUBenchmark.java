package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.github.segloss.metric.MeanIoU;
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

/** One {@link MeanIoU} update from (8, 21, 128, 128) logits: argmax and confusion counts. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MeanIoUBenchmark {

    /** The engine. */
    @Param({"PyTorch", "MXNet"})
    public String engine;

    private NDManager manager;
    private LossCase inputs;
    private MeanIoU meanIoU;

    /** Creates the inputs (the cross-entropy case's logits and labels). */
    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager(engine);
        inputs = LossCase.create("ce_8x21x128x128", manager);
        meanIoU = new MeanIoU("mIoU", 21, HostData.IGNORE);
        meanIoU.addAccumulator("bench");
    }

    /** Closes the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /**
     * One update.
     *
     * @return a value that depends on the result
     */
    @Benchmark
    public float update() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList labels = inputs.labels();
            meanIoU.updateAccumulator("bench", labels, inputs.predictions());
            return meanIoU.getAccumulator("bench");
        }
    }
}
