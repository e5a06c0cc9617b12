package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.github.segloss.example.SeglossTrain;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.data.Sample;
import io.github.segloss.example.data.SampleSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code segloss-train export-synthetic}: the folder it writes reads back as the synthetic splits
 * that {@code semantic} trains on, images up to 8-bit quantisation.
 */
public class ExportSyntheticTest {

    private static final List<String> CLASSES = List.of("background", "star", "circle");

    @Test
    public void exportedFolderReadsBackAsTheSyntheticSplits() throws IOException {
        Path output = Files.createTempDirectory("segloss-export").resolve("shapes");
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "export-synthetic",
                        "--output",
                        output.toString(),
                        "--synthetic-count",
                        "9",
                        "--image-size",
                        "32",
                        "--seed",
                        "5",
                        "--synthetic-classes",
                        String.join(",", CLASSES));
        assertEquals(run.code(), 0, run.err());
        assertTrue(run.out().contains("wrote 11 synthetic images (train 9, val 2)"), run.out());
        // the splits of SemanticTraining.open: count from seed, count / 4 from ~seed
        assertSameSamples(
                DataSources.open("folder", output, "train", 0.2, 0),
                DataSources.synthetic(9, 32, CLASSES, 5));
        assertSameSamples(
                DataSources.open("folder", output, "val", 0.2, 0),
                DataSources.synthetic(2, 32, CLASSES, ~5L));
    }

    @Test
    public void refusesAFolderThatIsNotEmpty() throws IOException {
        Path output = Files.createTempDirectory("segloss-export");
        Files.writeString(output.resolve("notes.txt"), "mine");
        SeglossTrainTest.Run run =
                SeglossTrainTest.run("export-synthetic", "--output", output.toString());
        assertEquals(run.code(), SeglossTrain.USAGE);
        assertEquals(
                ErrorLine.of(run),
                "segloss-train: --output "
                        + output
                        + ": expected a new or empty folder, got one with 1 entries");
        assertEquals(Files.readString(output.resolve("notes.txt")), "mine");
        assertEquals(Files.list(output).count(), 1L);
    }

    @Test
    public void refusesAnOutputThatIsAFile() throws IOException {
        Path file = Files.createTempFile("segloss-export", ".txt");
        SeglossTrainTest.Run run =
                SeglossTrainTest.run("export-synthetic", "--output", file.toString());
        assertEquals(run.code(), SeglossTrain.USAGE);
        assertEquals(
                ErrorLine.of(run),
                "segloss-train: --output " + file + ": expected a new or empty folder, got a file");
    }

    @Test
    public void refusesACountBelowOne() throws IOException {
        Path output = Files.createTempDirectory("segloss-export").resolve("none");
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "export-synthetic",
                        "--output",
                        output.toString(),
                        "--synthetic-count",
                        "0");
        assertEquals(run.code(), SeglossTrain.USAGE);
        assertEquals(ErrorLine.of(run), "segloss-train: --synthetic-count must be >= 1, got 0");
        assertTrue(Files.notExists(output));
    }

    @Test
    public void defaultsAreThoseOfSemantic() {
        CommandSpec semantic = new CommandLine(new SemanticCommand()).getCommandSpec();
        CommandSpec export = new CommandLine(new ExportSyntheticCommand()).getCommandSpec();
        for (String option :
                List.of("--synthetic-count", "--image-size", "--seed", "--synthetic-classes")) {
            assertEquals(
                    export.findOption(option).defaultValue(),
                    semantic.findOption(option).defaultValue(),
                    option);
        }
    }

    private static void assertSameSamples(SampleSource read, SampleSource generated) {
        assertEquals(read.classes(), generated.classes());
        assertEquals(read.size(), generated.size());
        for (int i = 0; i < generated.size(); i++) {
            Sample expected = generated.get(i);
            Sample actual = read.get(i);
            assertEquals(actual.height(), expected.height());
            assertEquals(actual.width(), expected.width());
            assertEquals(actual.semantic(), expected.semantic(), "labels of sample " + i);
            float[] image = actual.image();
            for (int p = 0; p < image.length; p++) {
                // 8 bits per channel: round(255 v) / 255
                assertEquals(image[p], expected.image()[p], 0.5f / 255 + 1e-6f, "sample " + i);
            }
        }
    }
}
