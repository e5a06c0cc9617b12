package io.github.segloss.benchmarks;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * {@link DirectOptimizerStep} updates the weights bit for bit as {@code trainer.step()} does, with
 * DJL's Adam on a poly-like decaying rate, over several steps.
 */
public class DirectOptimizerStepTest {

    private static final int STEPS = 4;

    @DataProvider
    public static Object[][] engines() {
        return new Object[][] {{"PyTorch"}, {"MXNet"}};
    }

    @Test(dataProvider = "engines")
    public void adamWeightsEqualTrainerStepBitForBit(String engine) {
        List<float[]> viaTrainer = train(engine, false);
        List<float[]> direct = train(engine, true);
        List<float[]> initial = train(engine, null);
        assertEquals(direct.size(), viaTrainer.size());
        for (int i = 0; i < direct.size(); i++) {
            assertEquals(direct.get(i), viaTrainer.get(i), engine + " parameter " + i);
            // the steps really moved every weight
            assertNotEquals(direct.get(i), initial.get(i), engine + " parameter " + i);
        }
    }

    /** Trains STEPS steps (none for a null {@code direct}) and returns the parameters. */
    private static List<float[]> train(String engine, Boolean direct) {
        try (Model model = Model.newInstance("direct", engine)) {
            model.setBlock(
                    new SequentialBlock()
                            .add(Linear.builder().setUnits(6).build())
                            .add(BatchNorm.builder().build())
                            .add(Linear.builder().setUnits(3).build()));
            Optimizer adam =
                    Optimizer.adam()
                            .optLearningRateTracker(
                                    Tracker.factor().setBaseValue(0.05f).setFactor(0.7f).build())
                            .build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.l2Loss())
                            .optOptimizer(adam)
                            .optInitializer(new ConstantsInitializer(), Parameter.Type.WEIGHT)
                            .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(4, 5));
                NDManager manager = trainer.getManager();
                for (int step = 0; direct != null && step < STEPS; step++) {
                    try (NDManager scope = manager.newSubManager()) {
                        float[] x = new float[20];
                        float[] y = new float[12];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = ((i * 7 + step * 3) % 11 - 5) / 4f;
                        }
                        for (int i = 0; i < y.length; i++) {
                            y[i] = ((i * 5 + step) % 7 - 3) / 2f;
                        }
                        NDArray input = scope.create(x, new Shape(4, 5));
                        NDArray label = scope.create(y, new Shape(4, 3));
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(new NDList(input));
                            NDArray loss = trainer.getLoss().evaluate(new NDList(label), out);
                            collector.backward(loss);
                        }
                        if (direct) {
                            DirectOptimizerStep.step(trainer, adam);
                        } else {
                            trainer.step();
                        }
                    }
                }
                List<float[]> parameters = new ArrayList<>();
                for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
                    if (pair.getValue().requiresGradient()) {
                        parameters.add(pair.getValue().getArray().toFloatArray());
                    }
                }
                return parameters;
            }
        }
    }

    /** Deterministic weights on both engines (their random generators differ). */
    private static final class ConstantsInitializer implements Initializer {

        @Override
        public NDArray initialize(
                NDManager manager, Shape shape, ai.djl.ndarray.types.DataType type) {
            float[] values = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = ((i * 13) % 17 - 8) / 10f;
            }
            return manager.create(values, shape).toType(type, false);
        }
    }
}
