package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

/** {@link ImageFiles} refuses hostile images and masks with the file and the problem. */
public class ImageFilesTest {

    private static final long LIMIT = DataChecks.DEFAULT_MAX_IMAGE_PIXELS;

    /** Decoding 20000 x 20000 RGB pixels would allocate at least 1.2 GB; refusing, almost none. */
    private static final long MAX_REFUSAL_ALLOCATION = 8L << 20;

    private Path folder;

    @BeforeMethod
    void createFolder() throws IOException {
        folder = Files.createTempDirectory("segloss-images");
    }

    @AfterMethod(alwaysRun = true)
    void deleteFolder() {
        TestFiles.delete(folder);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    /** Asserts that reading the file is refused, fast and without allocating its pixels. */
    private static void expectRefusedBeforeDecoding(Runnable read, String... fragments) {
        long before = allocatedBytes();
        long start = System.nanoTime();
        Expect.illegalArgument(read, fragments);
        double seconds = (System.nanoTime() - start) / 1e9;
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < MAX_REFUSAL_ALLOCATION, "allocated " + allocated + " bytes");
        assertTrue(seconds < 5, "took " + seconds + " s");
    }

    @Test
    public void emptyImageIsRefused() {
        Path file = folder.resolve("empty.png");
        HostileFiles.empty(file);
        Expect.illegalArgument(
                () -> ImageFiles.readRgb(file, LIMIT), file.toString(), "image file is empty");
    }

    @Test
    public void emptyMaskIsRefused() {
        Path file = folder.resolve("empty-mask.png");
        HostileFiles.empty(file);
        Expect.illegalArgument(
                () -> ImageFiles.readLabels(file, LIMIT),
                file.toString(),
                "mask file is empty (0 bytes)");
    }

    @Test
    public void textNamedPngIsRefused() {
        Path file = folder.resolve("text.png");
        HostileFiles.notAnImage(file);
        Expect.illegalArgument(
                () -> ImageFiles.readRgb(file, LIMIT),
                file.toString(),
                "not a PNG, JPEG, BMP or GIF image");
    }

    @Test
    public void truncatedPngImageIsRefused() {
        Path file = folder.resolve("cut.png");
        HostileFiles.truncatedPng(file, HostileFiles.noisy("png", 40, 30));
        Expect.illegalArgument(
                () -> ImageFiles.readRgb(file, LIMIT), file.toString(), "truncated PNG image");
    }

    @Test
    public void truncatedPngMaskIsRefused() throws IOException {
        Path file = folder.resolve("cut-mask.png");
        TestFiles.grey(folder.resolve("whole.png"), 40, new int[40 * 30]);
        HostileFiles.truncatedPng(file, Files.readAllBytes(folder.resolve("whole.png")));
        Expect.illegalArgument(
                () -> ImageFiles.readLabels(file, LIMIT), file.toString(), "truncated PNG mask");
    }

    @Test
    public void truncatedJpegIsRefusedThoughImageIoWouldDecodeIt() throws IOException {
        Path file = folder.resolve("cut.jpg");
        HostileFiles.truncatedJpeg(file, HostileFiles.noisy("jpg", 40, 30));
        // ImageIO.read returns a picture, its missing part grey, with a warning only.
        assertEquals(javax.imageio.ImageIO.read(file.toFile()).getWidth(), 40);
        Expect.illegalArgument(
                () -> ImageFiles.readRgb(file, LIMIT),
                file.toString(),
                "truncated JPEG image",
                "Missing EOI marker");
    }

    @Test
    public void jpegCutInsideItsHeaderIsRefused() {
        Path file = folder.resolve("header.jpg");
        byte[] jpeg = HostileFiles.noisy("jpg", 40, 30);
        HostileFiles.write(file, java.util.Arrays.copyOf(jpeg, 100));
        Expect.illegalArgument(() -> ImageFiles.readRgb(file, LIMIT), file.toString(), "JPEG");
    }

    @Test
    public void corruptPngDataIsRefused() {
        Path file = folder.resolve("corrupt.png");
        HostileFiles.corruptPng(file, HostileFiles.noisy("png", 40, 30));
        Expect.illegalArgument(
                () -> ImageFiles.readRgb(file, LIMIT), file.toString(), "corrupt PNG image");
    }

    @Test
    public void pngBombIsRefusedFromItsHeaderWithoutDecoding() throws IOException {
        Path file = folder.resolve("bomb.png");
        HostileFiles.pngBomb(file, 20000, 20000);
        assertTrue(Files.size(file) < 200, "the bomb is " + Files.size(file) + " bytes");
        expectRefusedBeforeDecoding(
                () -> ImageFiles.readRgb(file, LIMIT),
                file.toString(),
                "image declares 20000x20000 = 400000000 pixels",
                "above the limit of 64000000 (--max-image-pixels)",
                "refused before decoding");
    }

    @Test
    public void pngBombMaskIsRefusedFromItsHeaderWithoutDecoding() {
        Path file = folder.resolve("bomb-mask.png");
        HostileFiles.pngBomb(file, 30000, 30000);
        expectRefusedBeforeDecoding(
                () -> ImageFiles.readLabels(file, LIMIT),
                file.toString(),
                "mask declares 30000x30000 = 900000000 pixels");
    }

    @Test
    public void jpegBombIsRefusedFromItsHeaderWithoutDecoding() {
        Path file = folder.resolve("bomb.jpg");
        HostileFiles.jpegBomb(file, 20000, 20000);
        expectRefusedBeforeDecoding(
                () -> ImageFiles.readRgb(file, LIMIT),
                file.toString(),
                "image declares 20000x20000 = 400000000 pixels");
    }

    @Test
    public void pixelLimitIsInclusive() {
        Path file = folder.resolve("small.png");
        TestFiles.rgb(file, 40, 30);
        assertEquals(ImageFiles.readRgb(file, 1200).width(), 40);
        Expect.illegalArgument(
                () -> ImageFiles.readRgb(file, 1199),
                "image declares 40x30 = 1200 pixels, above the limit of 1199");
    }
}
