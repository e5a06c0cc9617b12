package io.github.segloss.example.eval;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.github.segloss.example.report.Palette;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.testng.annotations.Test;

/** Prediction files: one whole file per image, whichever writer renames last. */
public class PredictionFolderTest {

    private static final EvaluationModel.Picture PICTURE =
            new EvaluationModel.Picture(1, 2, new float[] {0, 1, 0.5f, 0.5f, 1, 0});

    @Test
    public void twoAttemptsOfOneImageLeaveOneMaskAndOneOverlay() throws IOException {
        Path folder = Files.createTempDirectory("segloss-predictions");
        new PredictionFolder(folder, "attempt-1").write("a/b", PICTURE, new int[] {0, 1});
        new PredictionFolder(folder, "attempt-2").write("a/b", PICTURE, new int[] {1, 1});
        assertEquals(names(folder), List.of("a_b-overlay.png", "a_b.png"));
        // the last attempt's content
        assertEquals(Palette.readClassIdPng(folder.resolve("a_b.png")), new int[] {1, 1});
    }

    @Test
    public void leftoversOfKilledWritersAreDeletedAndNothingElse() throws IOException {
        Path folder = Files.createTempDirectory("segloss-predictions");
        Files.writeString(folder.resolve(".x.png.attempt-3.tmp"), "half");
        Files.writeString(folder.resolve("..x.png.attempt-3.tmp.k2j4.tmp"), "half");
        Files.writeString(folder.resolve(".mine.tmp"), "keep");
        Files.writeString(folder.resolve("x.png"), "keep");
        assertEquals(
                PredictionFolder.deleteLeftovers(folder).stream().sorted().toList(),
                List.of("..x.png.attempt-3.tmp.k2j4.tmp", ".x.png.attempt-3.tmp"));
        assertEquals(names(folder), List.of(".mine.tmp", "x.png"));
    }

    @Test
    public void aTagThatCouldLeaveTheFolderIsRefused() {
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> new PredictionFolder(Path.of("out"), "../x"));
        assertTrue(e.getMessage().contains("got ../x"), e.getMessage());
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return List.copyOf(new TreeSet<>(files.map(f -> f.getFileName().toString()).toList()));
        }
    }
}
