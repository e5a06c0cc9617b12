package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.segloss.example.model.ConvBnRelu;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * {@link NonFiniteBatches} on a convolution with batch norm: what a skipped batch leaves behind (no
 * gradient, the running statistics as before it) and the lines that stop a run.
 */
public class NonFiniteBatchesTest {

    private static final Shape INPUT = new Shape(2, 3, 6, 6);

    @DataProvider(name = "engines")
    public Object[][] engines() {
        return new Object[][] {{"PyTorch"}, {"MXNet"}};
    }

    private static ConvBnRelu block(NDManager manager) {
        ConvBnRelu block = new ConvBnRelu(4, 3, 1);
        block.initialize(manager, DataType.FLOAT32, INPUT);
        return block;
    }

    private static NDArray input(NDManager manager, boolean withNan) {
        float[] values = new float[(int) INPUT.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 7) / 7f - 0.4f;
        }
        if (withNan) {
            values[5] = Float.NaN;
        }
        return manager.create(values, INPUT);
    }

    private static List<float[]> values(ConvBnRelu block, Parameter.Type... types) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            for (Parameter.Type type : types) {
                if (entry.getValue().getType() == type) {
                    values.add(entry.getValue().getArray().toFloatArray());
                }
            }
        }
        return values;
    }

    private static List<float[]> gradients(ConvBnRelu block) {
        List<float[]> gradients = new ArrayList<>();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            Parameter parameter = entry.getValue();
            if (parameter.requiresGradient()) {
                try (NDArray gradient = parameter.getArray().getGradient()) {
                    gradients.add(gradient.toFloatArray());
                }
            }
        }
        return gradients;
    }

    /**
     * One training batch through the guard, as the trainers run it: copy, forward in the gradient
     * recording, the loss's verdict, backward if admitted, the step's verdict.
     */
    private static boolean batch(
            String engine,
            NDManager manager,
            ConvBnRelu block,
            NonFiniteBatches guard,
            NDArray input,
            Function<NDArray, NDArray> loss) {
        guard.beforeBatch();
        ParameterStore store = new ParameterStore(manager, false);
        try (GradientCollector collector = Engine.getEngine(engine).newGradientCollector()) {
            NDArray value = loss.apply(block.forward(store, new NDList(input), true).head());
            if (guard.admitLoss(value.getFloat(), 1, 1)) {
                collector.backward(value);
            }
        }
        return guard.admitStep(1, 1);
    }

    @Test(dataProvider = "engines")
    public void aSkippedNanBatchLeavesTheRunningStatisticsAsTheyWere(String engine) {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            ConvBnRelu block = block(manager);
            NonFiniteBatches guard = new NonFiniteBatches(1, 0, block, manager, Optional.empty());
            assertTrue(batch(engine, manager, block, guard, input(manager, false), NDArray::sum));
            List<float[]> before =
                    values(block, Parameter.Type.RUNNING_MEAN, Parameter.Type.RUNNING_VAR);
            assertEquals(before.size(), 2);
            // PyTorch: the loss is NaN; MXNet (ReLU turns NaN into 0): the gradients are
            assertFalse(batch(engine, manager, block, guard, input(manager, true), NDArray::sum));
            List<float[]> after =
                    values(block, Parameter.Type.RUNNING_MEAN, Parameter.Type.RUNNING_VAR);
            for (int i = 0; i < before.size(); i++) {
                assertEquals(after.get(i), before.get(i));
            }
            assertEquals(guard.skipped(), 1);
            assertEquals(
                    guard.endEpoch(),
                    ", skipped non-finite batch 1 (1 of --skip-nonfinite-batches 1)");
            assertEquals(guard.endEpoch(), "");
        }
    }

    @Test(dataProvider = "engines")
    public void nonFiniteGradientsOfAFiniteLossAreZeroedAndNeverStepped(String engine) {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            ConvBnRelu block = block(manager);
            NonFiniteBatches guard = new NonFiniteBatches(1, 0, block, manager, Optional.empty());
            // sqrt(x - x) is 0, its gradient 0 * infinity = NaN
            Function<NDArray, NDArray> nanGradient = out -> out.sub(out).sqrt().sum();
            assertFalse(batch(engine, manager, block, guard, input(manager, false), nanGradient));
            for (float[] gradient : gradients(block)) {
                for (float value : gradient) {
                    assertEquals(value, 0f);
                }
            }
            // the next batch's gradients alone (PyTorch would add them to NaN otherwise)
            assertTrue(batch(engine, manager, block, guard, input(manager, false), NDArray::sum));
            for (float[] gradient : gradients(block)) {
                for (float value : gradient) {
                    assertTrue(Float.isFinite(value));
                }
            }
        }
    }

    @Test
    public void withoutAllowanceTheFirstNonFiniteLossStopsTheRun() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            ConvBnRelu block = block(manager);
            Path good = Path.of("runs", "x", "checkpoints", "epoch-0002");
            NonFiniteBatches guard = new NonFiniteBatches(0, 0, block, manager, Optional.of(good));
            assertTrue(guard.admitLoss(2.5f, 3, 17));
            TrainingDivergedException stop =
                    expectThrows(
                            TrainingDivergedException.class,
                            () -> guard.admitLoss(Float.NaN, 3, 17));
            assertEquals(
                    stop.getMessage(),
                    "training diverged: loss is NaN at epoch 3, batch 17; the last good"
                            + " checkpoint is "
                            + good);
            NonFiniteBatches first = new NonFiniteBatches(0, 0, block, manager, Optional.empty());
            TrainingDivergedException early =
                    expectThrows(
                            TrainingDivergedException.class,
                            () -> first.admitLoss(Float.NEGATIVE_INFINITY, 1, 2));
            assertEquals(
                    early.getMessage(),
                    "training diverged: loss is -Infinity at epoch 1, batch 2; no checkpoint"
                            + " was written");
        }
    }

    @Test
    public void theBatchBeyondTheAllowanceCountsFromTheResumedCheckpoint() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            ConvBnRelu block = block(manager);
            Path resumed = Path.of("out", "checkpoints", "epoch-0004");
            NonFiniteBatches guard =
                    new NonFiniteBatches(3, 3, block, manager, Optional.of(resumed));
            guard.beforeBatch();
            TrainingDivergedException stop =
                    expectThrows(
                            TrainingDivergedException.class,
                            () -> guard.admitLoss(Float.POSITIVE_INFINITY, 5, 1));
            assertEquals(
                    stop.getMessage(),
                    "training diverged: loss is Infinity at epoch 5, batch 1 (non-finite batch"
                            + " 4, more than --skip-nonfinite-batches 3); the last good"
                            + " checkpoint is "
                            + resumed);
        }
    }

    @Test(dataProvider = "engines")
    public void aParameterThatIsNotFiniteStopsTheRunBeforeItsCheckpoint(String engine) {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            ConvBnRelu block = block(manager);
            NonFiniteBatches guard = new NonFiniteBatches(0, 0, block, manager, Optional.empty());
            guard.checkParameters(1);
            Pair<String, Parameter> first = block.getParameters().get(0);
            NDArray weight = first.getValue().getArray();
            float[] values = weight.toFloatArray();
            values[values.length - 1] = 1e20f; // its square overflows a float
            weight.set(values);
            TrainingDivergedException stop =
                    expectThrows(TrainingDivergedException.class, () -> guard.checkParameters(2));
            assertEquals(
                    stop.getMessage(),
                    "training diverged: parameter "
                            + first.getKey()
                            + " is not finite (or beyond 1e19) after epoch 2; no checkpoint"
                            + " was written");
        }
    }

    @Test
    public void aNegativeAllowanceIsRefused() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            IllegalArgumentException error =
                    expectThrows(
                            IllegalArgumentException.class,
                            () ->
                                    new NonFiniteBatches(
                                            -1, 0, block(manager), manager, Optional.empty()));
            assertEquals(error.getMessage(), "--skip-nonfinite-batches must be >= 0, got -1");
        }
    }
}
