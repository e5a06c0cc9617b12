package io.github.segloss.spark;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** The {@code segloss-eval} command line: options, errors and exit codes, and one real run. */
public class SeglossEvalTest {

    private TinyRun run;

    @BeforeClass
    public void data() throws IOException {
        run = TinyRun.get();
    }

    private static TinyRun.Result eval(String... args) {
        return TinyRun.capture(() -> SeglossEval.execute(args));
    }

    /** The lines the command itself wrote on the error stream (Spark's log lines aside). */
    private static List<String> commandLines(String err) {
        return err.lines().filter(line -> line.startsWith("segloss-eval: ")).toList();
    }

    @Test
    public void helpListsEveryOptionOfTheSynopsis() {
        TinyRun.Result result = eval("--help");
        assertEquals(result.code(), 0);
        for (String option :
                List.of(
                        "--model",
                        "--data",
                        "--format",
                        "--master",
                        "--partitions",
                        "--output",
                        "--predictions",
                        "--fail-on-bad",
                        "--help")) {
            assertTrue(result.out().contains(option), option + " missing in " + result.out());
        }
    }

    @Test
    public void aMissingRequiredOptionIsOneLineAndExitCode2() {
        TinyRun.Result result = eval("--data", "somewhere");
        assertEquals(result.code(), SeglossEval.USAGE);
        assertEquals(result.err().lines().count(), 1L, result.err());
        assertTrue(result.err().contains("--model"), result.err());
    }

    @Test
    public void anUnknownOptionIsOneLineAndExitCode2() {
        TinyRun.Result result = eval("--model", "m", "--data", "d", "--workers", "3");
        assertEquals(result.code(), SeglossEval.USAGE);
        assertEquals(result.err().lines().count(), 1L, result.err());
        assertTrue(result.err().contains("--workers"), result.err());
    }

    @Test
    public void aNegativePartitionCountIsOneLineNamingItAndExitCode2() {
        TinyRun.Result result = eval("--model", "m", "--data", "d", "--partitions", "-1");
        assertEquals(result.code(), SeglossEval.USAGE);
        assertEquals(result.err().strip(), "segloss-eval: --partitions must be >= 1, got -1");
    }

    @Test
    public void anUnknownFormatIsOneLineNamingTheFormatsAndExitCode2() {
        TinyRun.Result result = eval("--model", "m", "--data", "d", "--format", "csv");
        assertEquals(result.code(), SeglossEval.USAGE);
        assertEquals(
                result.err().strip(),
                "segloss-eval: --format must be one of [folder, voc, coco, images], got csv");
    }

    @Test
    public void zeroPartitionsIsOneLineNamingItAndExitCode2() {
        TinyRun.Result result = eval("--model", "m", "--data", "d", "--partitions", "0");
        assertEquals(result.code(), SeglossEval.USAGE);
        assertEquals(result.err().strip(), "segloss-eval: --partitions must be >= 1, got 0");
    }

    @Test
    public void aMissingModelIsOneLineNamingItAndExitCode2() throws IOException {
        Path output = Files.createTempDirectory(run.root, "cli-missing");
        String model = run.root.resolve("no-such-model").toString();
        TinyRun.Result result =
                eval(
                        "--model",
                        model,
                        "--data",
                        run.data.toString(),
                        "--master",
                        "local[1]",
                        "--output",
                        output.toString());
        assertEquals(result.code(), SeglossEval.USAGE, result.err());
        List<String> lines = commandLines(result.err());
        assertEquals(lines.size(), 1, result.err());
        assertTrue(lines.get(0).contains("--model " + model), lines.get(0));
    }

    @Test
    public void theCommandWritesTheSingleProcessMetricsAndFailsOnBadImagesWhenAsked()
            throws IOException {
        Path single = Files.createTempDirectory(run.root, "cli-single");
        assertEquals(run.evaluate(single).code(), 0);
        Path output = Files.createTempDirectory(run.root, "cli-spark");
        TinyRun.Result result =
                eval(
                        "--model",
                        run.checkpoint.toString(),
                        "--data",
                        run.data.toString(),
                        "--master",
                        "local[2]",
                        "--partitions",
                        "3",
                        "--output",
                        output.toString());
        assertEquals(result.code(), 0, result.err());
        JsonObject expected = TinyRun.metrics(single);
        JsonObject actual = TinyRun.metrics(output);
        assertEquals(actual.get("confusionMatrix"), expected.get("confusionMatrix"));
        assertEquals(actual.get("mIoU"), expected.get("mIoU"));
        assertEquals(actual.get("badImages").getAsLong(), TinyRun.BAD);
        // each bad image named once, in one line
        assertEquals(commandLines(result.err()).size(), TinyRun.BAD, result.err());

        Path fatal = Files.createTempDirectory(run.root, "cli-fatal");
        result =
                eval(
                        "--model",
                        run.checkpoint.toString(),
                        "--data",
                        run.data.toString(),
                        "--master",
                        "local[2]",
                        "--output",
                        fatal.toString(),
                        "--fail-on-bad");
        assertEquals(result.code(), SeglossEval.USAGE, result.err());
        List<String> lines = commandLines(result.err());
        assertEquals(lines.size(), 1, result.err());
        assertTrue(
                lines.get(0).startsWith("segloss-eval: bad image (--fail-on-bad): "), lines.get(0));
        assertTrue(Files.notExists(fatal.resolve("metrics.json")));
    }
}
