package io.github.segloss.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.MaskRcnnMaskLoss;
import io.github.segloss.loss.PointSampledMaskLoss;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

/**
 * Memory and time of the point-sampled mask loss against the full-mask loss, forward and backward,
 * at 112² and 224² masks (mmdet #8600 reports about 3× less memory for Mask2Former's point loss).
 *
 * <p>{@code java ... io.github.segloss.benchmarks.PointLossCost [ENGINE]} runs each case in a JVM
 * of its own: R = 100 masks of one class (K = 1, as Mask2Former's queries), mask logits and targets
 * at M², the loss evaluated and differentiated 5 times; it prints the growth of the peak resident
 * memory (VmHWM after minus VmRSS before) and the median time of a step. The full-mask loss is
 * {@link MaskRcnnMaskLoss} (binary cross-entropy over all M² pixels); the point loss is {@link
 * PointSampledMaskLoss} with Mask2Former's 12544 points (k = 3, β = 0.75: 37632 candidates), BCE
 * plus Dice. {@code PointLossCost ENGINE full|point M} runs one case.
 */
public final class PointLossCost {

    private static final int MASKS = 100;
    private static final int STEPS = 5;

    private PointLossCost() {}

    /**
     * Runs the table, or one case.
     *
     * @param args {@code [ENGINE]} or {@code ENGINE full|point M}
     * @throws Exception if a case fails
     */
    public static void main(String[] args) throws Exception {
        String engine = args.length > 0 ? args[0] : "PyTorch";
        if (args.length == 3) {
            one(engine, args[1], Integer.parseInt(args[2]));
            return;
        }
        System.out.println(
                "| masks | full-mask BCE: peak growth, step | point-sampled BCE + Dice |");
        System.out.println("| --- | --- | --- |");
        for (int m : new int[] {112, 224}) {
            String full = ChildJvm.run(PointLossCost.class, engine, "full", String.valueOf(m));
            String point = ChildJvm.run(PointLossCost.class, engine, "point", String.valueOf(m));
            System.out.printf("| %d × %d × %d | %s | %s |%n", MASKS, m, m, full, point);
        }
    }

    private static void one(String engine, String mode, int m) throws IOException {
        Loss loss =
                mode.equals("full")
                        ? MaskRcnnMaskLoss.builder().build()
                        : PointSampledMaskLoss.builder().optSeed(1).build();
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            Random random = new Random(1);
            float[] logits = new float[MASKS * m * m];
            float[] targets = new float[MASKS * m * m];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) random.nextGaussian() * 3;
                targets[i] = random.nextFloat() < 0.3f ? 1 : 0;
            }
            NDArray x = manager.create(logits, new Shape(MASKS, 1, m, m));
            x.setRequiresGradient(true);
            NDList labels =
                    new NDList(
                            manager.zeros(new Shape(MASKS), DataType.INT64),
                            manager.create(targets, new Shape(MASKS, m, m)));
            step(engine, loss, labels, x); // warm the kernels
            System.gc();
            long before = ChildJvm.status("VmRSS");
            double[] seconds = new double[STEPS];
            for (int s = 0; s < STEPS; s++) {
                long start = System.nanoTime();
                step(engine, loss, labels, x);
                seconds[s] = (System.nanoTime() - start) / 1e9;
            }
            long peak = ChildJvm.status("VmHWM");
            Arrays.sort(seconds);
            System.out.printf(
                    "RESULT %.0f MB, %.0f ms%n", (peak - before) / 1e6, seconds[STEPS / 2] * 1e3);
        }
    }

    /** One forward and backward pass; its intermediate arrays are closed when it returns. */
    private static void step(String engine, Loss loss, NDList labels, NDArray x) {
        try (NDScope scope = new NDScope();
                GradientCollector collector = Engine.getEngine(engine).newGradientCollector()) {
            scope.suppressNotUsedWarning();
            NDArray value = loss.evaluate(labels, new NDList(x));
            collector.backward(value);
            value.getFloat();
        }
    }
}
