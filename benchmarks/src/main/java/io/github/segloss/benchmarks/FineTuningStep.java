package io.github.segloss.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListener.BatchData;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.PolynomialDecayTracker;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.data.JointAugmentation;
import io.github.segloss.example.data.SemanticDataset;
import io.github.segloss.example.train.DataParallelStep;
import io.github.segloss.example.train.LossChoice;
import io.github.segloss.example.train.TorchScriptTraining;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One training step of a scripted model as {@code segloss-train --torchscript} runs it, each phase
 * timed: the synthetic data of {@code --data synthetic} (4 classes) with segloss-train's joint
 * augmentation, batched by {@link SemanticDataset} on 2 prefetching loader threads (data: how long
 * the trainer waits for the next batch); the module loaded by {@link TorchScriptTraining}; the loss
 * of {@code --loss ce --aux-weight 0.4}; Adam on the poly schedule; DJL's {@link
 * EvaluatorTrainingListener} as the only training-batch listener (segloss-train's {@code
 * ValidationMetric} does nothing on training batches); the progress bar's read of the epoch's loss.
 *
 * <p>Phases, around the calls of {@link DataParallelStep#forwardBackward(Trainer, Batch)} on one
 * device: forward ({@code trainer.forward}), loss (evaluate and the host read of segloss-train's
 * divergence guard), backward (the collector's backward and close), metrics ({@link
 * EvaluatorTrainingListener#onTrainingBatch}: the loss's and its heads' accumulators), listeners
 * (every other listener and the progress bar's accumulator read), optimizer ({@code
 * trainer.step()}), data (waiting for the next batch, and closing the last one). Every second step
 * runs {@code DataParallelStep.forwardBackward} + {@code trainer.step()} itself instead and is
 * timed as a whole ({@code segloss_step}), to show that the phased copy costs the same.
 *
 * <p>{@code java ... FineTuningStep MODULE.pt BATCH SIZE WARMUP STEPS} prints {@code phase ms}
 * lines: medians over STEPS phased steps after WARMUP steps (and as many whole steps).
 */
public final class FineTuningStep {

    private static final String[] PHASES = {
        "data",
        "forward",
        "loss",
        "backward",
        "metrics",
        "listeners",
        "optimizer",
        "step",
        "segloss_step"
    };
    private static final int LOADERS = 2;

    private FineTuningStep() {}

    /**
     * Runs the timing.
     *
     * @param args the module, batch, image size, warm-up and measured steps
     * @throws Exception if the module cannot be loaded or run
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: FineTuningStep MODULE.pt BATCH SIZE WARMUP STEPS");
            System.exit(2);
        }
        Path module = Path.of(args[0]).toAbsolutePath();
        int batchSize = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int steps = Integer.parseInt(args[4]);
        String name = module.getFileName().toString().replaceFirst("\\.pt$", "");
        ExecutorService loaders = Executors.newFixedThreadPool(LOADERS);
        SemanticDataset dataset =
                SemanticDataset.builder()
                        .setSource(
                                DataSources.synthetic(400, size, DataSources.SYNTHETIC_CLASSES, 42))
                        .optSeed(42)
                        .optExecutor(loaders)
                        .optPrefetchNumber(LOADERS)
                        .optAugmentation(new JointAugmentation(size, 0.75f, 1.25f, true))
                        .setSampling(batchSize, true, false)
                        .build();
        int total = 2 * (warmup + steps);
        double[][] times = new double[PHASES.length][steps];
        try (Model model = Model.newInstance(name, Device.cpu(), "PyTorch")) {
            TorchScriptTraining.load(model, module.getParent(), name);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(LossChoice.CE.deepSupervision(0.4f, null))
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(
                                                    PolynomialDecayTracker.builder()
                                                            .setBaseValue(1e-4f)
                                                            .setEndLearningRate(1e-7f)
                                                            .setDecaySteps(10_000)
                                                            .optPower(0.9f)
                                                            .build())
                                            .build())
                            .optDevices(new Device[] {Device.cpu()})
                            .addTrainingListeners(new EvaluatorTrainingListener());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batchSize, 3, size, size));
                Iterator<Batch> batches = trainer.iterateDataset(dataset).iterator();
                double[] phases = new double[PHASES.length];
                for (int i = 0; i < total; i++) {
                    long t0 = System.nanoTime();
                    Batch batch = batches.next();
                    phases[0] = ms(System.nanoTime() - t0);
                    boolean whole = i % 2 == 1;
                    long start = System.nanoTime();
                    if (whole) {
                        DataParallelStep.forwardBackward(trainer, batch);
                        trainer.step();
                        phases[8] = ms(System.nanoTime() - start);
                    } else {
                        phasedStep(trainer, batch, phases);
                    }
                    long t1 = System.nanoTime();
                    batch.close();
                    phases[0] += ms(System.nanoTime() - t1);
                    int measured = i / 2 - warmup;
                    if (measured >= 0 && whole) {
                        times[8][measured] = phases[8];
                    } else if (measured >= 0) {
                        phases[7] = ms(System.nanoTime() - t0);
                        for (int p = 0; p < 8; p++) {
                            times[p][measured] = phases[p];
                        }
                    }
                }
            }
        } finally {
            loaders.shutdownNow();
        }
        for (int p = 0; p < PHASES.length; p++) {
            System.out.printf("%s %.2f%n", PHASES[p], Medians.of(times[p]));
        }
    }

    /** The calls of DataParallelStep on one device and trainer.step(), each phase timed. */
    private static void phasedStep(Trainer trainer, Batch batch, double[] phases) {
        Batch[] splits = batch.split(trainer.getDevices(), false);
        BatchData data = new BatchData(batch, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        long t2;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            long t0 = System.nanoTime();
            NDList labels = splits[0].getLabels();
            NDList predictions = trainer.forward(splits[0].getData(), labels);
            long t1 = System.nanoTime();
            NDArray loss = trainer.getLoss().evaluate(labels, predictions);
            long size = splits[0].getData().head().getShape().get(0);
            loss = DataParallelStep.shareOfBatch(loss, size, batch.getSize());
            float value = loss.getFloat();
            if (!Float.isFinite(value)) {
                throw new IllegalStateException("the loss is " + value);
            }
            data.getLabels().put(labels.head().getDevice(), labels);
            data.getPredictions().put(predictions.head().getDevice(), predictions);
            t2 = System.nanoTime();
            collector.backward(loss);
            phases[1] = ms(t1 - t0);
            phases[2] = ms(t2 - t1);
        }
        long t3 = System.nanoTime();
        phases[3] = ms(t3 - t2);
        double[] listeners = new double[2];
        trainer.notifyListeners(
                listener -> {
                    long s = System.nanoTime();
                    listener.onTrainingBatch(trainer, data);
                    listeners[isMetric(listener) ? 0 : 1] += ms(System.nanoTime() - s);
                });
        long t4 = System.nanoTime();
        trainer.getLoss().getAccumulator(EvaluatorTrainingListener.TRAIN_EPOCH);
        long t5 = System.nanoTime();
        trainer.step();
        long t6 = System.nanoTime();
        phases[4] = listeners[0];
        phases[5] = listeners[1] + ms(t5 - t4) + (ms(t4 - t3) - listeners[0] - listeners[1]);
        phases[6] = ms(t6 - t5);
    }

    private static boolean isMetric(TrainingListener listener) {
        return listener instanceof EvaluatorTrainingListener;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
