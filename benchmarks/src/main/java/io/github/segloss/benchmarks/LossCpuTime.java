package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * The CPU time of a loss's forward and backward pass, for a shared machine where JMH's wall times
 * wait for a core: the median over rounds of the CPU milliseconds of the JVM's main thread and
 * libtorch's workers ({@link Stamp}), beside the median wall time. Its PyTorch side is {@code
 * torch_bench.py THREADS --cpu CASE...}, which reads {@code time.process_time()}.
 *
 * <p>Usage: {@code LossCpuTime ENGINE ROUNDS CASE...} with cases of {@link LossCase#NAMES}; prints
 * {@code <case> <CPU ms> <wall ms>} per case.
 */
public final class LossCpuTime {

    private static final int WARMUP = 5;

    private LossCpuTime() {}

    /**
     * Times the cases.
     *
     * @param args the engine, the number of rounds and the case names
     */
    public static void main(String[] args) {
        String engine = args[0];
        int rounds = Integer.parseInt(args[1]);
        for (String name : Arrays.copyOfRange(args, 2, args.length)) {
            try (NDManager manager = NDManager.newBaseManager(engine)) {
                LossCase inputs = LossCase.create(name, manager);
                double[] cpu = new double[rounds];
                double[] wall = new double[rounds];
                for (int i = -WARMUP; i < rounds; i++) {
                    if (i == 0) {
                        Stamp.track();
                    }
                    Stamp start = Stamp.now();
                    ForwardBackward.run(
                            engine, inputs.segloss(), inputs.labels(), inputs.predictions());
                    if (i >= 0) {
                        double[] elapsed = Stamp.now().since(start);
                        wall[i] = elapsed[0];
                        cpu[i] = elapsed[1];
                    }
                }
                System.out.printf("%s %.3f %.3f%n", name, Medians.of(cpu), Medians.of(wall));
            }
        }
    }
}
