package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.segloss.example.SeglossTrain;
import io.github.segloss.example.report.EpochMetrics;
import io.github.segloss.example.report.MetricsCsv;
import io.github.segloss.example.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * A run whose loss or parameters stop being finite, on both engines and both tasks: it stops with
 * one line naming the epoch and the batch and keeps the last good checkpoint (exit code 3), or,
 * with {@code --skip-nonfinite-batches N}, skips up to N such batches and counts them in {@code
 * summary.json}. Real divergence comes from a learning rate of 1e38; a NaN pixel in a chosen batch
 * from the trainer's test-only hook {@code segloss.test.nanAt}.
 *
 * <p>The engines differ in one place: MXNet's ReLU turns NaN into 0, so a NaN pixel gives a finite
 * loss and NaN gradients there. Without skipping, the parameters of that step are caught before the
 * epoch's checkpoint; with skipping, the gradients are checked before each step.
 */
public class DivergenceTest {

    private static final List<String> CLASSES =
            List.of("background", "circle", "square", "triangle");
    private static final String NAN_AT = "segloss.test.nanAt";

    @DataProvider(name = "engines")
    public Object[][] engines() {
        return new Object[][] {{"PyTorch"}, {"MXNet"}};
    }

    /** Runs segloss-train in this JVM with a test hook's property set (null for none). */
    private static SeglossTrainTest.Run run(
            String nanAt, String task, Path output, String engine, String... more) {
        List<String> args =
                new ArrayList<>(List.of(task, "--output", output.toString(), "--engine", engine));
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
        args.addAll(Arrays.asList(more));
        if (nanAt != null) {
            System.setProperty(NAN_AT, nanAt);
        }
        try {
            return SeglossTrainTest.run(args.toArray(new String[0]));
        } finally {
            System.clearProperty(NAN_AT);
        }
    }

    private static Path checkpoint(Path output, int epoch) {
        return output.resolve("checkpoints").resolve(String.format("epoch-%04d", epoch));
    }

    private static List<String> checkpointNames(Path output) throws IOException {
        return Checkpoints.checkpoints(output.resolve("checkpoints")).stream()
                .map(p -> p.getFileName().toString())
                .toList();
    }

    private static JsonObject summary(Path output) throws IOException {
        return JsonParser.parseString(Files.readString(output.resolve("summary.json")))
                .getAsJsonObject();
    }

    @Test(dataProvider = "engines")
    public void aRealDivergenceStopsAtItsBatchAndKeepsTheLastGoodCheckpoint(String engine)
            throws IOException {
        Path output = Files.createTempDirectory("segloss-diverge");
        assertEquals(run(null, "semantic", output, engine, "--epochs", "1").code(), 0);
        SeglossTrainTest.Run run =
                run(null, "semantic", output, engine, "--epochs", "3", "--resume", "--lr", "1e38");
        assertEquals(run.code(), SeglossTrain.DIVERGED, run.err());
        assertEquals(
                ErrorLine.of(run),
                "segloss-train: training diverged: loss is NaN at epoch 2, batch 2; the last good"
                        + " checkpoint is "
                        + checkpoint(output, 1));
        assertEquals(checkpointNames(output), List.of("epoch-0001"));
        assertEquals(RunFolder.check(output, CLASSES), 1);
        assertEquals(RunFolder.metricEpochs(output, CLASSES), List.of(1));
        assertEquals(summary(output).get("epochs").getAsInt(), 1, "the first run's summary");
    }

    @Test(dataProvider = "engines")
    public void aNanBatchWithoutSkippingStopsBeforeTheEpochsCheckpoint(String engine)
            throws IOException {
        Path output = Files.createTempDirectory("segloss-nan");
        SeglossTrainTest.Run run = run("2:1", "semantic", output, engine, "--epochs", "3");
        assertEquals(run.code(), SeglossTrain.DIVERGED, run.err());
        String last = "; the last good checkpoint is " + checkpoint(output, 1);
        if (engine.equals("PyTorch")) {
            assertEquals(
                    ErrorLine.of(run),
                    "segloss-train: training diverged: loss is NaN at epoch 2, batch 1" + last);
        } else {
            // MXNet: finite loss, NaN gradients; the stepped parameters are caught after epoch 2
            String line = ErrorLine.of(run);
            assertTrue(line.startsWith("segloss-train: training diverged: parameter "), line);
            assertTrue(line.endsWith(" is not finite (or beyond 1e19) after epoch 2" + last), line);
        }
        assertEquals(checkpointNames(output), List.of("epoch-0001"));
        assertEquals(RunFolder.check(output, CLASSES), 1);
        assertEquals(RunFolder.metricEpochs(output, CLASSES), List.of(1));
        assertFalse(Files.exists(output.resolve("summary.json")));
    }

    @Test(dataProvider = "engines")
    public void skippedBatchesAreCountedAndTheRunEndsWithFiniteParameters(String engine)
            throws IOException {
        Path output = Files.createTempDirectory("segloss-skip");
        SeglossTrainTest.Run run =
                run(
                        "1:2,2:1",
                        "semantic",
                        output,
                        engine,
                        "--epochs",
                        "3",
                        "--skip-nonfinite-batches",
                        "2");
        assertEquals(run.code(), 0, run.err());
        assertTrue(
                run.out()
                        .contains(
                                "epoch 1/3: 8 images, skipped non-finite batch 2"
                                        + " (1 of --skip-nonfinite-batches 2)"),
                run.out());
        assertTrue(
                run.out()
                        .contains(
                                "epoch 2/3: 8 images, skipped non-finite batch 1"
                                        + " (2 of --skip-nonfinite-batches 2)"),
                run.out());
        JsonObject summary = summary(output);
        assertEquals(summary.get("skippedNonFiniteBatches").getAsInt(), 2);
        assertEquals(summary.get("epochs").getAsInt(), 3);
        // every parameter, batch-norm statistics included, of every checkpoint is finite
        assertEquals(RunFolder.check(output, CLASSES), 3);
        int[] counts = {1, 2, 2};
        for (int epoch = 1; epoch <= 3; epoch++) {
            JsonObject description = Checkpoints.description(checkpoint(output, epoch));
            assertEquals(
                    description.get("skippedNonFiniteBatches").getAsInt(),
                    counts[epoch - 1],
                    "epoch " + epoch);
        }
        for (EpochMetrics row : MetricsCsv.read(output.resolve("metrics.csv"), CLASSES)) {
            assertTrue(
                    Double.isFinite(row.trainLoss().get("loss")),
                    "a skipped batch stays out of the training loss: " + row);
        }
    }

    @Test(dataProvider = "engines")
    public void theNonFiniteBatchAfterTheAllowedOnesStopsTheRun(String engine) throws IOException {
        Path output = Files.createTempDirectory("segloss-skip-over");
        SeglossTrainTest.Run run =
                run(
                        "1:2,2:1,3:2",
                        "semantic",
                        output,
                        engine,
                        "--epochs",
                        "3",
                        "--skip-nonfinite-batches",
                        "2");
        assertEquals(run.code(), SeglossTrain.DIVERGED, run.err());
        String reason = engine.equals("PyTorch") ? "loss is NaN" : "gradients are not finite";
        assertEquals(
                ErrorLine.of(run),
                "segloss-train: training diverged: "
                        + reason
                        + " at epoch 3, batch 2 (non-finite batch 3, more than"
                        + " --skip-nonfinite-batches 2); the last good checkpoint is "
                        + checkpoint(output, 2));
        assertEquals(checkpointNames(output), List.of("epoch-0002", "epoch-0001"));
        assertEquals(RunFolder.check(output, CLASSES), 2);
    }

    @Test(dataProvider = "engines")
    public void theMaskTaskSkipsANanBatch(String engine) throws IOException {
        Path output = Files.createTempDirectory("segloss-mask-skip");
        SeglossTrainTest.Run run =
                run(
                        "1:1",
                        "mask",
                        output,
                        engine,
                        "--epochs",
                        "2",
                        "--skip-nonfinite-batches",
                        "1");
        assertEquals(run.code(), 0, run.err());
        assertTrue(
                run.out().contains("skipped non-finite batch 1 (1 of --skip-nonfinite-batches 1)"),
                run.out());
        assertEquals(summary(output).get("skippedNonFiniteBatches").getAsInt(), 1);
        assertEquals(RunFolder.check(output, CLASSES.subList(1, 4)), 2);
    }

    @Test(dataProvider = "engines")
    public void theMaskTaskStopsAtARealDivergenceWithoutACheckpoint(String engine)
            throws IOException {
        Path output = Files.createTempDirectory("segloss-mask-diverge");
        SeglossTrainTest.Run run =
                run(null, "mask", output, engine, "--epochs", "2", "--lr", "1e38");
        assertEquals(run.code(), SeglossTrain.DIVERGED, run.err());
        assertEquals(
                ErrorLine.of(run),
                "segloss-train: training diverged: loss is NaN at epoch 1, batch 2; no checkpoint"
                        + " was written");
        assertEquals(checkpointNames(output), List.of());
        assertFalse(Files.exists(output.resolve("metrics.csv")));
    }

    @Test
    public void aResumedRunKeepsCountingAgainstTheSameAllowance() throws IOException {
        Path output = Files.createTempDirectory("segloss-skip-resume");
        String[] skip = {"--skip-nonfinite-batches", "2"};
        SeglossTrainTest.Run first =
                run("1:2", "semantic", output, "PyTorch", "--epochs", "1", skip[0], skip[1]);
        assertEquals(first.code(), 0, first.err());
        SeglossTrainTest.Run second =
                run(
                        "2:1",
                        "semantic",
                        output,
                        "PyTorch",
                        "--epochs",
                        "2",
                        "--resume",
                        skip[0],
                        skip[1]);
        assertEquals(second.code(), 0, second.err());
        assertTrue(second.out().contains("(2 of --skip-nonfinite-batches 2)"), second.out());
        assertEquals(summary(output).get("skippedNonFiniteBatches").getAsInt(), 2);
        SeglossTrainTest.Run third =
                run(
                        "3:1",
                        "semantic",
                        output,
                        "PyTorch",
                        "--epochs",
                        "3",
                        "--resume",
                        skip[0],
                        skip[1]);
        assertEquals(third.code(), SeglossTrain.DIVERGED, third.err());
        assertTrue(ErrorLine.of(third).contains("(non-finite batch 3, more than"), third.err());
    }

    @Test
    public void aNegativeAllowanceIsOneLineAndExitCodeTwo() throws IOException {
        Path output = Files.createTempDirectory("segloss-skip-bad");
        SeglossTrainTest.Run run =
                run(null, "semantic", output, "PyTorch", "--skip-nonfinite-batches", "-1");
        assertEquals(run.code(), SeglossTrain.USAGE, run.err());
        assertEquals(
                ErrorLine.of(run), "segloss-train: --skip-nonfinite-batches must be >= 0, got -1");
    }

    @Test
    public void helpExplainsTheAllowanceOnBothTasks() {
        for (String task : List.of("semantic", "mask")) {
            SeglossTrainTest.Run run = SeglossTrainTest.run(task, "--help");
            assertEquals(run.code(), 0);
            assertTrue(run.out().contains("--skip-nonfinite-batches"), task + ": " + run.out());
        }
    }
}
