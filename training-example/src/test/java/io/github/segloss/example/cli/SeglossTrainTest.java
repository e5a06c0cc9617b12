package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.github.segloss.example.SeglossTrain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.Test;

/** The command line: help, and one clear line with exit code 2 for bad input. */
public class SeglossTrainTest {

    /**
     * The exit code and what the command printed.
     *
     * @param code the exit code
     * @param out the standard output
     * @param err the standard error
     */
    public record Run(int code, String out, String err) {}

    /**
     * Runs the command in this JVM, capturing what it prints.
     *
     * @param args the command line
     * @return the exit code and the output
     */
    public static synchronized Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = SeglossTrain.execute(args);
            return new Run(
                    code,
                    outBytes.toString(StandardCharsets.UTF_8),
                    errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static long lines(String text) {
        return text.lines().filter(line -> !line.isBlank()).count();
    }

    @Test
    public void helpExplainsEveryOptionWithItsDefault() {
        Run run = run("semantic", "--help");
        assertEquals(run.code(), 0);
        for (String option :
                new String[] {
                    "--data",
                    "--format",
                    "--epochs",
                    "--batch-size",
                    "--image-size",
                    "--lr",
                    "--seed",
                    "--engine",
                    "--devices",
                    "--output",
                    "--pretrained",
                    "--freeze-backbone-epochs",
                    "--resume",
                    "--max-batches",
                    "--loss",
                    "--class-weights",
                    "--aux-weight"
                }) {
            assertTrue(run.out().contains(option), "help lacks " + option);
        }
        assertTrue(run.out().contains("default: ce"), run.out());
    }

    @Test
    public void unknownOptionIsOneLineAndExitCodeTwo() {
        Run run = run("--no-such-option");
        assertEquals(run.code(), SeglossTrain.USAGE);
        assertEquals(lines(run.err()), 1, run.err());
        assertTrue(run.err().contains("--no-such-option"), run.err());
    }

    @Test
    public void missingDataFolderIsOneLineAndExitCodeTwo() throws Exception {
        Path missing = Files.createTempDirectory("segloss").resolve("nowhere");
        Run run =
                run(
                        "--data",
                        missing.toString(),
                        "--output",
                        missing.resolveSibling("out").toString());
        assertEquals(run.code(), SeglossTrain.USAGE);
        assertEquals(lines(run.err()), 1, run.err());
        assertTrue(run.err().contains(missing.toString()), run.err());
    }

    @Test
    public void unknownLossIsOneLineAndExitCodeTwo() {
        Run run = run("--loss", "hinge");
        assertEquals(run.code(), SeglossTrain.USAGE);
        assertEquals(lines(run.err()), 1, run.err());
        assertTrue(run.err().contains("--loss") && run.err().contains("hinge"), run.err());
    }

    @Test
    public void datasetWithoutImagesIsOneLineAndExitCodeTwo() throws Exception {
        Path root = Files.createTempDirectory("segloss-empty");
        Files.createDirectories(root.resolve("images"));
        Files.createDirectories(root.resolve("masks"));
        Files.writeString(root.resolve("classes.txt"), "background\nthing\n");
        Run run =
                run(
                        "--data",
                        root.toString(),
                        "--format",
                        "folder",
                        "--output",
                        root.resolve("out").toString());
        assertEquals(run.code(), SeglossTrain.USAGE);
        assertEquals(lines(run.err()), 1, run.err());
    }
}
