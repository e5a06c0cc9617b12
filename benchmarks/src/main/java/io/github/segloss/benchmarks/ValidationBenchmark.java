package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import io.github.segloss.internal.ClassIndexLabels;
import io.github.segloss.internal.MaskHeadInputs;
import io.github.segloss.internal.ValueChecks;
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
 * The input validation of the losses alone, on good input, to set beside their forward+backward
 * time: the class-index check that every class-index loss runs ({@code ce_*}; cross-entropy, OHEM,
 * Dice, Jaccard, Tversky, focal and Lovász in MULTICLASS mode share it), the mask head's checks
 * ({@code mask_loss_*}) and the binary cross-entropy's target check ({@code bce_*}). Each times
 * exactly the calls that the loss makes for its checks, on the arrays it has at that point.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ValidationBenchmark {

    /** The engine. */
    @Param({"PyTorch", "MXNet"})
    public String engine;

    /** The case whose validation is timed. */
    @Param({"ce_8x21x128x128", "ce_2x19x512x1024", "mask_loss_256x81x28x28", "bce_8x21x128x128"})
    public String caseName;

    private NDManager manager;
    private LossCase inputs;
    private NDArray classIndex;
    private NDArray maskedTargets;

    /** Creates the inputs and what the loss computes before its check. */
    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager(engine);
        inputs = LossCase.create(caseName, manager);
        NDArray logits = inputs.predictions().head();
        if (caseName.startsWith("ce")) {
            classIndex =
                    ClassIndexLabels.of(inputs.labels().head(), logits, HostData.IGNORE).index();
        } else if (caseName.startsWith("bce")) {
            maskedTargets = inputs.labels().head().toType(DataType.FLOAT32, true);
        }
    }

    /** Closes the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /**
     * The checks of the case's loss.
     *
     * @return a value that depends on the result
     */
    @Benchmark
    public boolean validate() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            if (classIndex != null) {
                long classes = inputs.predictions().head().getShape().get(1);
                ClassIndexLabels.requireClasses(
                        classIndex, inputs.labels().head(), classes, HostData.IGNORE);
                return true;
            }
            if (maskedTargets != null) {
                return ValueChecks.inBounds(maskedTargets, 0, 1);
            }
            return MaskHeadInputs.of(inputs.labels(), inputs.predictions(), false).rois() > 0;
        }
    }
}
