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
 * The folder format against hostile files, each crafted in a temporary dataset: every one is an
 * error naming the file and the problem, and with skipping on, a skipped and counted sample.
 */
public class FolderHostileTest {

    private static final int WIDTH = 4;
    private static final int HEIGHT = 3;
    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e", "f");

    private Path root;
    private Path outside;

    @BeforeMethod
    void writeDataset() throws IOException {
        root = Files.createTempDirectory("segloss-folder-hostile");
        outside = Files.createTempDirectory("segloss-outside");
        TestFiles.text(root.resolve("classes.txt"), "background\ncat\ndog\n");
        for (String name : NAMES) {
            TestFiles.rgb(root.resolve("images/" + name + ".png"), WIDTH, HEIGHT);
            TestFiles.palette(root.resolve("masks/" + name + ".png"), WIDTH, labels(name));
        }
        TestFiles.text(root.resolve("train.txt"), String.join("\n", NAMES) + "\n");
    }

    @AfterMethod(alwaysRun = true)
    void deleteDataset() {
        TestFiles.delete(root);
        TestFiles.delete(outside);
    }

    /** A distinct mask per sample (its first pixel is the name's position mod 3). */
    private static int[] labels(String name) {
        int[] labels = new int[WIDTH * HEIGHT];
        labels[0] = NAMES.indexOf(name) % 3;
        return labels;
    }

    private SampleSource open() {
        return DataSources.open("folder", root, "train", 0, 0);
    }

    private Path image(String name) {
        return root.resolve("images/" + name + ".png");
    }

    private Path mask(String name) {
        return root.resolve("masks/" + name + ".png");
    }

    private static int index(String name) {
        return NAMES.indexOf(name);
    }

    private byte[] bytes(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    @Test
    public void truncatedPngImageNamesTheFile() throws IOException {
        HostileFiles.truncatedPng(image("c"), HostileFiles.noisy("png", WIDTH, HEIGHT));
        SampleSource source = open();
        Expect.illegalArgument(() -> source.get(index("c")), "images/c.png", "truncated PNG");
    }

    @Test
    public void truncatedJpegImageNamesTheFile() throws IOException {
        Files.delete(image("b"));
        HostileFiles.truncatedJpeg(root.resolve("images/b.jpg"), HostileFiles.noisy("jpg", 24, 16));
        SampleSource source = open();
        Expect.illegalArgument(() -> source.get(index("b")), "images/b.jpg", "truncated JPEG");
    }

    @Test
    public void emptyImageNamesTheFile() {
        HostileFiles.empty(image("d"));
        SampleSource source = open();
        Expect.illegalArgument(
                () -> source.get(index("d")), "images/d.png", "image file is empty (0 bytes)");
    }

    @Test
    public void textInsteadOfAnImageNamesTheFile() {
        HostileFiles.notAnImage(image("d"));
        SampleSource source = open();
        Expect.illegalArgument(
                () -> source.get(index("d")), "images/d.png", "not a PNG, JPEG, BMP or GIF");
    }

    @Test
    public void emptyMaskNamesTheFile() {
        HostileFiles.empty(mask("a"));
        SampleSource source = open();
        Expect.illegalArgument(
                () -> source.get(index("a")), "masks/a.png", "mask file is empty (0 bytes)");
    }

    @Test
    public void truncatedMaskNamesTheFile() throws IOException {
        TestFiles.grey(mask("e"), 40, new int[40 * 30]);
        HostileFiles.truncatedPng(mask("e"), bytes(mask("e")));
        SampleSource source = open();
        Expect.illegalArgument(() -> source.get(index("e")), "masks/e.png", "truncated PNG mask");
    }

    @Test
    public void corruptMaskNamesTheFile() throws IOException {
        HostileFiles.corruptPng(mask("e"), HostileFiles.noisy("png", 40, 30));
        SampleSource source = open();
        Expect.illegalArgument(() -> source.get(index("e")), "masks/e.png", "corrupt PNG mask");
    }

    @Test
    public void imageBombIsRefusedBeforeDecoding() {
        HostileFiles.pngBomb(image("f"), 20000, 20000);
        SampleSource source = open();
        Expect.illegalArgument(
                () -> source.get(index("f")),
                "images/f.png",
                "declares 20000x20000",
                "refused before decoding");
    }

    @Test
    public void maskBombIsRefusedBeforeDecoding() {
        HostileFiles.pngBomb(mask("f"), 65535, 65535);
        SampleSource source = open();
        Expect.illegalArgument(
                () -> source.get(index("f")), "masks/f.png", "mask declares 65535x65535");
    }

    @Test
    public void pixelLimitIsTheChecksOne() {
        DataChecks checks = DataChecks.of(WIDTH * HEIGHT - 1, false, line -> {});
        SampleSource source = DataSources.open("folder", root, "train", 0, 0, checks);
        Expect.illegalArgument(
                () -> source.get(0), "images/a.png", "4x3 = 12 pixels, above the limit of 11");
    }

    @Test
    public void maskLinkLeadingOutsideIsRefused() throws IOException {
        TestFiles.palette(outside.resolve("secret.png"), WIDTH, new int[WIDTH * HEIGHT]);
        Files.delete(mask("b"));
        Files.createSymbolicLink(mask("b"), outside.resolve("secret.png"));
        Expect.illegalArgument(this::open, "masks/b.png", "link leads to", "outside the dataset");
    }

    @Test
    public void imageFolderLinkLeadingOutsideIsRefused() throws IOException {
        Files.move(root.resolve("images"), outside.resolve("images"));
        Files.createSymbolicLink(root.resolve("images"), outside.resolve("images"));
        Expect.illegalArgument(this::open, "images", "outside the dataset");
    }

    @Test
    public void classListLinkLeadingOutsideIsRefused() throws IOException {
        TestFiles.text(outside.resolve("passwd"), "root\n");
        Files.delete(root.resolve("classes.txt"));
        Files.createSymbolicLink(root.resolve("classes.txt"), outside.resolve("passwd"));
        Expect.illegalArgument(this::open, "classes.txt", "outside the dataset");
    }

    @Test
    public void linkThatStaysInsideIsAccepted() throws IOException {
        Path real = root.resolve("elsewhere/a.png");
        Files.createDirectories(real.getParent());
        Files.move(image("a"), real);
        Files.createSymbolicLink(image("a"), real);
        assertEquals(open().get(index("a")).height(), HEIGHT);
    }

    @Test
    public void listedAbsoluteNameReadsNothingOutside() {
        TestFiles.text(root.resolve("train.txt"), "a\n" + outside.resolve("x") + "\n");
        TestFiles.rgb(outside.resolve("x.png"), WIDTH, HEIGHT);
        Expect.illegalArgument(
                this::open, "train.txt", outside.resolve("x").toString(), "no image");
    }

    @Test
    public void skippingCountsAndLogsEachBadSampleOnceAndKeepsTheGoodOnes() throws IOException {
        HostileFiles.truncatedPng(image("b"), HostileFiles.noisy("png", WIDTH, HEIGHT));
        HostileFiles.empty(mask("c"));
        TestFiles.palette(mask("d"), 3, new int[9]); // 3x3 mask of a 4x3 image
        Files.delete(mask("e"));
        Files.createSymbolicLink(mask("e"), outside.resolve("gone.png"));
        TestFiles.palette(outside.resolve("gone.png"), WIDTH, new int[WIDTH * HEIGHT]);
        List<String> log = new ArrayList<>();
        DataChecks checks = DataChecks.of(1 << 20, true, log::add);
        SampleSource source = DataSources.open("folder", root, "train", 0, 0, checks);
        assertEquals(source.size(), 5, "the link leading outside is skipped as the split opens");
        assertEquals(checks.skippedSamples(), 1);
        List<String> ids = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            ids.clear();
            for (int i = 0; i < source.size(); i++) {
                ids.add(source.get(i).id());
            }
        }
        // a, then b, c and d (bad) each give their place to f, the next good sample
        assertEquals(ids, List.of("a", "f", "f", "f", "f"));
        assertEquals(checks.skippedSamples(), 4);
        assertEquals(log.size(), 4, String.valueOf(log));
        for (String fragment :
                new String[] {
                    "masks/e.png: link leads to", "images/b.png: truncated PNG",
                    "masks/c.png: mask file is empty", "masks/d.png: mask is 3x3"
                }) {
            assertTrue(
                    log.stream().anyMatch(line -> line.contains(fragment)),
                    fragment + " in " + log);
        }
        assertTrue(
                log.stream().allMatch(line -> line.startsWith("skipped bad sample: ")), "" + log);
    }

    @Test
    public void skippingLeavesTheSplitOfTheGoodSamplesAsItWas() throws IOException {
        Files.delete(root.resolve("train.txt"));
        List<String> before = new ArrayList<>();
        SampleSource plain = DataSources.open("folder", root, "val", 0.5, 3);
        for (int i = 0; i < plain.size(); i++) {
            before.add(plain.get(i).id());
        }
        Files.delete(mask(before.get(0)));
        DataChecks checks = DataChecks.of(1 << 20, true, line -> {});
        SampleSource skipping = DataSources.open("folder", root, "val", 0.5, 3, checks);
        List<String> after = new ArrayList<>();
        for (int i = 0; i < skipping.size(); i++) {
            after.add(skipping.get(i).id());
        }
        assertEquals(after, before.subList(1, before.size()));
        assertEquals(checks.skippedSamples(), 1);
    }

    @Test
    public void aSplitOfBadSamplesOnlyIsAnError() {
        for (String name : NAMES) {
            HostileFiles.empty(image(name));
        }
        DataChecks checks = DataChecks.of(1 << 20, true, line -> {});
        SampleSource source = DataSources.open("folder", root, "train", 0, 0, checks);
        Expect.illegalArgument(
                () -> source.get(2), "all 6 samples of the split are bad", "image file is empty");
        assertEquals(checks.skippedSamples(), 6);
    }
}
