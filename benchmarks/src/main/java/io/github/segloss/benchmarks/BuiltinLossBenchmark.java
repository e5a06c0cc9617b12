package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDManager;
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
 * Forward and backward of DJL's own losses on the cases where DJL has one: {@code
 * SoftmaxCrossEntropyLoss} (no ignore label, no class weights: it does less work) and {@code
 * SigmoidBinaryCrossEntropyLoss} (after a pick, for the mask loss) and {@code L2Loss} (which halves
 * the mean).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BuiltinLossBenchmark {

    /** The engine. */
    @Param({"PyTorch", "MXNet"})
    public String engine;

    /** The case, one of {@link LossCase#NAMES} that has a built-in loss. */
    @Param({"ce_8x21x128x128", "ce_2x19x512x1024", "mask_loss_256x81x28x28", "bce_8x21x128x128"})
    public String caseName;

    private NDManager manager;
    private LossCase inputs;

    /** Creates the case's inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager(engine);
        inputs = LossCase.create(caseName, manager);
    }

    /** Closes the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /**
     * DJL's built-in loss.
     *
     * @return a value that depends on the result
     */
    @Benchmark
    public float builtin() {
        return ForwardBackward.run(
                engine, inputs.builtin(), inputs.builtinLabels(), inputs.predictions());
    }
}
