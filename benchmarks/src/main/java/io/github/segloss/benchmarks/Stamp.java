package io.github.segloss.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A moment of a timed run: the wall clock and the CPU time of the training threads, so that a
 * phase's CPU time can be told from the time it waited for a core on a shared machine.
 *
 * <p>The training threads are the JVM's main thread and libtorch's OpenMP workers: the tasks of the
 * process that Linux names {@code java} (the JVM names its own threads, the data loaders included,
 * and libtorch's workers inherit the main thread's name), found by {@link #track} once the workers
 * exist. Their CPU nanoseconds come from {@code /proc/self/task/}<i>tid</i>{@code /schedstat}; the
 * JVM's process CPU time counts in 10 ms ticks, and reading every task's file at each stamp costs
 * milliseconds.
 *
 * @param wall {@link System#nanoTime()}
 * @param cpu the training threads' CPU nanoseconds
 */
record Stamp(long wall, long cpu) {

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static volatile List<Path> training = List.of();

    /**
     * Finds the training threads (call after the first training step, when libtorch's workers
     * exist).
     */
    static void track() {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals("java")) {
                        found.add(task.resolve("schedstat"));
                    }
                } catch (NoSuchFileException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        training = List.copyOf(found);
    }

    /**
     * Returns the current moment.
     *
     * @return the stamp
     */
    static Stamp now() {
        long cpu = 0;
        for (Path schedstat : training) {
            try {
                String line = Files.readString(schedstat);
                cpu += Long.parseLong(line.substring(0, line.indexOf(' ')));
            } catch (NoSuchFileException e) {
                // an ended thread adds nothing
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Stamp(System.nanoTime(), cpu);
    }

    /**
     * Returns the CPU time of Java threads (e.g. data loaders).
     *
     * @param threads the threads (a finished one counts 0)
     * @return their CPU nanoseconds
     */
    static long cpuOf(List<Thread> threads) {
        long cpu = 0;
        for (Thread thread : threads) {
            cpu += Math.max(0, THREADS.getThreadCpuTime(thread.getId()));
        }
        return cpu;
    }

    /**
     * Returns the milliseconds from an earlier stamp to this one.
     *
     * @param earlier the earlier stamp
     * @return {wall ms, CPU ms}
     */
    double[] since(Stamp earlier) {
        return new double[] {(wall - earlier.wall) / 1e6, (cpu - earlier.cpu) / 1e6};
    }
}
