package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.github.segloss.example.SeglossTrain;
import io.github.segloss.example.report.EpochMetrics;
import io.github.segloss.example.report.MetricsCsv;
import io.github.segloss.example.train.Checkpoints;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The life of a run's output folder, in this JVM: a fresh run never mixes with an earlier one, a
 * resumed run keeps its model and data, an output that cannot be written is one line with exit code
 * 5 and leaves nothing temporary, and a damaged {@code metrics.csv} is rebuilt from the
 * checkpoints.
 */
public class OutputFolderTest {

    private static final List<String> CLASSES =
            List.of("background", "circle", "square", "triangle");

    /** A one-epoch semantic run on PyTorch, its metrics.csv deleted. */
    private Path oneEpochWithoutMetrics;

    private static SeglossTrainTest.Run run(Path output, String... more) {
        return TinyRuns.run("semantic", output, more);
    }

    private static SeglossTrainTest.Run train(Path output, String... more) {
        return TinyRuns.train("semantic", output, more);
    }

    private static List<Integer> epochs(int count) {
        return IntStream.rangeClosed(1, count).boxed().toList();
    }

    private static String latest(Path output) throws IOException {
        return Checkpoints.latest(output.resolve("checkpoints"))
                .map(p -> p.getFileName().toString())
                .orElse("none");
    }

    @BeforeClass
    public void trainOneEpoch() throws IOException {
        oneEpochWithoutMetrics = Files.createTempDirectory("segloss-one-epoch");
        train(oneEpochWithoutMetrics, "--epochs", "1");
        Files.delete(oneEpochWithoutMetrics.resolve("metrics.csv"));
    }

    @Test
    public void aFreshRunIntoAFolderHoldingARunIsRefusedNamingResumeAndOverwrite()
            throws IOException {
        Path output = Files.createTempDirectory("segloss-fresh");
        train(output, "--epochs", "2");
        byte[] before = Files.readAllBytes(output.resolve("checkpoints/epoch-0002/params.ndlist"));
        List<String> rows = Files.readAllLines(output.resolve("metrics.csv"));

        SeglossTrainTest.Run again =
                run(output, "--epochs", "1", "--synthetic-classes", "background,circle");

        assertEquals(again.code(), SeglossTrain.USAGE, again.err());
        String line = ErrorLine.of(again);
        assertTrue(line.contains("holds an earlier run"), line);
        assertTrue(line.contains("--resume") && line.contains("--overwrite"), line);
        assertTrue(line.contains(output.toString()), line);
        assertEquals(
                Files.readAllBytes(output.resolve("checkpoints/epoch-0002/params.ndlist")), before);
        assertEquals(Files.readAllLines(output.resolve("metrics.csv")), rows);
    }

    @Test
    public void overwriteDeletesTheEarlierRunAndKeepsTheUsersFiles() throws IOException {
        Path output = Files.createTempDirectory("segloss-overwrite");
        train(output, "--epochs", "2");
        Files.writeString(output.resolve("notes.txt"), "mine");
        Files.writeString(output.resolve("checkpoints/README"), "mine too");

        SeglossTrainTest.Run run =
                train(
                        output,
                        "--epochs",
                        "1",
                        "--synthetic-classes",
                        "background,circle",
                        "--overwrite");

        assertTrue(run.out().contains("--overwrite: deleted the earlier run's"), run.out());
        assertEquals(latest(output), "epoch-0001");
        assertFalse(Files.exists(output.resolve("checkpoints/epoch-0002")), "epoch 2 deleted");
        assertEquals(
                Checkpoints.description(output.resolve("checkpoints/epoch-0001"))
                        .getAsJsonArray("classes")
                        .size(),
                2);
        assertEquals(RunFolder.metricEpochs(output, List.of("background", "circle")), epochs(1));
        assertEquals(Files.readString(output.resolve("notes.txt")), "mine");
        assertEquals(Files.readString(output.resolve("checkpoints/README")), "mine too");
    }

    @Test
    public void resumeAndOverwriteTogetherAreRefused() throws IOException {
        Path output = Files.createTempDirectory("segloss-both");
        SeglossTrainTest.Run run = run(output, "--epochs", "1", "--resume", "--overwrite");
        assertEquals(run.code(), SeglossTrain.USAGE, run.err());
        assertTrue(ErrorLine.of(run).contains("give one of them"), run.err());
    }

    @Test
    public void aFolderThatAnotherRunHoldsIsRefusedAtOnce() throws IOException {
        Path output = Files.createTempDirectory("segloss-held");
        try (FileChannel channel =
                        FileChannel.open(
                                output.resolve(".segloss-train.lock"),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            SeglossTrainTest.Run run = run(output, "--epochs", "1");
            assertEquals(run.code(), SeglossTrain.USAGE, run.err());
            String line = ErrorLine.of(run);
            assertTrue(line.contains("is in use by another segloss-train run"), line);
            assertTrue(held.isValid());
        }
        assertEquals(RunFolder.leftovers(output), List.of());
        assertFalse(Files.exists(output.resolve("checkpoints")), "nothing was written");
    }

    @DataProvider(name = "changes")
    public Object[][] changes() {
        return new Object[][] {
            {
                new String[] {"--image-size", "64"},
                "--image-size 64 differs from the checkpoint's 32"
            },
            {new String[] {"--width", "8"}, "--width 8 differs from the checkpoint's 4"},
            {
                new String[] {"--engine", "MXNet"},
                "--engine MXNet differs from the checkpoint's PyTorch"
            },
            {
                // same count, other names: the model fits, the data does not
                new String[] {"--synthetic-classes", "background,circle,square,star"},
                "the classes [\"background\",\"circle\",\"square\",\"star\"] differ from the"
                        + " checkpoint's [\"background\",\"circle\",\"square\",\"triangle\"]"
            }
        };
    }

    @Test(dataProvider = "changes")
    public void resumeRefusesAChangeOfModelOrDataWithoutMetricsCsv(String[] change, String expected)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("--epochs", "2", "--resume"));
        args.addAll(Arrays.asList(change));
        SeglossTrainTest.Run run = run(oneEpochWithoutMetrics, args.toArray(new String[0]));
        assertEquals(run.code(), SeglossTrain.USAGE, run.err());
        String line = ErrorLine.of(run);
        assertTrue(line.contains("--resume: " + expected), line);
        assertTrue(line.contains("epoch-0001"), line);
        assertEquals(latest(oneEpochWithoutMetrics), "epoch-0001");
        assertFalse(Files.exists(oneEpochWithoutMetrics.resolve("metrics.csv")));
    }

    @Test
    public void resumeRefusesAnotherTask() {
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "mask",
                        "--output",
                        oneEpochWithoutMetrics.toString(),
                        "--epochs",
                        "2",
                        "--resume",
                        "--image-size",
                        "32",
                        "--synthetic-count",
                        "8");
        assertEquals(run.code(), SeglossTrain.USAGE, run.err());
        assertTrue(ErrorLine.of(run).contains("is a semantic checkpoint, not a mask one"));
    }

    @Test
    public void anOutputThatIsAFileIsOneLineAndExitCodeFive() throws IOException {
        Path file = Files.createTempFile("segloss-output", ".txt");
        Files.writeString(file, "the user's file");
        SeglossTrainTest.Run run = run(file, "--epochs", "1");
        assertEquals(run.code(), SeglossTrain.CANNOT_WRITE, run.err());
        assertEquals(
                ErrorLine.of(run),
                "segloss-train: cannot write " + file + ": --output is a file, not a folder");
        assertEquals(Files.readString(file), "the user's file");

        Path inside = file.resolve("run");
        SeglossTrainTest.Run under = run(inside, "--epochs", "1");
        assertEquals(under.code(), SeglossTrain.CANNOT_WRITE, under.err());
        assertEquals(
                ErrorLine.of(under), "segloss-train: cannot write " + inside + ": Not a directory");
    }

    @DataProvider(name = "stages")
    public Object[][] stages() {
        return new Object[][] {{"checkpoint:2"}, {"checkpoint:2:described"}};
    }

    @Test(dataProvider = "stages")
    public void aFullDiskDuringACheckpointIsOneLineLeavesNothingTemporaryAndResumes(String stage)
            throws IOException {
        Path output = Files.createTempDirectory("segloss-full");
        SeglossTrainTest.Run full;
        System.setProperty("segloss.test.diskFullAt", stage);
        try {
            full = run(output, "--epochs", "2");
        } finally {
            System.clearProperty("segloss.test.diskFullAt");
        }
        assertEquals(full.code(), SeglossTrain.CANNOT_WRITE, full.err());
        assertEquals(
                ErrorLine.of(full),
                "segloss-train: cannot write "
                        + output.resolve("checkpoints/epoch-0002")
                        + ": No space left on device");
        assertEquals(RunFolder.leftovers(output), List.of(), "no temporary folder or file");
        assertEquals(RunFolder.check(output, CLASSES), 1);

        SeglossTrainTest.Run resumed = train(output, "--epochs", "2", "--resume");
        assertTrue(resumed.out().contains("resuming after epoch 1"), resumed.out());
        assertEquals(RunFolder.check(output, CLASSES), 2);
        assertEquals(RunFolder.metricEpochs(output, CLASSES), epochs(2));
        assertEquals(RunFolder.leftovers(output), List.of());
    }

    @Test
    public void aTruncatedMetricsCsvIsRebuiltFromTheCheckpoints() throws IOException {
        Path output = Files.createTempDirectory("segloss-truncated");
        train(output, "--epochs", "2");
        Path csv = output.resolve("metrics.csv");
        List<EpochMetrics> written = MetricsCsv.read(csv, CLASSES);
        String text = Files.readString(csv);
        Files.writeString(csv, text.substring(0, text.length() - 20));

        SeglossTrainTest.Run resumed = train(output, "--epochs", "3", "--resume");

        assertTrue(
                resumed.out().contains("rebuilt epoch(s) [1, 2] from the checkpoints"),
                resumed.out());
        List<EpochMetrics> rows = MetricsCsv.read(csv, CLASSES);
        assertEquals(rows.stream().map(EpochMetrics::epoch).toList(), epochs(3));
        assertEquals(rows.subList(0, 2), written, "the rebuilt rows are the written ones");
    }

    @Test
    public void aMissingMetricsCsvIsRebuiltFromTheCheckpoints() throws IOException {
        Path output = Files.createTempDirectory("segloss-no-metrics");
        train(output, "--epochs", "2");
        Path csv = output.resolve("metrics.csv");
        List<EpochMetrics> written = MetricsCsv.read(csv, CLASSES);
        Files.delete(csv);

        SeglossTrainTest.Run resumed = train(output, "--epochs", "3", "--resume");

        assertTrue(resumed.out().contains("metrics.csv: missing; rebuilt"), resumed.out());
        List<EpochMetrics> rows = MetricsCsv.read(csv, CLASSES);
        assertEquals(rows.stream().map(EpochMetrics::epoch).toList(), epochs(3));
        assertEquals(rows.subList(0, 2), written);
    }
}
