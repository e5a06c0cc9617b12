package io.github.segloss.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.segloss.example.train.TorchScriptTraining;
import io.github.segloss.loss.DeepSupervisionLoss;
import java.nio.file.Path;

/**
 * One training step of a scripted torchvision model through DJL's PyTorch engine, each phase timed
 * separately: forward ({@code trainer.forward}), loss ({@link DeepSupervisionLoss#pspnet()}, read
 * to the host), backward and optimizer ({@code trainer.step()}, Adam with learning rate 1e-4), on a
 * fixed random batch (labels with 10 % ignore 255). The PyTorch side is {@code
 * benchmarks/scripted_train_step.py time}; {@code benchmarks/scripted_train_step.sh} runs both.
 *
 * <p>{@code java ... io.github.segloss.benchmarks.ScriptedTrainStep MODULE.pt BATCH SIZE CLASSES
 * WARMUP STEPS} prints the median milliseconds of each phase and of the whole step as {@code phase
 * ms} lines.
 */
public final class ScriptedTrainStep {

    private static final String[] PHASES = {"forward", "loss", "backward", "optimizer", "step"};

    private ScriptedTrainStep() {}

    /**
     * Runs the timing.
     *
     * @param args the module, batch, image size, class count, warm-up and measured steps
     * @throws Exception if the module cannot be loaded or run
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println(
                    "usage: ScriptedTrainStep MODULE.pt BATCH SIZE CLASSES WARMUP STEPS");
            System.exit(2);
        }
        Path module = Path.of(args[0]).toAbsolutePath();
        int batch = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int classes = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int steps = Integer.parseInt(args[5]);
        String name = module.getFileName().toString().replaceFirst("\\.pt$", "");
        double[][] times = new double[PHASES.length][steps];
        try (Model model = Model.newInstance(name, Device.cpu(), "PyTorch")) {
            TorchScriptTraining.load(model, module.getParent(), name);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(DeepSupervisionLoss.pspnet())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(1e-4f))
                                            .build())
                            .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                NDManager manager = trainer.getManager();
                manager.getEngine().setRandomSeed(1);
                NDArray images = manager.randomUniform(0, 1, new Shape(batch, 3, size, size));
                NDArray labels =
                        manager.randomInteger(
                                0, classes, new Shape(batch, size, size), DataType.INT64);
                NDArray ignored =
                        manager.randomUniform(0, 1, new Shape(batch, size, size)).lt(0.1f);
                labels = labels.toType(DataType.INT64, false).duplicate();
                labels.set(ignored, 255);
                for (int i = 0; i < warmup + steps; i++) {
                    try (NDManager step = manager.newSubManager()) {
                        NDList data = new NDList(images);
                        NDList label = new NDList(labels);
                        long t0 = System.nanoTime();
                        long t1;
                        long t2;
                        long t3;
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDList predictions = trainer.forward(data, label);
                            predictions.attach(step);
                            t1 = System.nanoTime();
                            NDArray loss = trainer.getLoss().evaluate(label, predictions);
                            loss.attach(step);
                            loss.getFloat();
                            t2 = System.nanoTime();
                            collector.backward(loss);
                            t3 = System.nanoTime();
                        }
                        trainer.step();
                        long t4 = System.nanoTime();
                        if (i >= warmup) {
                            long[] marks = {t0, t1, t2, t3, t4};
                            for (int p = 0; p < 4; p++) {
                                times[p][i - warmup] = (marks[p + 1] - marks[p]) / 1e6;
                            }
                            times[4][i - warmup] = (t4 - t0) / 1e6;
                        }
                    }
                }
            }
        }
        for (int p = 0; p < PHASES.length; p++) {
            System.out.printf("%s %.2f%n", PHASES[p], Medians.of(times[p]));
        }
    }
}
