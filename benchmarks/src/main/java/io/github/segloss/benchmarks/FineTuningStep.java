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
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * <p>{@code java ... FineTuningStep MODULE.pt BATCH SIZE WARMUP STEPS} prints {@code phase wall_ms
 * cpu_ms} lines: medians over STEPS phased steps after WARMUP steps (and as many whole steps); the
 * CPU time is that of the training threads ({@link Stamp}: the loaders, GC and JIT threads left
 * out), the wall time includes waiting for a core on a shared machine; and the loader threads' CPU
 * time per batch.
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
        List<Thread> loaderThreads = new CopyOnWriteArrayList<>();
        ExecutorService loaders =
                Executors.newFixedThreadPool(
                        LOADERS,
                        task -> {
                            Thread thread = new Thread(task, "loader");
                            thread.setDaemon(true);
                            loaderThreads.add(thread);
                            return thread;
                        });
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
        // [phase][wall, cpu][step]
        double[][][] times = new double[PHASES.length][2][steps];
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
                long loaderCpu = 0;
                for (int i = 0; i < total; i++) {
                    if (i == 2 * warmup) {
                        Stamp.track();
                        loaderCpu = -Stamp.cpuOf(loaderThreads);
                    }
                    double[][] phases = new double[PHASES.length][];
                    Stamp t0 = Stamp.now();
                    Batch batch = batches.next();
                    Stamp t1 = Stamp.now();
                    boolean whole = i % 2 == 1;
                    if (whole) {
                        DataParallelStep.forwardBackward(trainer, batch);
                        trainer.step();
                    } else {
                        phasedStep(trainer, batch, phases);
                    }
                    Stamp t2 = Stamp.now();
                    batch.close();
                    Stamp t3 = Stamp.now();
                    int measured = i / 2 - warmup;
                    if (measured < 0) {
                        continue;
                    }
                    if (whole) {
                        phases[8] = t2.since(t1);
                    } else {
                        phases[0] = sum(t1.since(t0), t3.since(t2));
                        phases[7] = t3.since(t0);
                    }
                    for (int p = 0; p < PHASES.length; p++) {
                        if (phases[p] != null) {
                            times[p][0][measured] = phases[p][0];
                            times[p][1][measured] = phases[p][1];
                        }
                    }
                }
                loaderCpu += Stamp.cpuOf(loaderThreads);
                // the loaders work ahead: their CPU over the measured batches, per batch
                System.out.printf("loader_cpu_per_batch %.2f%n", loaderCpu / 1e6 / (2 * steps));
            }
        } finally {
            loaders.shutdownNow();
        }
        for (int p = 0; p < PHASES.length; p++) {
            System.out.printf(
                    "%s %.2f %.2f%n", PHASES[p], Medians.of(times[p][0]), Medians.of(times[p][1]));
        }
    }

    /** The calls of DataParallelStep on one device and trainer.step(), each phase timed. */
    private static void phasedStep(Trainer trainer, Batch batch, double[][] phases) {
        Batch[] splits = batch.split(trainer.getDevices(), false);
        BatchData data = new BatchData(batch, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        Stamp t2;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            Stamp t0 = Stamp.now();
            NDList labels = splits[0].getLabels();
            NDList predictions = trainer.forward(splits[0].getData(), labels);
            Stamp t1 = Stamp.now();
            NDArray loss = trainer.getLoss().evaluate(labels, predictions);
            long size = splits[0].getData().head().getShape().get(0);
            loss = DataParallelStep.shareOfBatch(loss, size, batch.getSize());
            float value = loss.getFloat();
            if (!Float.isFinite(value)) {
                throw new IllegalStateException("the loss is " + value);
            }
            data.getLabels().put(labels.head().getDevice(), labels);
            data.getPredictions().put(predictions.head().getDevice(), predictions);
            t2 = Stamp.now();
            collector.backward(loss);
            phases[1] = t1.since(t0);
            phases[2] = t2.since(t1);
        }
        Stamp t3 = Stamp.now();
        phases[3] = t3.since(t2);
        double[] metrics = new double[2];
        trainer.notifyListeners(
                listener -> {
                    Stamp s = Stamp.now();
                    listener.onTrainingBatch(trainer, data);
                    if (listener instanceof EvaluatorTrainingListener) {
                        double[] spent = Stamp.now().since(s);
                        metrics[0] += spent[0];
                        metrics[1] += spent[1];
                    }
                });
        Stamp t4 = Stamp.now();
        // the progress bar's read of the epoch's loss after each batch
        trainer.getLoss().getAccumulator(EvaluatorTrainingListener.TRAIN_EPOCH);
        Stamp t5 = Stamp.now();
        trainer.step();
        Stamp t6 = Stamp.now();
        phases[4] = metrics;
        double[] rest = t5.since(t3);
        phases[5] = new double[] {rest[0] - metrics[0], rest[1] - metrics[1]};
        phases[6] = t6.since(t5);
    }

    private static double[] sum(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1]};
    }
}
