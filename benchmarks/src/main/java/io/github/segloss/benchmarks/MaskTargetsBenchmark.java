package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.MaskRcnnMaskLoss;
import io.github.segloss.target.MaskTargets;
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
 * {@link MaskTargets#project} of 16 masks of 1024² onto 256 RoIs at 28² (beside torchvision's
 * {@code roi_align}), and the whole of torchvision's {@code maskrcnn_loss}: projection, then {@link
 * MaskRcnnMaskLoss} forward and backward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MaskTargetsBenchmark {

    /** The engine. */
    @Param({"PyTorch", "MXNet"})
    public String engine;

    private NDManager manager;
    private MaskInputs inputs;
    private NDArray logits;
    private final Loss loss = MaskRcnnMaskLoss.builder().build();

    /** Creates the inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager(engine);
        inputs = MaskInputs.create(manager);
        logits =
                manager.create(
                        HostData.gaussian(1, 256L * 81 * MaskInputs.M * MaskInputs.M),
                        new Shape(256, 81, MaskInputs.M, MaskInputs.M));
    }

    /** Closes the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /**
     * The projection alone.
     *
     * @return a value that depends on the result
     */
    @Benchmark
    public float project() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return inputs.targets().sum().getFloat();
        }
    }

    /**
     * Projection, then the mask loss's forward and backward.
     *
     * @return a value that depends on the result
     */
    @Benchmark
    public float maskRcnnLoss() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray targets =
                    MaskTargets.project(
                            inputs.masks(), inputs.boxes(), inputs.matched(), MaskInputs.M, false);
            return ForwardBackward.run(
                    engine, loss, new NDList(inputs.labels(), targets), new NDList(logits));
        }
    }
}
