package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

/**
 * The Pascal VOC layout against hostile files, each crafted in a temporary dataset: every one is an
 * error naming the file and the problem, and with skipping on, a skipped and counted sample.
 */
public class VocHostileTest {

    private static final int WIDTH = 16;
    private static final int HEIGHT = 8;
    private static final List<String> IDS =
            List.of("2007_000032", "2007_000039", "2007_000042", "2007_000061");

    private Path root;
    private Path outside;

    @BeforeMethod
    void writeDataset() throws IOException {
        root = Files.createTempDirectory("segloss-voc-hostile");
        outside = Files.createTempDirectory("segloss-outside");
        int[] classes = new int[WIDTH * HEIGHT];
        int[] objects = new int[WIDTH * HEIGHT];
        for (int i = 0; i < 3; i++) {
            classes[i] = 15;
            objects[i] = 1;
        }
        for (String id : IDS) {
            TestFiles.rgb(root.resolve("JPEGImages/" + id + ".jpg"), WIDTH, HEIGHT);
            TestFiles.palette(root.resolve("SegmentationClass/" + id + ".png"), WIDTH, classes);
            TestFiles.palette(root.resolve("SegmentationObject/" + id + ".png"), WIDTH, objects);
        }
        TestFiles.text(
                root.resolve("ImageSets/Segmentation/train.txt"), String.join("\n", IDS) + "\n");
    }

    @AfterMethod(alwaysRun = true)
    void deleteDataset() {
        TestFiles.delete(root);
        TestFiles.delete(outside);
    }

    private SampleSource open() {
        return DataSources.open("voc", root, "train", 0, 0);
    }

    private Path file(String folder, int sample) {
        String extension = folder.equals("JPEGImages") ? ".jpg" : ".png";
        return root.resolve(folder + "/" + IDS.get(sample) + extension);
    }

    private void list(String... ids) {
        TestFiles.text(
                root.resolve("ImageSets/Segmentation/train.txt"), String.join("\n", ids) + "\n");
    }

    @Test
    public void truncatedJpegNamesTheFile() {
        HostileFiles.truncatedJpeg(file("JPEGImages", 1), HostileFiles.noisy("jpg", 48, 32));
        SampleSource source = open();
        Expect.illegalArgument(
                () -> source.get(1), "JPEGImages/2007_000039.jpg", "truncated JPEG image");
    }

    @Test
    public void emptyJpegNamesTheFile() {
        HostileFiles.empty(file("JPEGImages", 2));
        SampleSource source = open();
        Expect.illegalArgument(
                () -> source.get(2), "JPEGImages/2007_000042.jpg", "image file is empty");
    }

    @Test
    public void jpegBombIsRefusedBeforeDecoding() {
        HostileFiles.jpegBomb(file("JPEGImages", 0), 30000, 30000);
        SampleSource source = open();
        Expect.illegalArgument(
                () -> source.get(0),
                "JPEGImages/2007_000032.jpg",
                "image declares 30000x30000",
                "refused before decoding");
    }

    @Test
    public void truncatedClassMaskNamesTheFile() throws IOException {
        Path mask = file("SegmentationClass", 3);
        HostileFiles.truncatedPng(mask, HostileFiles.noisy("png", WIDTH, HEIGHT));
        SampleSource source = open();
        Expect.illegalArgument(
                () -> source.get(3), "SegmentationClass/2007_000061.png", "truncated PNG mask");
    }

    @Test
    public void emptyObjectMaskNamesTheFile() {
        HostileFiles.empty(file("SegmentationObject", 0));
        SampleSource source = open();
        Expect.illegalArgument(
                () -> source.get(0), "SegmentationObject/2007_000032.png", "mask file is empty");
    }

    @Test
    public void classMaskOfAnotherSizeNamesBothSizes() {
        TestFiles.palette(file("SegmentationClass", 1), 8, new int[8 * 8]);
        SampleSource source = open();
        Expect.illegalArgument(
                () -> source.get(1),
                "SegmentationClass/2007_000039.png",
                "mask is 8x8",
                "image is 16x8");
    }

    @Test
    public void classMaskBombIsRefusedBeforeDecoding() {
        HostileFiles.pngBomb(file("SegmentationClass", 2), 10000, 10000);
        SampleSource source = open();
        Expect.illegalArgument(
                () -> source.get(2),
                "SegmentationClass/2007_000042.png",
                "mask declares 10000x10000");
    }

    @Test
    public void listedIdWithParentStepsIsRefused() {
        list(IDS.get(0), "../../etc/passwd");
        Expect.illegalArgument(
                this::open, "train.txt", "\"JPEGImages/../../etc/passwd.jpg\"", "must not contain");
    }

    @Test
    public void classMaskLinkLeadingOutsideIsRefused() throws IOException {
        Path mask = file("SegmentationClass", 2);
        Files.move(mask, outside.resolve("mask.png"));
        Files.createSymbolicLink(mask, outside.resolve("mask.png"));
        Expect.illegalArgument(
                this::open, "SegmentationClass/2007_000042.png", "outside the dataset");
    }

    @Test
    public void linkSwappedInAfterOpeningIsRefusedWhenRead() throws IOException {
        SampleSource source = open();
        Path image = file("JPEGImages", 3);
        Files.move(image, outside.resolve("x.jpg"));
        Files.createSymbolicLink(image, outside.resolve("x.jpg"));
        Expect.illegalArgument(
                () -> source.get(3), "JPEGImages/2007_000061.jpg", "outside the dataset");
    }

    @Test
    public void skippingCountsEachBadSampleOnce() throws IOException {
        HostileFiles.truncatedJpeg(file("JPEGImages", 0), HostileFiles.noisy("jpg", 48, 32));
        Files.delete(file("SegmentationObject", 1));
        HostileFiles.pngBomb(file("SegmentationClass", 2), 10000, 10000);
        List<String> log = new ArrayList<>();
        DataChecks checks = DataChecks.of(1 << 20, true, log::add);
        SampleSource source = DataSources.open("voc", root, "train", 0, 0, checks);
        assertEquals(source.size(), 3, "the sample without its object mask is left out");
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < source.size(); i++) {
                assertEquals(source.get(i).id(), IDS.get(3));
            }
        }
        assertEquals(checks.skippedSamples(), 3);
        assertEquals(log.size(), 3, String.valueOf(log));
        assertTrue(log.get(0).contains("SegmentationObject/2007_000039.png"), log.get(0));
    }
}
