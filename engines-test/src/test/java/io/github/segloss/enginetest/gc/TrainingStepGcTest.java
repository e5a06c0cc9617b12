package io.github.segloss.enginetest.gc;

import static org.testng.Assert.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.translate.Batchifier;
import ai.djl.util.Pair;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
import io.github.segloss.example.model.PspNet;
import io.github.segloss.example.train.DataParallelStep;
import io.github.segloss.loss.DeepSupervisionLoss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * segloss-train's training step ({@link DataParallelStep#forwardBackward}) on its PSPNet with
 * {@code DeepSupervisionLoss.pspnet()}: with a {@link GcStorm} between the loss's forward pass and
 * the backward pass in 50 steps, every parameter gradient is bit-identical to the step without it.
 */
public class TrainingStepGcTest extends EngineTest {

    private static final int BATCH = 2;
    private static final int SIZE = 32;
    private static final int CLASSES = 4;

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public TrainingStepGcTest(String engine) {
        super(engine);
    }

    @Test
    public void parameterGradientsSurviveGcBeforeBackward() {
        StormingLoss loss = new StormingLoss(DeepSupervisionLoss.pspnet());
        try (Model model = Model.newInstance("pspnet", engine)) {
            model.setBlock(new PspNet(CLASSES, 8));
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss))) {
                trainer.initialize(new Shape(BATCH, 3, SIZE, SIZE));
                List<float[]> calm = step(trainer, model, loss, false);
                List<String> differences = new ArrayList<>();
                for (int i = 0; i < GcStressTest.ROUNDS; i++) {
                    List<float[]> stormy = step(trainer, model, loss, true);
                    for (int p = 0; p < calm.size(); p++) {
                        if (!Arrays.equals(calm.get(p), stormy.get(p))) {
                            differences.add("step " + i + ", parameter " + p);
                        }
                    }
                }
                assertTrue(
                        differences.isEmpty(),
                        engine
                                + ": "
                                + differences.size()
                                + " parameter gradients differ, first: "
                                + (differences.isEmpty() ? "" : differences.get(0)));
            }
        }
    }

    /** One forward and backward step on a fixed batch; returns every parameter's gradient. */
    private List<float[]> step(Trainer trainer, Model model, StormingLoss loss, boolean storm) {
        List<NDArray> parameters = new ArrayList<>();
        for (Pair<String, Parameter> entry : model.getBlock().getParameters()) {
            if (entry.getValue().requiresGradient()) {
                parameters.add(entry.getValue().getArray());
            }
        }
        for (NDArray parameter : parameters) {
            NDArray gradient = parameter.getGradient();
            gradient.subi(gradient);
        }
        loss.storm = storm;
        NDManager batchManager = trainer.getManager().newSubManager();
        NDArray images = GraphCase.uniform(batchManager, 1, new Shape(BATCH, 3, SIZE, SIZE));
        NDArray labels =
                GraphCase.classLabels(batchManager, 2, CLASSES, 255, new Shape(BATCH, SIZE, SIZE));
        try (Batch batch =
                new Batch(
                        batchManager,
                        new NDList(images),
                        new NDList(labels),
                        BATCH,
                        Batchifier.STACK,
                        Batchifier.STACK,
                        0,
                        1)) {
            DataParallelStep.forwardBackward(trainer, batch);
        } finally {
            loss.release();
        }
        List<float[]> gradients = new ArrayList<>();
        for (NDArray parameter : parameters) {
            gradients.add(parameter.getGradient().toType(DataType.FLOAT32, false).toFloatArray());
        }
        return gradients;
    }

    /** The training loss, with a storm after its forward pass when asked. */
    private static final class StormingLoss extends Loss {

        private final Loss loss;
        private boolean storm;
        private GcStorm.Held held;

        StormingLoss(Loss loss) {
            super(loss.getName());
            this.loss = loss;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray value = loss.evaluate(labels, predictions);
            if (storm) {
                held = GcStorm.between();
            }
            return value;
        }

        void release() {
            if (held != null) {
                held.close();
                held = null;
            }
        }
    }
}
