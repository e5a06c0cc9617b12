package io.github.segloss.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one measurement in a JVM of its own, so that each case starts from the same resident memory,
 * and reads this process's memory from {@code /proc/self/status}.
 */
final class ChildJvm {

    private ChildJvm() {}

    /**
     * Runs {@code main} of a class in a new JVM with this one's class path and returns what its
     * last line says after {@code "RESULT "}.
     *
     * @param main the class to run
     * @param args its arguments
     * @return the result, or "failed (exit N)"
     * @throws IOException if the JVM cannot start
     * @throws InterruptedException if interrupted while waiting
     */
    static String run(Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        int code = process.waitFor();
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        return code == 0 && last.startsWith("RESULT ")
                ? last.substring(7)
                : "failed (exit " + code + ")";
    }

    /**
     * Returns a line of /proc/self/status in bytes, e.g. VmRSS or VmHWM.
     *
     * @param key the line's key
     * @return its value in bytes
     * @throws IOException if the file cannot be read
     */
    static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException(key + " not in /proc/self/status");
    }
}
