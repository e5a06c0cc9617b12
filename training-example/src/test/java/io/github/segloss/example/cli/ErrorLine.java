package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;

import java.util.List;
import java.util.regex.Pattern;

/** The one line that segloss-train prints on standard error when it stops. */
final class ErrorLine {

    /** DJL's log lines, which an engine's first use in a JVM writes to standard error. */
    private static final Pattern DJL_LOG = Pattern.compile("\\[[^]]+] (INFO|WARN) ai\\.djl\\..*");

    private ErrorLine() {}

    /**
     * Returns the only line of a run's standard error, DJL's start-up log left aside (a real run
     * silences it; a run inside the test JVM does not).
     *
     * @param run the run
     * @return the line
     * @throws AssertionError if there is not exactly one
     */
    static String of(SeglossTrainTest.Run run) {
        List<String> lines =
                run.err()
                        .lines()
                        .filter(l -> !l.isBlank())
                        .filter(l -> !DJL_LOG.matcher(l).matches())
                        .toList();
        assertEquals(lines.size(), 1, run.err());
        return lines.get(0);
    }
}
