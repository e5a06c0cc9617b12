package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.github.segloss.example.train.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.testng.annotations.Test;

/**
 * {@code segloss-train} in JVMs of its own, stopped by SIGKILL and by SIGTERM at every stage of a
 * checkpoint write, and two runs racing for one output folder. After each stop the folder holds
 * only complete checkpoints, the next {@code --resume} is not blocked by the dead run's lock, and
 * the run ends with every epoch. SIGTERM prints one line saying where the run stopped and what
 * {@code --resume} continues, and exits 143.
 */
public class SignalsAndRacesTest {

    private static final List<String> CLASSES =
            List.of("background", "circle", "square", "triangle");
    private static final String MARKER = "segloss-test: at ";
    private static final String STOPPED = "segloss-train: stopped by a signal ";

    private static List<String> args(Path output, int epochs, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "semantic",
                                "--output",
                                output.toString(),
                                "--epochs",
                                Integer.toString(epochs)));
        args.addAll(TinyRuns.TINY);
        args.addAll(List.of(more));
        return args;
    }

    private static List<String> resumed(List<String> args) {
        List<String> more = new ArrayList<>(args);
        more.add("--resume");
        return more;
    }

    /** Starts a run, waits until it pauses at the point, sends SIGKILL; returns its output. */
    private static String killAt(String point, List<String> args) throws Exception {
        try (ChildRun run = ChildRun.start(Map.of("segloss.test.pauseAt", point), args)) {
            run.awaitLine(MARKER + point);
            assertEquals(run.kill(), ChildRun.KILLED, run.output());
            return run.output();
        }
    }

    /**
     * Starts a run, waits until it pauses at the point, sends SIGTERM; checks the exit code and the
     * one line; returns the output.
     */
    private static String terminateAt(String point, List<String> args, String expected)
            throws Exception {
        try (ChildRun run = ChildRun.start(Map.of("segloss.test.pauseAt", point), args)) {
            run.awaitLine(MARKER + point);
            assertEquals(run.terminate(), ChildRun.TERMINATED, run.output());
            List<String> lines =
                    run.output().lines().filter(l -> l.startsWith("segloss-train:")).toList();
            assertEquals(lines, List.of(STOPPED + expected), run.output());
            return run.output();
        }
    }

    private static String checkpoint(Path output, int epoch) {
        return output.resolve("checkpoints").resolve(String.format("epoch-%04d", epoch)).toString();
    }

    private static List<Integer> epochs(int count) {
        return IntStream.rangeClosed(1, count).boxed().toList();
    }

    private static void assertContains(String output, String text) {
        assertTrue(output.contains(text), "no '" + text + "' in:\n" + output);
    }

    @Test
    public void signalsAtEveryStageOfACheckpointWriteLoseNothing() throws Exception {
        Path output = Files.createTempDirectory("segloss-signals");
        List<String> args = args(output, 5);
        String none = "no checkpoint yet: --resume starts again at epoch 1";

        killAt("checkpoint:1:created", args);
        assertEquals(RunFolder.check(output, CLASSES), 0);
        assertTrue(RunFolder.leftovers(output).stream().anyMatch(n -> n.startsWith(".epoch-1-")));
        terminateAt("checkpoint:1:created", resumed(args), "at epoch 1, batch 2; " + none);
        assertEquals(RunFolder.check(output, CLASSES), 0);

        killAt("checkpoint:1", resumed(args));
        assertEquals(RunFolder.check(output, CLASSES), 0);
        terminateAt("checkpoint:1", resumed(args), "at epoch 1, batch 2; " + none);
        assertEquals(RunFolder.check(output, CLASSES), 0);

        // written whole but not renamed: the next start puts it in place
        killAt("checkpoint:1:described", resumed(args));
        assertEquals(RunFolder.check(output, CLASSES), 0);
        String recovered =
                terminateAt(
                        "checkpoint:2:described",
                        resumed(args),
                        "at epoch 2, batch 2; --resume continues after " + checkpoint(output, 1));
        assertContains(recovered, "had written whole: " + checkpoint(output, 1));
        assertContains(recovered, "resuming after epoch 1");
        assertEquals(RunFolder.check(output, CLASSES), 1);

        String second = killAt("checkpoint:3:renamed", resumed(args));
        assertContains(second, "had written whole: " + checkpoint(output, 2));
        assertContains(second, "resuming after epoch 2");
        assertEquals(RunFolder.check(output, CLASSES), 3);
        terminateAt(
                "checkpoint:4:renamed",
                resumed(args),
                "at epoch 4, batch 2; --resume continues after " + checkpoint(output, 4));
        assertEquals(RunFolder.check(output, CLASSES), 4);

        // an epoch written again over a damaged checkpoint: stopped once the old one is aside
        Files.writeString(Path.of(checkpoint(output, 4), Checkpoints.DESCRIPTION), "{\"epo");
        String aside = killAt("checkpoint:4:aside", resumed(args));
        assertContains(aside, "resuming after epoch 3");
        assertEquals(RunFolder.check(output, CLASSES), 3);
        Files.createDirectory(Path.of(checkpoint(output, 5)));
        String asideAgain =
                terminateAt(
                        "checkpoint:5:aside",
                        resumed(args),
                        "at epoch 5, batch 2; --resume continues after " + checkpoint(output, 4));
        assertContains(asideAgain, "had written whole: " + checkpoint(output, 4));

        try (ChildRun run = ChildRun.start(Map.of(), resumed(args))) {
            assertEquals(run.waitFor(), 0, run.output());
            assertContains(run.output(), "had written whole: " + checkpoint(output, 5));
        }
        assertEquals(RunFolder.check(output, CLASSES), 5);
        assertEquals(RunFolder.metricEpochs(output, CLASSES), epochs(5));
        assertEquals(RunFolder.leftovers(output), List.of());
    }

    @Test
    public void twoRunsStartedTogetherIntoOneFolderLetExactlyOneProceed() throws Exception {
        Path output = Files.createTempDirectory("segloss-race");
        List<List<String>> commands =
                List.of(
                        args(output, 2),
                        args(output, 2, "--synthetic-classes", "background,circle"));
        List<List<String>> classes = List.of(CLASSES, List.of("background", "circle"));
        Map<String, String> pause = Map.of("segloss.test.pauseAt", "batch:1:1");
        try (ChildRun first = ChildRun.start(pause, commands.get(0));
                ChildRun second = ChildRun.start(pause, commands.get(1))) {
            List<ChildRun> runs = List.of(first, second);
            long end = System.nanoTime() + 180_000_000_000L;
            while (first.isAlive() && second.isAlive() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            int loser = first.isAlive() ? 1 : 0;
            int winner = 1 - loser;
            ChildRun refused = runs.get(loser);
            assertEquals(refused.waitFor(), 2, refused.output());
            List<String> lines = refused.output().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(lines.size(), 1, refused.output());
            assertContains(lines.get(0), "is in use by another segloss-train run");
            assertContains(lines.get(0), output.toString());

            // the one that proceeds holds the folder; killed, it leaves no lock behind
            runs.get(winner).awaitLine(MARKER + "batch:1:1");
            assertEquals(runs.get(winner).kill(), ChildRun.KILLED);

            try (ChildRun rest = ChildRun.start(Map.of(), resumed(commands.get(winner)))) {
                assertEquals(rest.waitFor(), 0, rest.output());
            }
            assertEquals(RunFolder.check(output, classes.get(winner)), 2);
            assertEquals(RunFolder.metricEpochs(output, classes.get(winner)), epochs(2));
            for (Path checkpoint : Checkpoints.checkpoints(output.resolve("checkpoints"))) {
                assertEquals(
                        Checkpoints.description(checkpoint).getAsJsonArray("classes").size(),
                        classes.get(winner).size(),
                        checkpoint + " is of the run that proceeded");
            }
        }
    }
}
