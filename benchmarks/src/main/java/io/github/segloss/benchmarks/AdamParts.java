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
 * model's trainable parameters: the whole {@code Adam.update} of every parameter ({@code
 * adam_update}: the gradient fetched from the weight, then the update, as {@link
 * DirectOptimizerStep} calls it; {@code trainer.step()} adds {@code grad_duplicate}), and its
 * native parts alone: {@code JniUtils.adamUpdate} (libtorch's kernel sequence behind DJL's JNI),
 * {@code JniUtils.zeroGrad} and the gradient fetch; the rest is DJL's Java bookkeeping (update
 * counts, learning-rate tracker, state maps, argument checks). The parts are timed in turn within
 * each round, so that a drift of the shared machine hits them alike; the PyTorch side is {@code
 * scripted_train_step.py adam}.
 *
 * <p>{@code grad_duplicate} times the copy of every gradient that {@code trainer.step()} makes
 * before {@code Adam.update} ({@code LocalParameterServer}; {@link DirectOptimizerStep} leaves it
 * out). {@code ops_adam} times a prototype of the same formula from {@code ai.djl.api} NDArray
 * operations on copies of the arrays, and the run ends with its largest weight difference from
 * DJL's kernel after the same updates, relative to the largest change the kernel made.
 *
 * <p>{@code java ... AdamParts MODULE.pt WARMUP ROUNDS} prints {@code part wall_ms cpu_ms} lines
 * (medians over the rounds, all parameters; {@link Stamp}) and the parameter count and values.
 */
public final class AdamParts {

    private static final String[] PARTS = {
        "adam_update",
        "native_adam",
        "zero_grad",
        "get_gradient",
        "small_native_adam",
        "ops_adam",
        "grad_duplicate"
    };

    /** Parameters up to this many values count as small (their update is call overhead). */
    private static final long SMALL = 4096;

    private AdamParts() {}

    /** DJL's bias-corrected rate: {@code lr * sqrt(1 - beta2^t) / (1 - beta1^t)}. */
    private static float biasCorrectedRate(float rate, int t) {
        return (float) (rate * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t)));
    }

    /**
     * A prototype: DJL's Adam formula (no weight decay, rescale or clipping) from {@code
     * ai.djl.api} NDArray operations instead of DJL's one native call; 12 passes over the parameter
     * and 4 temporaries, where the native call makes 11 passes and 5 temporaries (its gradient
     * clone and its addition of {@code 0 * weight} included), and no fused multiply-add.
     */
    private static void opsAdam(
            NDArray weight, NDArray grad, NDArray mean, NDArray variance, float correction) {
        try (NDArray scaled = grad.mul(1 - 0.9f)) {
            mean.muli(0.9f).addi(scaled);
        }
        try (NDArray square = grad.mul(1 - 0.999f)) {
            square.muli(grad);
            variance.muli(0.999f).addi(square);
        }
        try (NDArray denominator = variance.sqrt();
                NDArray step = mean.mul(correction)) {
            denominator.addi(1e-8f);
            weight.subi(step.divi(denominator));
        }
    }

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
            // the prototype and DJL's kernel from the same start on the same gradients
            NDArray[][] start = new NDArray[2][n];
            NDArray[][] state = new NDArray[4][n];
            NDArray[] fixedGrads = new NDArray[n];
            for (int i = 0; i < n; i++) {
                fixedGrads[i] = manager.randomNormal(shapes.get(i));
                for (int k = 0; k < 2; k++) {
                    start[k][i] = weights[i].duplicate();
                    state[2 * k][i] = weights[i].zerosLike();
                    state[2 * k + 1][i] = weights[i].zerosLike();
                }
            }
            NDArray[] initial = new NDArray[n];
            for (int i = 0; i < n; i++) {
                initial[i] = weights[i].duplicate();
            }
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
                    // trainer.step()'s extra copy of each gradient (LocalParameterServer)
                    t0 = Stamp.now();
                    for (int i = 0; i < n; i++) {
                        grads[i].duplicate().attach(scope);
                    }
                    round[6] = Stamp.now().since(t0);
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
                    float correction = biasCorrectedRate(1e-4f, r + 1);
                    t0 = Stamp.now();
                    for (int i = 0; i < n; i++) {
                        opsAdam(start[1][i], fixedGrads[i], state[2][i], state[3][i], correction);
                    }
                    round[5] = Stamp.now().since(t0);
                    for (int i = 0; i < n; i++) {
                        JniUtils.adamUpdate(
                                (PtNDArray) start[0][i],
                                (PtNDArray) fixedGrads[i],
                                (PtNDArray) state[0][i],
                                (PtNDArray) state[1][i],
                                1e-4f,
                                correction,
                                0f,
                                1f,
                                -1f,
                                0.9f,
                                0.999f,
                                1e-8f,
                                false);
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
            // the prototype's largest weight difference from DJL's kernel, relative to the
            // largest change the kernel made over all rounds
            double difference = 0;
            double change = 0;
            for (int i = 0; i < n; i++) {
                difference =
                        Math.max(difference, start[1][i].sub(start[0][i]).abs().max().getFloat());
                change = Math.max(change, start[0][i].sub(initial[i]).abs().max().getFloat());
            }
            System.out.printf("ops_adam_difference_over_change %.3g%n", difference / change);
        }
    }
}
