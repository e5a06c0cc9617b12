package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.github.segloss.example.SeglossTrain;
import io.github.segloss.example.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

/**
 * A batch that does not fit in memory ends the run with one line that says so and suggests a
 * smaller {@code --batch-size}, exit code 4. The failure is the engine's own allocator error: the
 * trainer's test-only hook {@code segloss.test.allocateAt} asks the engine, at a chosen batch, for
 * more memory than exists. PyTorch refuses 2^46 floats (256 TiB, beyond the address space) at once,
 * using none; MXNet cannot hold more than 2^31 elements in one array, so its test runs in a JVM of
 * its own limited to 3 GB of address space ({@code ulimit -v}) and asks for 2^31 - 2 floats (8
 * GiB), which the limit refuses before any memory is used.
 */
public class OutOfMemoryTrainingTest {

    private static final String ALLOCATE_AT = "segloss.test.allocateAt";
    private static final String LINE =
            "segloss-train: out of memory on a batch of 4 images of 32x32 on cpu(); try a smaller"
                    + " --batch-size (e.g. 2)";

    private static List<String> args(String task, Path output, String engine) {
        return new ArrayList<>(
                List.of(
                        task,
                        "--output",
                        output.toString(),
                        "--engine",
                        engine,
                        "--epochs",
                        "2",
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
    }

    private static void assertNoCheckpoint(Path output) throws IOException {
        assertEquals(Checkpoints.checkpoints(output.resolve("checkpoints")), List.of());
    }

    private static SeglossTrainTest.Run runAllocating(String allocateAt, List<String> args) {
        System.setProperty(ALLOCATE_AT, allocateAt);
        try {
            return SeglossTrainTest.run(args.toArray(new String[0]));
        } finally {
            System.clearProperty(ALLOCATE_AT);
        }
    }

    @Test
    public void aBatchTooLargeForPyTorchSaysSoInOneLine() throws IOException {
        for (String task : List.of("semantic", "mask")) {
            Path output = Files.createTempDirectory("segloss-oom");
            SeglossTrainTest.Run run =
                    runAllocating("1:2:" + (1L << 46), args(task, output, "PyTorch"));
            assertEquals(run.code(), SeglossTrain.OUT_OF_MEMORY, task + ": " + run.err());
            assertEquals(ErrorLine.of(run), LINE, task);
            assertNoCheckpoint(output);
        }
    }

    @Test
    public void aBatchTooLargeForMxNetSaysSoInOneLine() throws Exception {
        Path output = Files.createTempDirectory("segloss-oom-mx");
        try (ChildRun run =
                ChildRun.start(
                        Map.of(ALLOCATE_AT, "1:2:" + ((1L << 31) - 2)),
                        List.of(
                                "-Xmx256m",
                                "-XX:CompressedClassSpaceSize=64m",
                                "-XX:ReservedCodeCacheSize=64m"),
                        "ulimit -v 3000000 && export MALLOC_ARENA_MAX=2",
                        args("semantic", output, "MXNet"))) {
            assertEquals(run.waitFor(), SeglossTrain.OUT_OF_MEMORY, run.output());
            List<String> lines = run.output().lines().toList();
            assertTrue(lines.contains(LINE), run.output());
            assertTrue(
                    lines.stream().noneMatch(l -> l.contains("Exception") || l.contains("\tat ")),
                    "no stack trace: " + run.output());
        }
        assertNoCheckpoint(output);
    }
}
