package io.github.segloss.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.github.segloss.example.train.TorchScriptTraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of DJL 0.36's Adam step on the PyTorch engine, over arrays of the shapes of a scripted
 * model's trainable parameters: the whole {@code Adam.update} of every parameter as {@code
 * trainer.step()} calls it (the gradient fetched from the weight, then the update), and its native
 * parts alone: {@code JniUtils.adamUpdate} (libtorch's kernel sequence behind DJL's JNI), {@code
 * JniUtils.zeroGrad} and the gradient fetch; the rest is DJL's Java bookkeeping (update counts,
 * learning-rate tracker, state maps, argument checks). The parts are timed in turn within each
 * round, so that a drift of the shared machine hits them alike; the PyTorch side is {@code
 * scripted_train_step.py adam}.
 *
 * <p>{@code java ... AdamParts MODULE.pt WARMUP ROUNDS} prints {@code part wall_ms cpu_ms} lines
 * (medians over the rounds, all parameters; {@link Stamp}) and the parameter count and values.
 */
public final class AdamParts {

    private static final String[] PARTS = {
        "adam_update", "native_adam", "zero_grad", "get_gradient", "small_native_adam"
    };

    /** Parameters up to this many values count as small (their update is call overhead). */
    private static final long SMALL = 4096;

    private AdamParts() {}

    /**
     * Runs the timing.
     *
     * @param args the module, warm-up and measured rounds
     * @throws Exception if the module cannot be loaded
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: AdamParts MODULE.pt WARMUP ROUNDS");
            System.exit(2);
        }
        Path module = Path.of(args[0]).toAbsolutePath();
        int warmup = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        List<Shape> shapes = new ArrayList<>();
        try (Model model = Model.newInstance("module", Device.cpu(), "PyTorch")) {
            String name = module.getFileName().toString().replaceFirst("\\.pt$", "");
            TorchScriptTraining.load(model, module.getParent(), name);
            for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
                if (pair.getValue().requiresGradient()) {
                    shapes.add(pair.getValue().getArray().getShape());
                }
            }
        }
        // [part][wall, cpu][round]
        double[][][] times = new double[PARTS.length][2][rounds];
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            int n = shapes.size();
            PtNDArray[] weights = new PtNDArray[n];
            PtNDArray[] means = new PtNDArray[n];
            PtNDArray[] variances = new PtNDArray[n];
            long values = 0;
            int small = 0;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray sum = manager.zeros(new Shape());
                for (int i = 0; i < n; i++) {
                    weights[i] = (PtNDArray) manager.randomNormal(shapes.get(i));
                    weights[i].setRequiresGradient(true);
                    means[i] = (PtNDArray) weights[i].zerosLike();
                    variances[i] = (PtNDArray) weights[i].zerosLike();
                    NDArray factor = manager.randomNormal(shapes.get(i));
                    sum = sum.add(weights[i].mul(factor).sum());
                    values += shapes.get(i).size();
                    small += shapes.get(i).size() <= SMALL ? 1 : 0;
                }
                collector.backward(sum);
            }
            Adam adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-4f)).build();
            for (int r = 0; r < warmup + rounds; r++) {
                if (r == warmup) {
                    Stamp.track();
                }
                double[][] round = new double[PARTS.length][];
                try (NDManager scope = manager.newSubManager()) {
                    Stamp t0 = Stamp.now();
                    for (int i = 0; i < n; i++) {
                        NDArray grad = weights[i].getGradient();
                        grad.attach(scope);
                        adam.update("p" + i, weights[i], grad);
                    }
                    round[0] = Stamp.now().since(t0);
                    PtNDArray[] grads = new PtNDArray[n];
                    t0 = Stamp.now();
                    for (int i = 0; i < n; i++) {
                        grads[i] = (PtNDArray) weights[i].getGradient();
                        grads[i].attach(scope);
                    }
                    round[3] = Stamp.now().since(t0);
                    // the zeroed gradients get fresh values, so that the kernel sees real numbers
                    for (int i = 0; i < n; i++) {
                        grads[i].addi(means[i]);
                    }
                    // the small parameters (call overhead) and the large ones, each in one loop
                    double[][] kernel = new double[2][];
                    for (int large = 0; large < 2; large++) {
                        t0 = Stamp.now();
                        for (int i = 0; i < n; i++) {
                            if ((shapes.get(i).size() > SMALL) == (large == 1)) {
                                JniUtils.adamUpdate(
                                        weights[i],
                                        grads[i],
                                        means[i],
                                        variances[i],
                                        1e-4f,
                                        1e-4f,
                                        0f,
                                        1f,
                                        -1f,
                                        0.9f,
                                        0.999f,
                                        1e-8f,
                                        false);
                            }
                        }
                        kernel[large] = Stamp.now().since(t0);
                    }
                    round[1] =
                            new double[] {kernel[0][0] + kernel[1][0], kernel[0][1] + kernel[1][1]};
                    round[4] = kernel[0];
                    t0 = Stamp.now();
                    for (int i = 0; i < n; i++) {
                        JniUtils.zeroGrad(weights[i]);
                    }
                    round[2] = Stamp.now().since(t0);
                    for (int i = 0; i < n; i++) {
                        grads[i].addi(means[i]);
                    }
                }
                if (r >= warmup) {
                    for (int p = 0; p < PARTS.length; p++) {
                        times[p][0][r - warmup] = round[p][0];
                        times[p][1][r - warmup] = round[p][1];
                    }
                }
            }
            for (int p = 0; p < PARTS.length; p++) {
                System.out.printf(
                        "%s %.2f %.2f%n",
                        PARTS[p], Medians.of(times[p][0]), Medians.of(times[p][1]));
            }
            System.out.printf("parameters %d%nsmall_parameters %d%nvalues %d%n", n, small, values);
        }
    }
}
