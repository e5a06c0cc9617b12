package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * segloss-train on tiny synthetic data, for the command-line tests: 8 images of 32² pixels, width
 * 4, batches of 4, at most 2 batches an epoch.
 */
final class TinyRuns {

    /** The tiny settings, as option and value pairs. */
    static final List<String> TINY =
            List.of(
                    "--image-size",
                    "32",
                    "--width",
                    "4",
                    "--batch-size",
                    "4",
                    "--synthetic-count",
                    "8",
                    "--max-batches",
                    "2");

    private TinyRuns() {}

    /**
     * Runs a task on the tiny settings; an option given in {@code more} replaces the tiny one.
     *
     * @param task the subcommand
     * @param output the output folder
     * @param more further options
     * @return the run's exit code and output
     */
    static SeglossTrainTest.Run run(String task, Path output, String... more) {
        List<String> args = new ArrayList<>(Arrays.asList(task, "--output", output.toString()));
        List<String> given = Arrays.asList(more);
        for (int i = 0; i < TINY.size(); i += 2) {
            if (!given.contains(TINY.get(i))) {
                args.addAll(TINY.subList(i, i + 2));
            }
        }
        args.addAll(given);
        return SeglossTrainTest.run(args.toArray(new String[0]));
    }

    /**
     * Runs a task on the tiny settings and requires it to succeed.
     *
     * @param task the subcommand
     * @param output the output folder
     * @param more further options
     * @return the run's output
     */
    static SeglossTrainTest.Run train(String task, Path output, String... more) {
        SeglossTrainTest.Run run = run(task, output, more);
        assertEquals(run.code(), 0, run.err());
        return run;
    }
}
