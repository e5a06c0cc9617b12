package io.github.segloss.benchmarks;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.data.JointAugmentation;
import io.github.segloss.example.data.SampleSource;
import io.github.segloss.example.data.SemanticDataset;
import io.github.segloss.example.model.PspNet;
import io.github.segloss.example.train.DataParallelStep;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.metric.MeanIoU;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The memory soak of issue 5: the example's semantic training (synthetic data with augmentation on
 * two loader threads, {@link PspNet}, {@link DeepSupervisionLoss#pspnet()}, a {@link MeanIoU}
 * evaluator with DJL's listener, Adam, and a validation pass every 50 steps, as at the end of an
 * epoch) for many steps, sampling the process's resident memory and the live NDArrays under the
 * engine's root manager.
 *
 * <p>{@code java ... io.github.segloss.benchmarks.MemorySoak [STEPS] [ENGINE]} (default 2000,
 * PyTorch) prints a sample every 100 steps and the change from step 200 to the end; {@code
 * MemorySoakTest} runs a short soak in CI.
 */
public final class MemorySoak {

    private static final int BATCH = 8;
    private static final int SIZE = 64;
    private static final int VALIDATE_EVERY = 50;

    private MemorySoak() {}

    /**
     * One sample.
     *
     * @param step the training steps done
     * @param residentBytes the process's resident memory (VmRSS)
     * @param liveArrays the NDArrays alive under the engine's root manager
     */
    public record Sample(int step, long residentBytes, long liveArrays) {}

    /**
     * Runs the soak.
     *
     * @param engine the engine
     * @param steps the training steps
     * @param every the steps between samples
     * @return the samples, one every {@code every} steps
     * @throws IOException if the data cannot be read
     * @throws TranslateException if a batch cannot be made
     */
    public static List<Sample> run(String engine, int steps, int every)
            throws IOException, TranslateException {
        List<String> classes = List.of("background", "circle", "square", "triangle");
        SampleSource train = DataSources.synthetic(400, SIZE, classes, 42);
        SampleSource validation = DataSources.synthetic(40, SIZE, classes, 43);
        ExecutorService loaders = Executors.newFixedThreadPool(2);
        List<Sample> samples = new ArrayList<>();
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(DeepSupervisionLoss.pspnet())
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(Tracker.fixed(0.005f))
                                        .build())
                        .addEvaluator(new MeanIoU("mIoU", classes.size(), HostData.IGNORE))
                        .addTrainingListeners(new EvaluatorTrainingListener());
        Engine.getEngine(engine).setRandomSeed(1);
        try (Model model = Model.newInstance("soak", engine)) {
            model.setBlock(new PspNet(classes.size(), 16));
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH, 3, SIZE, SIZE));
                SemanticDataset trainSet =
                        dataset(train, loaders, true)
                                .optAugmentation(new JointAugmentation(SIZE, 0.75f, 1.25f, true))
                                .build();
                SemanticDataset validationSet =
                        dataset(validation, loaders, false).optOutputSize(SIZE).build();
                int step = 0;
                while (step < steps) {
                    for (Batch batch : trainer.iterateDataset(trainSet)) {
                        DataParallelStep.forwardBackward(trainer, batch);
                        trainer.step();
                        batch.close();
                        step++;
                        if (step % VALIDATE_EVERY == 0) {
                            for (Batch check : trainer.iterateDataset(validationSet)) {
                                EasyTrain.validateBatch(trainer, check);
                                check.close();
                            }
                            trainer.notifyListeners(listener -> listener.onEpoch(trainer));
                        }
                        if (step % every == 0) {
                            samples.add(
                                    new Sample(
                                            step,
                                            residentBytes(),
                                            liveArrays(trainer.getManager())));
                        }
                        if (step == steps) {
                            break;
                        }
                    }
                }
            }
        } finally {
            loaders.shutdownNow();
        }
        return samples;
    }

    private static SemanticDataset.Builder dataset(
            SampleSource source, ExecutorService loaders, boolean shuffle) {
        return SemanticDataset.builder()
                .setSource(source)
                .optSeed(42)
                .optExecutor(loaders)
                .optPrefetchNumber(2)
                .setSampling(BATCH, shuffle);
    }

    /**
     * The NDArrays alive under the root manager of a manager's engine, every model and batch
     * included.
     *
     * @param manager any manager of the engine
     * @return the live arrays
     */
    public static long liveArrays(NDManager manager) {
        NDManager root = manager;
        while (root.getParentManager() != null) {
            root = root.getParentManager();
        }
        return root.getManagedArrays().size();
    }

    /**
     * The process's resident memory, from {@code /proc/self/status} (Linux).
     *
     * @return VmRSS in bytes, or -1 where it cannot be read
     */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Runs the soak and prints the samples and the verdict.
     *
     * @param args {@code [STEPS] [ENGINE]}
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        String engine = args.length > 1 ? args[1] : "PyTorch";
        long start = System.nanoTime();
        List<Sample> samples = run(engine, steps, 100);
        System.out.println("| step | resident MiB | live NDArrays |");
        System.out.println("| --- | --- | --- |");
        Sample reference = null;
        for (Sample sample : samples) {
            System.out.printf(
                    "| %d | %.1f | %d |%n",
                    sample.step(), sample.residentBytes() / 1048576.0, sample.liveArrays());
            if (sample.step() == 200) {
                reference = sample;
            }
        }
        Sample last = samples.get(samples.size() - 1);
        if (reference != null) {
            System.out.printf(
                    "%s, %d steps in %.0f s: resident memory %+.2f%% from step 200 to %d (target"
                            + " within 5%%); live NDArrays %d at step 200, %d at the end%n",
                    engine,
                    steps,
                    (System.nanoTime() - start) / 1e9,
                    100.0
                            * (last.residentBytes() - reference.residentBytes())
                            / reference.residentBytes(),
                    last.step(),
                    reference.liveArrays(),
                    last.liveArrays());
        }
    }
}
