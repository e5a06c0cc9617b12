package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.github.segloss.example.SeglossTrain;
import io.github.segloss.example.cli.SeglossTrainTest;
import io.github.segloss.example.report.Palette;
import io.github.segloss.example.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.testng.annotations.AfterClass;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

/**
 * {@code segloss-train predict} against hostile inputs and outputs: an output folder equal to,
 * inside or a link into the input, outputs that are input files, two images that would write one
 * mask, and folders of empty, truncated, corrupt, oversized, unreadable or oddly named images. Each
 * case ends in the documented way: one line and exit code 2 before anything is written, or (for bad
 * images in a folder) one line per skipped image, the others segmented, then exit code 2.
 */
public class PredictHostileTest {

    /** Tiny images in one folder: enough to show nothing is printed or kept per image. */
    private static final int IMAGES = 100;

    private Path run;
    private Path checkpoint;
    private Path root;

    @BeforeClass
    void trainACheckpoint() throws IOException {
        run = Files.createTempDirectory("segloss-predict-ckpt");
        SeglossTrainTest.Run trained =
                SeglossTrainTest.run(
                        "semantic",
                        "--output",
                        run.toString(),
                        "--image-size",
                        "32",
                        "--width",
                        "4",
                        "--batch-size",
                        "4",
                        "--synthetic-count",
                        "8",
                        "--max-batches",
                        "1",
                        "--epochs",
                        "1");
        assertEquals(trained.code(), 0, trained.err());
        checkpoint = Checkpoints.latest(run.resolve("checkpoints")).orElseThrow();
    }

    @AfterClass(alwaysRun = true)
    void deleteCheckpoint() {
        TestFiles.delete(run);
    }

    @BeforeMethod
    void createRoot() throws IOException {
        root = Files.createTempDirectory("segloss-predict-hostile");
    }

    @AfterMethod(alwaysRun = true)
    void deleteRoot() throws IOException {
        if (Files.isDirectory(root)) {
            // a test may leave a folder without permissions
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.toList()) {
                    if (!Files.isSymbolicLink(p)) {
                        p.toFile().setReadable(true);
                        p.toFile().setWritable(true);
                        p.toFile().setExecutable(true);
                    }
                }
            }
        }
        TestFiles.delete(root);
    }

    private SeglossTrainTest.Run predict(Path input, Path output, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "predict",
                                "--checkpoint",
                                checkpoint.toString(),
                                "--input",
                                input.toString(),
                                "--output",
                                output.toString()));
        args.addAll(Arrays.asList(more));
        return SeglossTrainTest.run(args.toArray(new String[0]));
    }

    /** The lines of standard error, DJL's start-up log left aside. */
    private static List<String> errorLines(SeglossTrainTest.Run run) {
        return run.err()
                .lines()
                .filter(l -> !l.isBlank())
                .filter(l -> !l.matches("\\[[^]]+] (INFO|WARN) ai\\.djl\\..*"))
                .toList();
    }

    /** Asserts exit code 2 with exactly one line on standard error holding every fragment. */
    private static void refused(SeglossTrainTest.Run run, String... fragments) {
        assertEquals(run.code(), SeglossTrain.USAGE, run.out() + run.err());
        List<String> lines = errorLines(run);
        assertEquals(lines.size(), 1, run.err());
        for (String fragment : fragments) {
            assertTrue(lines.get(0).contains(fragment), "'" + fragment + "' in " + lines.get(0));
        }
    }

    /** Three images in root/photos, returned with their bytes for later comparison. */
    private Path photos() {
        Path photos = root.resolve("photos");
        TestFiles.rgb(photos.resolve("a.png"), 20, 14);
        TestFiles.rgb(photos.resolve("b.jpg"), 17, 9);
        TestFiles.rgb(photos.resolve("c.jpeg"), 9, 12);
        return photos;
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[][] contents(Path folder) throws IOException {
        List<byte[]> all = new ArrayList<>();
        for (String name : names(folder)) {
            all.add(Files.readAllBytes(folder.resolve(name)));
        }
        return all.toArray(new byte[0][]);
    }

    @Test
    public void anOutputEqualToOrInsideTheInputIsRefusedAndNothingIsWritten() throws IOException {
        Path photos = photos();
        byte[][] before = contents(photos);
        Path link = Files.createSymbolicLink(root.resolve("link"), photos);
        Path up = root.resolve("elsewhere");
        Files.createDirectories(up);
        List<Path> outputs =
                List.of(
                        photos,
                        photos.resolve("masks"),
                        photos.resolve("masks/deeper"),
                        link,
                        link.resolve("masks"),
                        up.resolve("../photos"),
                        up.resolve("../photos/./masks"),
                        root.resolve("link/../photos/masks"));
        for (Path output : outputs) {
            SeglossTrainTest.Run run = predict(photos, output);
            refused(run, "--output " + output, "--input " + photos, "outside the input");
            assertEquals(names(photos), List.of("a.png", "b.jpg", "c.jpeg"), "for " + output);
            assertEquals(contents(photos), before, "the photos are untouched, for " + output);
        }
        // the same input through a link is still the same folder
        refused(predict(link, photos.resolve("masks")), "outside the input");
        assertEquals(names(photos), List.of("a.png", "b.jpg", "c.jpeg"));
    }

    @Test
    public void anOutputBesideTheInputFolderIsAccepted() throws IOException {
        Path photos = photos();
        // a sibling whose name starts like the input's is not inside it
        Path masks = root.resolve("photos-masks");
        SeglossTrainTest.Run run = predict(photos, masks);
        assertEquals(run.code(), 0, run.err());
        assertEquals(
                names(masks),
                List.of(
                        "a-overlay.png",
                        "a.png",
                        "b-overlay.png",
                        "b.png",
                        "c-overlay.png",
                        "c.png"));
        assertEquals(Palette.readClassIdPng(masks.resolve("b.png")).length, 17 * 9);
    }

    @Test
    public void aSingleImageIsNeverWrittenOver() throws IOException {
        Path photos = photos();
        Path a = photos.resolve("a.png");
        byte[] before = Files.readAllBytes(a);
        // a.png's mask would be a.png itself
        refused(predict(a, photos), "a.png is the input image", "never writes over an input");
        assertEquals(Files.readAllBytes(a), before);
        // an image inside a "folder" that is the input file
        refused(predict(a, a.resolve("masks")), "outside the input");
        refused(predict(a, a), "outside the input");
        assertEquals(Files.readAllBytes(a), before);
        assertEquals(names(photos), List.of("a.png", "b.jpg", "c.jpeg"));
    }

    @Test
    public void aSingleImageIntoItsOwnFolderWritesNewFilesOnlyAndNeverReplacesOne()
            throws IOException {
        Path photos = photos();
        Path b = photos.resolve("b.jpg");
        SeglossTrainTest.Run first = predict(b, photos);
        assertEquals(first.code(), 0, first.err());
        assertEquals(names(photos), List.of("a.png", "b-overlay.png", "b.jpg", "b.png", "c.jpeg"));
        // now b.png exists beside the input: it may be the user's own photo, so it is kept
        byte[] mask = Files.readAllBytes(photos.resolve("b.png"));
        refused(predict(b, photos), "b.png exists there", "does not replace files beside");
        assertEquals(Files.readAllBytes(photos.resolve("b.png")), mask);
    }

    @Test
    public void anOutputLinkedOrHardLinkedToAnInputIsRefused() throws IOException {
        Path photos = photos();
        byte[][] before = contents(photos);
        Path soft = Files.createDirectories(root.resolve("soft"));
        Files.createSymbolicLink(soft.resolve("a.png"), photos.resolve("a.png"));
        refused(predict(photos, soft), "a.png is the input image");
        Path hard = Files.createDirectories(root.resolve("hard"));
        Files.createLink(hard.resolve("b-overlay.png"), photos.resolve("b.jpg"));
        refused(predict(photos, hard), "b-overlay.png is the input image");
        assertEquals(contents(photos), before);
    }

    @Test
    public void twoImagesThatWouldWriteOneFileAreRefusedUpFront() throws IOException {
        Path photos = photos();
        TestFiles.rgb(photos.resolve("a.jpg"), 8, 8);
        TestFiles.rgb(photos.resolve("c-overlay.png"), 8, 8);
        Path masks = root.resolve("masks");
        refused(
                predict(photos, masks),
                "2 group(s) of images would write the same output files",
                "a.jpg and a.png (a.png, a-overlay.png); c-overlay.png and c.jpeg (c-overlay.png)",
                "rename the images");
        assertFalse(Files.exists(masks), "nothing is written");
    }

    @Test
    public void anOutputThatIsAFileOrUnderAFileIsRefused() throws IOException {
        Path photos = photos();
        Path file = Files.writeString(root.resolve("notes.txt"), "keep me");
        refused(predict(photos, file), "--output " + file, "is a file");
        refused(predict(photos, file.resolve("masks")), "--output " + file.resolve("masks"));
        assertEquals(Files.readString(file), "keep me");
    }

    @Test
    public void aMissingOrEmptyInputIsRefused() throws IOException {
        refused(
                predict(root.resolve("nothing"), root.resolve("out")),
                "--input " + root.resolve("nothing"),
                "no such file or folder");
        Path empty = Files.createDirectories(root.resolve("empty"));
        TestFiles.text(empty.resolve("readme.txt"), "no images");
        refused(predict(empty, root.resolve("out")), "no PNG or JPEG image");
    }

    @Test
    public void aDecompressionBombIsRefusedFromItsHeader() throws IOException {
        Path bomb = root.resolve("bomb.png");
        HostileFiles.pngBomb(bomb, 60_000, 60_000);
        refused(
                predict(bomb, root.resolve("out")),
                "bomb.png",
                "60000x60000",
                "above the limit of 64000000 (--max-image-pixels)");
        Path small = root.resolve("small.png");
        TestFiles.rgb(small, 20, 10);
        refused(
                predict(small, root.resolve("out"), "--max-image-pixels", "199"),
                "small.png",
                "20x10 = 200 pixels, above the limit of 199");
        refused(
                predict(small, root.resolve("out"), "--max-image-pixels", "0"),
                "--max-image-pixels must be >= 1, got 0");
        SeglossTrainTest.Run fits =
                predict(small, root.resolve("out"), "--max-image-pixels", "200");
        assertEquals(fits.code(), 0, fits.err());
    }

    @Test
    public void badImagesInAFolderAreSkippedOneLineEachAndTheRunEndsWithExitCodeTwo()
            throws Exception {
        Path in = Files.createDirectories(root.resolve("in"));
        TestFiles.rgb(in.resolve("good.png"), 21, 13);
        String odd = "ünï cødé -x; $(y) 'q'.png";
        TestFiles.rgb(in.resolve(odd), 7, 5);
        HostileFiles.empty(in.resolve("empty.png"));
        HostileFiles.notAnImage(in.resolve("text.jpg"));
        byte[] png = HostileFiles.noisy("png", 40, 40);
        HostileFiles.truncatedPng(in.resolve("truncated.png"), png);
        HostileFiles.corruptPng(in.resolve("corrupt.png"), png);
        HostileFiles.truncatedJpeg(in.resolve("cut.jpg"), HostileFiles.noisy("jpg", 40, 40));
        HostileFiles.pngBomb(in.resolve("bomb.png"), 60_000, 60_000);
        Files.createDirectories(in.resolve("folder.png"));
        Files.createSymbolicLink(in.resolve("broken.png"), in.resolve("gone.png"));
        HostileFiles.empty(in.resolve("new\nline.png"));
        Process fifo = new ProcessBuilder("mkfifo", in.resolve("pipe.png").toString()).start();
        assertEquals(fifo.waitFor(), 0, "mkfifo");
        // left out, not reported: hidden files, other extensions, subfolders of other names
        HostileFiles.empty(in.resolve(".hidden.png"));
        TestFiles.text(in.resolve("notes.txt"), "not an image");
        Files.createDirectories(in.resolve("sub"));
        Path out = root.resolve("out");

        SeglossTrainTest.Run run = predict(in, out);

        assertEquals(run.code(), SeglossTrain.USAGE, run.out() + run.err());
        List<String> lines = errorLines(run);
        List<String> bad =
                List.of(
                        "bomb.png",
                        "broken.png",
                        "corrupt.png",
                        "cut.jpg",
                        "empty.png",
                        "folder.png",
                        "new\\u000aline.png",
                        "pipe.png",
                        "text.jpg",
                        "truncated.png");
        assertEquals(lines.size(), bad.size() + 1, run.err());
        for (int i = 0; i < bad.size(); i++) {
            assertTrue(
                    lines.get(i).startsWith("segloss-train: skipped " + in.resolve("x").getParent())
                            && lines.get(i).contains(bad.get(i)),
                    bad.get(i) + " in " + lines.get(i));
        }
        assertTrue(lines.get(bad.size()).contains("10 of 12 image(s) could not be segmented"));
        assertTrue(run.out().contains("segmented 2 of 12 image(s)"), run.out());
        String oddStem = odd.substring(0, odd.length() - 4);
        assertEquals(
                names(out),
                List.of(
                        "good-overlay.png",
                        "good.png",
                        oddStem + "-overlay.png",
                        oddStem + ".png"));
        assertEquals(Palette.readClassIdPng(out.resolve(oddStem + ".png")).length, 7 * 5);
    }

    @Test
    public void aFileWithoutReadPermissionIsSkippedUnlessTheUserMayReadIt() throws IOException {
        Path in = Files.createDirectories(root.resolve("in"));
        TestFiles.rgb(in.resolve("good.png"), 6, 6);
        Path locked = in.resolve("locked.png");
        TestFiles.rgb(locked, 6, 6);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        SeglossTrainTest.Run run = predict(in, root.resolve("out"));
        if (Files.isReadable(locked)) {
            // root reads every file: the image is segmented like the others
            assertEquals(run.code(), 0, run.err());
            assertTrue(Files.isRegularFile(root.resolve("out/locked.png")));
        } else {
            assertEquals(run.code(), SeglossTrain.USAGE, run.err());
            assertTrue(errorLines(run).get(0).contains("locked.png: cannot read image"), run.err());
            assertFalse(Files.exists(root.resolve("out/locked.png")));
        }
        assertTrue(Files.isRegularFile(root.resolve("out/good.png")));
    }

    @Test
    public void aReadOnlyOutputFolderIsOneLine() throws IOException {
        Path photos = photos();
        Path out = Files.createDirectories(root.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r-xr-xr-x"));
        SeglossTrainTest.Run run = predict(photos, out);
        if (Files.isWritable(out)) {
            // root writes anywhere
            assertEquals(run.code(), 0, run.err());
        } else {
            refused(run, "--output " + out, "not writable");
        }
    }

    @Test
    public void manyTinyImagesAreSegmentedWithBoundedOutput() throws IOException {
        Path in = Files.createDirectories(root.resolve("many"));
        byte[] tiny = HostileFiles.noisy("png", 2, 2);
        for (int i = 0; i < IMAGES; i++) {
            HostileFiles.write(in.resolve(String.format("img-%04d.png", i)), tiny);
        }
        Path out = root.resolve("out");
        SeglossTrainTest.Run run = predict(in, out);
        assertEquals(run.code(), 0, run.err());
        assertEquals(errorLines(run), List.of());
        assertEquals(run.out().lines().filter(l -> l.startsWith("segmented")).count(), 1L);
        assertTrue(run.out().lines().count() <= 2, "one summary line, not one per image");
        assertEquals(names(out).size(), 2 * IMAGES);
        assertEquals(Palette.readClassIdPng(out.resolve("img-0099.png")).length, 4);
    }
}
