package io.github.segloss.benchmarks;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import io.github.segloss.example.model.PspNet;
import io.github.segloss.example.train.DataParallelStep;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.metric.MeanIoU;
import java.util.Random;
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
 * One training step of the example's semantic model ({@link PspNet}, width 16, 4 classes) at batch
 * 8 and 128×128: forward, {@link DeepSupervisionLoss#pspnet()}, backward and an Adam step, beside
 * {@code torch_train_step.py}, which builds the same architecture with torch.nn.
 *
 * <p>{@code bare} runs the step alone; {@code example} adds what segloss-train does around it: a
 * {@link MeanIoU} evaluator and DJL's {@link EvaluatorTrainingListener}, which update the loss's
 * and the metric's training accumulators after each batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TrainingStepBenchmark {

    private static final int BATCH = 8;
    private static final int SIZE = 128;
    private static final int CLASSES = 4;

    /** The engine. */
    @Param({"PyTorch"})
    public String engine;

    /** {@code bare} or {@code example} (with the example's evaluators and listener). */
    @Param({"bare", "example"})
    public String setup;

    private Model model;
    private Trainer trainer;
    private float[] images;
    private long[] labels;

    /** Builds the model and trainer and draws one batch of images and labels. */
    @Setup(Level.Trial)
    public void setUp() {
        Engine.getEngine(engine).setRandomSeed(1);
        model = Model.newInstance("pspnet", engine);
        model.setBlock(new PspNet(CLASSES, 16));
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(DeepSupervisionLoss.pspnet())
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(Tracker.fixed(0.005f))
                                        .build());
        if ("example".equals(setup)) {
            // segloss-train's listener: the loss and its heads are accumulated for the logs
            // (mIoU is counted on validation batches only)
            config.addTrainingListeners(new EvaluatorTrainingListener());
        }
        trainer = model.newTrainer(config);
        trainer.initialize(new Shape(BATCH, 3, SIZE, SIZE));
        Random random = new Random(1);
        images = new float[BATCH * 3 * SIZE * SIZE];
        for (int i = 0; i < images.length; i++) {
            images[i] = random.nextFloat();
        }
        labels = HostData.classLabels(1, (long) BATCH * SIZE * SIZE, CLASSES);
    }

    /** Closes the trainer and model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        model.close();
    }

    /**
     * One step.
     *
     * @return a value that depends on the result
     */
    @Benchmark
    public int step() {
        NDManager manager = trainer.getManager().newSubManager();
        NDArray image = manager.create(images, new Shape(BATCH, 3, SIZE, SIZE));
        NDArray label = manager.create(labels, new Shape(BATCH, SIZE, SIZE));
        try (Batch batch =
                new Batch(
                        manager,
                        new NDList(image),
                        new NDList(label),
                        BATCH,
                        Batchifier.STACK,
                        Batchifier.STACK,
                        0,
                        1)) {
            DataParallelStep.forwardBackward(trainer, batch);
            trainer.step();
            return batch.getSize();
        }
    }
}
