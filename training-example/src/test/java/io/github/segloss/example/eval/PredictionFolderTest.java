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
        new PredictionFolder(folder, "run1", "attempt-1").write("a/b", PICTURE, new int[] {0, 1});
        new PredictionFolder(folder, "run1", "attempt-2").write("a/b", PICTURE, new int[] {1, 1});
        assertEquals(names(folder), List.of("a_b-overlay.png", "a_b.png"));
        // the last attempt's content
        assertEquals(Palette.readClassIdPng(folder.resolve("a_b.png")), new int[] {1, 1});
    }

    @Test
    public void leftoversOfKilledWritersAreDeletedAndNothingElse() throws IOException {
        Path folder = Files.createTempDirectory("segloss-predictions");
        Files.writeString(folder.resolve(".x.png.app-1.attempt-3.tmp"), "half");
        Files.writeString(folder.resolve("..x.png.app-1.attempt-3.tmp.k2j4.tmp"), "half");
        // another evaluation writing into the same folder now: its files are not ours
        Files.writeString(folder.resolve(".x.png.app-2.attempt-3.tmp"), "in flight");
        Files.writeString(folder.resolve("..y.png.app-2.attempt-1.tmp.9zz.tmp"), "in flight");
        Files.writeString(folder.resolve(".mine.tmp"), "keep");
        Files.writeString(folder.resolve("x.png"), "keep");
        assertEquals(
                PredictionFolder.deleteLeftovers(folder, "app-1").stream().sorted().toList(),
                List.of("..x.png.app-1.attempt-3.tmp.k2j4.tmp", ".x.png.app-1.attempt-3.tmp"));
        assertEquals(
                names(folder),
                List.of(
                        "..y.png.app-2.attempt-1.tmp.9zz.tmp",
                        ".mine.tmp",
                        ".x.png.app-2.attempt-3.tmp",
                        "x.png"));
    }

    /**
     * Two evaluations (two processes) writing the same images into one folder at once: each writes
     * under its own temporary names, so neither renames the other's half-written file, and each
     * image ends as one whole file.
     */
    @Test
    public void twoRunsWritingOneFolderAtOnceKeepTheirTemporaryFilesApart() throws Exception {
        Path folder = Files.createTempDirectory("segloss-predictions");
        String first = PredictionFolder.newRun();
        String second = PredictionFolder.newRun();
        assertTrue(!first.equals(second), first + " and " + second + " must differ");
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
            for (String run : List.of(first, second)) {
                runs.add(
                        pool.submit(
                                () -> {
                                    PredictionFolder writer =
                                            new PredictionFolder(folder, run, "local");
                                    for (int i = 0; i < 200; i++) {
                                        writer.write("img" + (i % 5), PICTURE, new int[] {0, 1});
                                    }
                                    return null;
                                }));
            }
            for (java.util.concurrent.Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(
                names(folder).size(), 10, "one mask and one overlay per image: " + names(folder));
        for (int i = 0; i < 5; i++) {
            assertEquals(
                    Palette.readClassIdPng(folder.resolve("img" + i + ".png")), new int[] {0, 1});
        }
    }

    @Test
    public void aRunOrWriterThatCouldLeaveTheFolderIsRefused() {
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> new PredictionFolder(Path.of("out"), "../x", "w"));
        assertTrue(
                e.getMessage().contains("run must be") && e.getMessage().contains("got ../x"),
                e.getMessage());
        e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> new PredictionFolder(Path.of("out"), "r", "a.b"));
        assertTrue(e.getMessage().contains("writer must be"), e.getMessage());
        assertEquals(PredictionFolder.runOf("local-1733/x.y"), "local-1733_x_y");
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return List.copyOf(new TreeSet<>(files.map(f -> f.getFileName().toString()).toList()));
        }
    }
}
