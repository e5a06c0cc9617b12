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

/** Forward and backward of every segloss loss on the cases of {@link LossCase#NAMES}. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LossBenchmark {

    /** The engine. */
    @Param({"PyTorch", "MXNet"})
    public String engine;

    /** The case, one of {@link LossCase#NAMES}. */
    @Param({
        "ce_8x21x128x128",
        "ce_2x19x512x1024",
        "ce-prob_8x21x128x128",
        "pspnet_8x21x128x128",
        "mask_loss_256x81x28x28",
        "dice_8x21x128x128",
        "jaccard_8x21x128x128",
        "tversky_8x21x128x128",
        "focal_8x21x128x128",
        "gdl_8x21x128x128",
        "mcc_8x21x128x128",
        "lovasz_8x21x128x128",
        "ohem_8x21x128x128",
        "bce_8x21x128x128",
        "l2_8x21x128x128",
        "ce+dice_8x21x128x128",
        "boundary_8x21x128x128",
        "boundary-computed_8x21x128x128",
        "hausdorff_8x21x128x128",
        "point-mask_100x1x112x112"
    })
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
     * The segloss loss.
     *
     * @return a value that depends on the result
     */
    @Benchmark
    public float segloss() {
        return ForwardBackward.run(engine, inputs.segloss(), inputs.labels(), inputs.predictions());
    }
}
