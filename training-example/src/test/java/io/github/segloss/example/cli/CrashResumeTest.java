package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.testng.annotations.AfterClass;
import org.testng.annotations.Test;

/**
 * {@code segloss-train} killed with SIGKILL at different moments and restarted with {@code
 * --resume}: after every kill each checkpoint folder is complete and loads, {@code metrics.csv}
 * holds one row per epoch, and the resumed run ends with every epoch. The moments are reached with
 * the test-only pause points of the trainer ({@code segloss.test.pauseAt}), and one is a seeded
 * random delay after a point ({@code segloss.test.signalAt}).
 */
public class CrashResumeTest {

    private static final List<String> SEMANTIC_CLASSES =
            List.of("background", "circle", "square", "triangle");
    private static final List<String> MASK_CLASSES = List.of("circle", "square", "triangle");
    private static final String MARKER = "segloss-test: at ";

    /** The crash-and-resume cycles that ended in a SIGKILL, over all tests of this class. */
    private static int kills;

    private static List<String> args(String task, Path output, String engine, int epochs) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                task,
                                "--output",
                                output.toString(),
                                "--engine",
                                engine,
                                "--epochs",
                                Integer.toString(epochs)));
        args.addAll(
                Arrays.asList(
                        "--image-size",
                        "32",
                        "--width",
                        "4",
                        "--batch-size",
                        "4",
                        "--synthetic-count",
                        "8",
                        "--max-batches",
                        "2"));
        return args;
    }

    private static List<String> resumed(List<String> args) {
        List<String> more = new ArrayList<>(args);
        more.add("--resume");
        return more;
    }

    /** Starts the run, waits until it pauses at the point, kills it; returns its output. */
    private static String killAt(String point, List<String> args) throws Exception {
        try (ChildRun run = ChildRun.start(Map.of("segloss.test.pauseAt", point), args)) {
            run.awaitLine(MARKER + point);
            assertEquals(run.kill(), ChildRun.KILLED, "SIGKILL ends the run:\n" + run.output());
            kills++;
            return run.output();
        }
    }

    /** Runs to the end; returns the output. */
    private static String complete(List<String> args) throws Exception {
        try (ChildRun run = ChildRun.start(Map.of(), args)) {
            assertEquals(run.waitFor(), 0, run.output());
            return run.output();
        }
    }

    private static JsonObject summary(Path output) throws IOException {
        return JsonParser.parseString(Files.readString(output.resolve("summary.json")))
                .getAsJsonObject();
    }

    private static List<Integer> epochs(int count) {
        return IntStream.rangeClosed(1, count).boxed().toList();
    }

    private static boolean hasUnfinishedCheckpoint(Path output, int epoch) throws IOException {
        return RunFolder.leftovers(output).stream()
                .anyMatch(name -> name.startsWith(".epoch-" + epoch + "-"));
    }

    @Test
    public void aSemanticRunKilledFourTimesOnPyTorchEndsWithEveryEpoch() throws Exception {
        Path output = Files.createTempDirectory("segloss-crash");
        List<String> args = args("semantic", output, "PyTorch", 6);

        // 1. during an epoch's batches: epoch 1 is complete, epoch 2 is lost
        killAt("batch:2:2", args);
        assertEquals(RunFolder.check(output, SEMANTIC_CLASSES), 1);
        assertEquals(RunFolder.metricEpochs(output, SEMANTIC_CLASSES), epochs(1));

        // 2. during a checkpoint write: parameters written into the temporary folder, no more
        String second = killAt("checkpoint:3", resumed(args));
        assertTrue(second.contains("resuming after epoch 1"), second);
        assertTrue(hasUnfinishedCheckpoint(output, 3), "killed inside the write");
        assertEquals(RunFolder.check(output, SEMANTIC_CLASSES), 2);
        assertEquals(RunFolder.metricEpochs(output, SEMANTIC_CLASSES), epochs(3));

        // 3. after epoch 3's metrics.csv and pictures, before its checkpoint
        String third = killAt("outputs:3", resumed(args));
        assertTrue(third.contains("removed what an interrupted run left: .epoch-3-"), third);
        assertTrue(third.contains("resuming after epoch 2"), third);
        assertEquals(RunFolder.check(output, SEMANTIC_CLASSES), 2);
        assertEquals(
                RunFolder.metricEpochs(output, SEMANTIC_CLASSES),
                epochs(3),
                "epoch 3 trained again has one row");

        // 4. a seeded random moment after epoch 3's first batch: batches, validation or writes
        int delay = new Random(6).nextInt(150);
        try (ChildRun run =
                ChildRun.start(Map.of("segloss.test.signalAt", "batch:3:1"), resumed(args))) {
            run.awaitLine(MARKER + "batch:3:1");
            Thread.sleep(delay);
            int code = run.kill();
            if (code == ChildRun.KILLED) {
                kills++;
            } else {
                assertEquals(code, 0, "ended by itself before the kill:\n" + run.output());
            }
            System.out.printf(
                    "crash-and-resume: kill %d ms after batch 3:1 %s%n",
                    delay, code == ChildRun.KILLED ? "ended the run" : "came after its end");
        }
        int done = RunFolder.check(output, SEMANTIC_CLASSES);
        assertTrue(done >= 2, "epoch " + done);
        List<Integer> rows = RunFolder.metricEpochs(output, SEMANTIC_CLASSES);
        assertTrue(rows.size() >= done && rows.size() <= done + 1, rows + " after " + done);

        // 5. to the end
        String last = complete(resumed(args));
        if (done < 6) {
            assertTrue(last.contains("resuming after epoch " + done), last);
        }
        assertEquals(RunFolder.check(output, SEMANTIC_CLASSES), 6);
        assertEquals(RunFolder.metricEpochs(output, SEMANTIC_CLASSES), epochs(6));
        assertEquals(RunFolder.leftovers(output), List.of());
        JsonObject summary = summary(output);
        assertEquals(summary.get("epochs").getAsInt(), 6);
        assertTrue(summary.get("meanIoU").isJsonPrimitive(), summary.toString());
        assertEquals(summary.get("skippedNonFiniteBatches").getAsInt(), 0);
    }

    @Test
    public void aSemanticRunKilledDuringACheckpointWriteOnMxNetResumes() throws Exception {
        Path output = Files.createTempDirectory("segloss-crash-mx");
        List<String> args = args("semantic", output, "MXNet", 3);
        killAt("checkpoint:2", args);
        assertTrue(hasUnfinishedCheckpoint(output, 2), "killed inside the write");
        assertEquals(RunFolder.check(output, SEMANTIC_CLASSES), 1);

        String last = complete(resumed(args));
        assertTrue(last.contains("resuming after epoch 1"), last);
        assertEquals(RunFolder.check(output, SEMANTIC_CLASSES), 3);
        assertEquals(RunFolder.metricEpochs(output, SEMANTIC_CLASSES), epochs(3));
        assertEquals(RunFolder.leftovers(output), List.of());
        assertEquals(summary(output).get("epochs").getAsInt(), 3);
    }

    @Test
    public void aMaskRunKilledDuringAnEpochResumes() throws Exception {
        Path output = Files.createTempDirectory("segloss-crash-mask");
        List<String> args = args("mask", output, "PyTorch", 3);
        killAt("batch:2:1", args);
        assertEquals(RunFolder.check(output, MASK_CLASSES), 1);

        String last = complete(resumed(args));
        assertTrue(last.contains("resuming after epoch 1"), last);
        assertEquals(RunFolder.check(output, MASK_CLASSES), 3);
        assertEquals(RunFolder.metricEpochs(output, MASK_CLASSES), epochs(3));
        assertEquals(summary(output).get("epochs").getAsInt(), 3);
        assertTrue(summary(output).get("maskIoU").isJsonPrimitive());
    }

    @AfterClass(alwaysRun = true)
    public void reportTheCycles() {
        System.out.println("crash-and-resume: " + kills + " runs ended by SIGKILL and resumed");
    }
}
