package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.inference.ClassMaps;
import io.github.segloss.target.BilinearResize;
import java.io.IOException;
import java.util.Random;

/**
 * Peak memory of {@code segloss-train predict}'s last step, the class map of an image from the
 * model's logits: the whole-image computation it used before ({@code BilinearResize.resize} of
 * every class to full size, then {@code argMax}) against {@link ClassMaps#upsampledArgMax} (row
 * bands).
 *
 * <p>{@code java ... io.github.segloss.benchmarks.PredictMemory [ENGINE]} runs each case (image
 * sizes 1000², 2000², 4000 × 3000; 4 and 200 classes; logits at the default training size, 64²) in
 * a JVM of its own and prints a table of the growth of the process's peak resident memory (VmHWM
 * after minus VmRSS before) and the time. {@code PredictMemory ENGINE MODE H W C} runs one case.
 */
public final class PredictMemory {

    private static final int LOGITS = 64;

    private PredictMemory() {}

    /**
     * Runs the table, or one case.
     *
     * @param args {@code [ENGINE]} or {@code ENGINE whole|banded HEIGHT WIDTH CLASSES}
     * @throws Exception if a case fails
     */
    public static void main(String[] args) throws Exception {
        String engine = args.length > 0 ? args[0] : "PyTorch";
        if (args.length == 5) {
            one(
                    engine,
                    args[1],
                    Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            return;
        }
        System.out.println("| image | classes | whole image: peak growth, time | banded |");
        System.out.println("| --- | --- | --- | --- |");
        int[][] sizes = {{1000, 1000}, {2000, 2000}, {3000, 4000}};
        for (int[] size : sizes) {
            for (int classes : new int[] {4, 200}) {
                String whole = child(engine, "whole", size, classes);
                String banded = child(engine, "banded", size, classes);
                System.out.printf(
                        "| %d × %d | %d | %s | %s |%n", size[1], size[0], classes, whole, banded);
            }
        }
    }

    private static String child(String engine, String mode, int[] size, int classes)
            throws IOException, InterruptedException {
        return ChildJvm.run(
                PredictMemory.class,
                engine,
                mode,
                String.valueOf(size[0]),
                String.valueOf(size[1]),
                String.valueOf(classes));
    }

    private static void one(String engine, String mode, int height, int width, int classes)
            throws IOException {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            Random random = new Random(1);
            float[] values = new float[classes * LOGITS * LOGITS];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextFloat();
            }
            NDArray logits = manager.create(values, new Shape(1, classes, LOGITS, LOGITS));
            // warm the engine's kernels on a small case, so both modes start alike
            ClassMaps.upsampledArgMax(logits, 8, 8, false);
            BilinearResize.resize(logits, 8, 8, false)
                    .argMax(1)
                    .toType(DataType.INT32, false)
                    .toIntArray();
            System.gc();
            long before = ChildJvm.status("VmRSS");
            long start = System.nanoTime();
            int[] ids;
            if (mode.equals("whole")) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray input = logits.duplicate();
                    input.attach(scope);
                    NDArray full = BilinearResize.resize(input, height, width, false);
                    ids = full.argMax(1).toType(DataType.INT32, false).toIntArray();
                }
            } else {
                ids = ClassMaps.upsampledArgMax(logits, height, width, false);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long peak = ChildJvm.status("VmHWM");
            System.out.printf(
                    "RESULT %.2f GB, %.1f s (%d ids)%n",
                    (peak - before) / 1e9, seconds, ids.length);
        }
    }
}
