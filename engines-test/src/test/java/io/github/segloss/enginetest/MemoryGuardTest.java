package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.metric.MeanIoU;
import io.github.segloss.metric.PixelAccuracy;
import java.util.Random;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Training with segloss's losses and metrics keeps the number of live NDArrays constant: every
 * array a loss or metric creates belongs to the batch and is closed with it. (A smaller guard for
 * issue 5's 2,000-step memory target.)
 */
public class MemoryGuardTest extends EngineTest {

    private static final int STEPS = 40;
    private static final int WARM_UP = 10;

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public MemoryGuardTest(String engine) {
        super(engine);
    }

    /** The arrays alive under the engine's root manager, every model and batch included. */
    private static long liveArrays(NDManager manager) {
        NDManager root = manager;
        while (root.getParentManager() != null) {
            root = root.getParentManager();
        }
        return root.getManagedArrays().size();
    }

    @Test
    public void liveArraysStayConstantOverTrainingSteps() {
        DeepSupervisionLoss loss = DeepSupervisionLoss.pspnet();
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(Tracker.fixed(0.01f))
                                        .build())
                        .optDevices(new Device[] {Device.cpu()})
                        .addEvaluator(new MeanIoU("mIoU", 3, 255))
                        .addEvaluator(new PixelAccuracy("pixelAccuracy", 255))
                        .addTrainingListeners(new EvaluatorTrainingListener());
        engine().setRandomSeed(7);
        Random random = new Random(7);
        try (Model model = Model.newInstance("guard", Device.cpu(), engine)) {
            model.setBlock(new TwoHeadNet(3));
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(4, 3, 8, 8));
                long baseline = -1;
                for (int step = 1; step <= STEPS; step++) {
                    NDManager batchManager = trainer.getManager().newSubManager();
                    float[] pixels = new float[4 * 3 * 8 * 8];
                    for (int i = 0; i < pixels.length; i++) {
                        pixels[i] = (float) random.nextGaussian();
                    }
                    long[] labels = new long[4 * 8 * 8];
                    for (int i = 0; i < labels.length; i++) {
                        labels[i] = random.nextInt(10) == 0 ? 255 : random.nextInt(3);
                    }
                    NDArray x = batchManager.create(pixels, new Shape(4, 3, 8, 8));
                    NDArray y = batchManager.create(labels, new Shape(4, 8, 8));
                    Batch batch =
                            new Batch(
                                    batchManager,
                                    new NDList(x),
                                    new NDList(y),
                                    4,
                                    null,
                                    null,
                                    step,
                                    STEPS);
                    EasyTrain.trainBatch(trainer, batch);
                    trainer.step();
                    batch.close();
                    if (step == WARM_UP) {
                        baseline = liveArrays(trainer.getManager());
                    } else if (step > WARM_UP) {
                        assertEquals(
                                liveArrays(trainer.getManager()),
                                baseline,
                                "live arrays after step " + step);
                    }
                }
            }
        }
    }
}
