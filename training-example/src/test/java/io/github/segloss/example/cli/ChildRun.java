package io.github.segloss.example.cli;

import io.github.segloss.example.SeglossTrain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code segloss-train} in a JVM of its own, as a user starts it: the test's class path, the main
 * class, {@code DJL_OFFLINE}, {@code OPT_OUT_TRACKING} and {@code OMP_WAIT_POLICY=PASSIVE}. Its
 * standard output and error are read as lines while it runs, so a test can wait for a line and then
 * kill the process with SIGKILL ({@link Process#destroyForcibly()} on Linux).
 */
final class ChildRun implements AutoCloseable {

    /** The exit code of a process killed by SIGKILL: 128 + 9. */
    static final int KILLED = 137;

    /** The exit code of a JVM stopped by SIGTERM: 128 + 15. */
    static final int TERMINATED = 143;

    private static final Duration PATIENCE = Duration.ofSeconds(180);

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private ChildRun(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code segloss-train}.
     *
     * @param properties system properties of the child (the test hooks)
     * @param args the command line
     * @return the running process
     * @throws IOException if it cannot start
     */
    static ChildRun start(Map<String, String> properties, List<String> args) throws IOException {
        return start(properties, List.of(), null, args);
    }

    /**
     * Starts {@code segloss-train} with more JVM options, after a shell line.
     *
     * @param properties system properties of the child (the test hooks)
     * @param options more JVM options
     * @param shell a shell line run before the JVM, e.g. {@code ulimit -v 3000000}, or null; the
     *     JVM starts only if it succeeds
     * @param args the command line
     * @return the running process
     * @throws IOException if it cannot start
     */
    static ChildRun start(
            Map<String, String> properties, List<String> options, String shell, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (shell != null) {
            // bash -c 'LINE && exec "$0" "$@"' java ...: the JVM only starts if LINE succeeded
            command.addAll(List.of("bash", "-c", shell + " && exec \"$0\" \"$@\""));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(options);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SeglossTrain.class.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("OPT_OUT_TRACKING", "true");
        builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return new ChildRun(builder.start());
    }

    private void read() {
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the JDK closes the stream once the process is reaped: the output has ended
        }
    }

    /**
     * Waits until the process prints a line.
     *
     * @param line the line, exactly
     * @throws AssertionError if the process ends or takes too long without printing it
     */
    void awaitLine(String line) throws InterruptedException {
        long end = System.nanoTime() + PATIENCE.toNanos();
        synchronized (lines) {
            while (!lines.contains(line)) {
                if (!process.isAlive() && !reader.isAlive()) {
                    throw new AssertionError("ended without printing '" + line + "':\n" + output());
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no '" + line + "' in time:\n" + output());
                }
                lines.wait(Math.max(1, Math.min(100, left / 1_000_000)));
            }
        }
    }

    /**
     * Kills the process with SIGKILL and waits for it.
     *
     * @return its exit code, {@link #KILLED} if the kill ended it
     */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return waitFor();
    }

    /**
     * Stops the process with SIGTERM ({@code kill -TERM}) and waits for it. Not {@link
     * Process#destroy()}: it closes the process's output at once, losing what the process prints as
     * it stops.
     *
     * @return its exit code, {@link #TERMINATED} if the signal ended it
     */
    int terminate() throws IOException, InterruptedException {
        Process kill =
                new ProcessBuilder("kill", "-TERM", Long.toString(process.pid()))
                        .inheritIO()
                        .start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -TERM " + process.pid() + " failed:\n" + output());
        }
        return waitFor();
    }

    /**
     * Waits for the process to end by itself.
     *
     * @return its exit code
     * @throws AssertionError if it takes too long
     */
    int waitFor() throws InterruptedException {
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after " + PATIENCE + ":\n" + output());
        }
        reader.join(PATIENCE.toMillis());
        return process.exitValue();
    }

    /**
     * Returns whether the process is still running.
     *
     * @return true while it runs
     */
    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Returns what the process printed so far, standard output and error interleaved.
     *
     * @return the lines, joined
     */
    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        process.destroyForcibly();
    }
}
