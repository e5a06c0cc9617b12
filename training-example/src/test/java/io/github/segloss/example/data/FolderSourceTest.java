package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

/** The folder format: class list, images, palette and grey masks, splits and bad datasets. */
public class FolderSourceTest {

    private static final int WIDTH = 4;
    private static final int[] LABELS = {0, 1, 2, 255, 1, 1, 0, 0, 2, 2, 2, 0};
    private static final int[] ZEROS = new int[12];

    private Path root;

    @BeforeMethod
    void writeDataset() throws IOException {
        root = Files.createTempDirectory("segloss-folder");
        TestFiles.text(root.resolve("classes.txt"), "background\ncat\ndog\n\n");
        TestFiles.rgb(root.resolve("images/a.png"), WIDTH, 3);
        TestFiles.palette(root.resolve("masks/a.png"), WIDTH, LABELS);
        TestFiles.rgb(root.resolve("images/b.jpg"), WIDTH, 3);
        TestFiles.grey(root.resolve("masks/b.png"), WIDTH, LABELS);
        for (String name : List.of("c", "d", "e")) {
            TestFiles.rgb(root.resolve("images/" + name + ".png"), WIDTH, 3);
            TestFiles.palette(root.resolve("masks/" + name + ".png"), WIDTH, ZEROS);
        }
    }

    @AfterMethod(alwaysRun = true)
    void deleteDataset() {
        TestFiles.delete(root);
    }

    private SampleSource open(String split) {
        return DataSources.open("folder", root, split, 0.4, 1);
    }

    private static Sample byId(SampleSource source, String id) {
        for (int i = 0; i < source.size(); i++) {
            Sample sample = source.get(i);
            if (sample.id().equals(id)) {
                return sample;
            }
        }
        throw new AssertionError("no sample " + id);
    }

    private static List<String> ids(SampleSource source) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            ids.add(source.get(i).id());
        }
        return ids;
    }

    private SampleSource all() {
        TestFiles.text(root.resolve("train.txt"), "a\nb\nc\nd\ne\n");
        return open("train");
    }

    @Test
    public void classesAreTheLinesOfClassesTxt() {
        assertEquals(all().classes(), List.of("background", "cat", "dog"));
    }

    @Test
    public void paletteMaskIsReadByIndex() {
        assertEquals(byId(all(), "a").semantic(), LABELS);
    }

    @Test
    public void greyMaskIsReadByValue() {
        assertEquals(byId(all(), "b").semantic(), LABELS);
    }

    @Test
    public void pngImageIsChwRgbInZeroToOne() {
        Sample a = byId(all(), "a");
        assertEquals(a.height(), 3);
        assertEquals(a.width(), WIDTH);
        int plane = 12;
        int pixel = WIDTH + 2; // x = 2, y = 1
        assertEquals(a.image()[pixel], 20 / 255f);
        assertEquals(a.image()[plane + pixel], 10 / 255f);
        assertEquals(a.image()[2 * plane + pixel], 7 / 255f);
    }

    @Test
    public void jpegImageIsDecodedToRgb() {
        Sample b = byId(all(), "b");
        assertEquals(b.image().length, 3 * 12);
        for (float v : b.image()) {
            assertTrue(v >= 0 && v <= 1, "value " + v);
        }
        assertEquals(b.image()[WIDTH - 1], 30 / 255f, 0.1f);
    }

    @Test
    public void greyImageIsReadByValueIntoAllThreeChannels() {
        TestFiles.grey(root.resolve("images/c.png"), WIDTH, LABELS);
        Sample c = byId(all(), "c");
        for (int channel = 0; channel < 3; channel++) {
            assertEquals(c.image()[channel * 12 + 3], 255 / 255f);
            assertEquals(c.image()[channel * 12 + 4], 1 / 255f);
        }
    }

    @Test
    public void samplesHaveNoInstances() {
        assertTrue(byId(all(), "a").instances().isEmpty());
    }

    @Test
    public void listFilesChooseTheSplits() {
        TestFiles.text(root.resolve("train.txt"), "b\na\n");
        TestFiles.text(root.resolve("val.txt"), "# held out\nc\n");
        assertEquals(ids(open("train")), List.of("b", "a"));
        assertEquals(ids(open("val")), List.of("c"));
    }

    @Test
    public void valListAloneLeavesTheOtherImagesToTrain() {
        TestFiles.text(root.resolve("val.txt"), "c\n");
        assertEquals(ids(open("train")), List.of("a", "b", "d", "e"));
    }

    @Test
    public void valFractionSplitsDisjointlyAndDeterministically() {
        List<String> train = ids(open("train"));
        List<String> val = ids(open("val"));
        assertEquals(val.size(), 2);
        assertEquals(train.size(), 3);
        Set<String> union = new HashSet<>(train);
        union.addAll(val);
        assertEquals(union, Set.of("a", "b", "c", "d", "e"));
        assertEquals(ids(open("val")), val);
    }

    @Test
    public void positiveValFractionKeepsOneImageForValidation() {
        assertEquals(DataSources.open("folder", root, "val", 0.01, 3).size(), 1);
    }

    @Test
    public void missingRootIsRejected() {
        Path missing = root.resolve("nowhere");
        Expect.illegalArgument(
                () -> DataSources.open("folder", missing, "train", 0, 0),
                missing.toString(),
                "does not exist");
    }

    @Test
    public void folderWithoutImagesIsRejected() throws IOException {
        TestFiles.delete(root.resolve("images"));
        Files.createDirectories(root.resolve("images"));
        Expect.illegalArgument(() -> open("train"), "images", "no images");
    }

    @Test
    public void missingClassListIsRejected() throws IOException {
        Files.delete(root.resolve("classes.txt"));
        Expect.illegalArgument(() -> open("train"), "classes.txt", "class list not found");
    }

    @Test
    public void missingMaskIsRejected() throws IOException {
        Files.delete(root.resolve("masks/c.png"));
        Expect.illegalArgument(() -> all(), "masks/c.png", "mask of images/c.png not found");
    }

    @Test
    public void maskOfAnotherSizeIsRejected() {
        TestFiles.palette(root.resolve("masks/c.png"), 3, new int[9]);
        SampleSource source = all();
        Expect.illegalArgument(() -> source.get(2), "masks/c.png", "mask is 3x3", "image is 4x3");
    }

    @Test
    public void classIdBeyondTheClassListIsRejected() {
        int[] labels = ZEROS.clone();
        labels[5] = 3;
        TestFiles.palette(root.resolve("masks/d.png"), WIDTH, labels);
        SampleSource source = all();
        Expect.illegalArgument(
                () -> source.get(3), "masks/d.png", "class id 3", "x=1, y=1", "0..2");
    }

    @Test
    public void colourMaskIsRejected() {
        TestFiles.rgb(root.resolve("masks/e.png"), WIDTH, 3);
        SampleSource source = all();
        Expect.illegalArgument(
                () -> source.get(4), "masks/e.png", "palette or grey PNG", "3-channel");
    }

    @Test
    public void listedNameWithoutImageIsRejected() {
        TestFiles.text(root.resolve("train.txt"), "a\n../secret\n");
        Expect.illegalArgument(() -> open("train"), "train.txt", "../secret", "has no image");
    }

    @Test
    public void linkLeadingOutsideTheRootIsRejected() throws IOException {
        Path outside = Files.createTempDirectory("segloss-outside");
        try {
            TestFiles.rgb(outside.resolve("x.png"), WIDTH, 3);
            Files.createSymbolicLink(root.resolve("images/x.png"), outside.resolve("x.png"));
            Expect.illegalArgument(() -> open("train"), "images/x.png", "outside the dataset");
        } finally {
            TestFiles.delete(outside);
        }
    }

    @Test
    public void rootReachedThroughALinkIsAccepted() throws IOException {
        Path link = Files.createTempDirectory("segloss-link").resolve("data");
        try {
            Files.createSymbolicLink(link, root);
            TestFiles.text(root.resolve("train.txt"), "a\n");
            assertEquals(DataSources.open("folder", link, "train", 0, 0).get(0).semantic(), LABELS);
        } finally {
            TestFiles.delete(link.getParent());
        }
    }
}
