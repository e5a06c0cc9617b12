package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

/** The Pascal VOC layout: 21 classes, class masks, instances from object masks, lists. */
public class VocSourceTest {

    private static final int WIDTH = 5;

    // Class mask: an aeroplane (1) on the left, a person (15) on the right, 255 borders.
    private static final int[] CLASSES = {
        1, 1, 255, 15, 15,
        1, 1, 255, 15, 15,
        15, 1, 255, 0, 0,
        0, 0, 0, 0, 0,
    };

    // Object mask: instance 1 is the aeroplane (one of its pixels says person), instance 2 the
    // person.
    private static final int[] OBJECTS = {
        1, 1, 255, 2, 2,
        1, 1, 255, 2, 2,
        1, 1, 255, 0, 0,
        0, 0, 0, 0, 0,
    };

    private Path root;

    @BeforeMethod
    void writeDataset() throws IOException {
        root = Files.createTempDirectory("segloss-voc");
        for (String id : new String[] {"2007_000032", "2007_000039"}) {
            TestFiles.rgb(root.resolve("JPEGImages/" + id + ".jpg"), WIDTH, 4);
            TestFiles.palette(root.resolve("SegmentationClass/" + id + ".png"), WIDTH, CLASSES);
            TestFiles.palette(root.resolve("SegmentationObject/" + id + ".png"), WIDTH, OBJECTS);
        }
        TestFiles.text(root.resolve("ImageSets/Segmentation/train.txt"), "2007_000032\n");
        TestFiles.text(root.resolve("ImageSets/Segmentation/val.txt"), "2007_000039\n");
    }

    @AfterMethod(alwaysRun = true)
    void deleteDataset() {
        TestFiles.delete(root);
    }

    private SampleSource open(String split) {
        return DataSources.open("voc", root, split, 0, 0);
    }

    @Test
    public void classesAreTheTwentyOneVocClasses() {
        SampleSource source = open("train");
        assertEquals(source.classes().size(), 21);
        assertEquals(source.classes().get(0), "background");
        assertEquals(source.classes().get(1), "aeroplane");
        assertEquals(source.classes().get(15), "person");
        assertEquals(source.classes().get(20), "tvmonitor");
    }

    @Test
    public void splitListsChooseTheImages() {
        assertEquals(open("train").size(), 1);
        assertEquals(open("train").get(0).id(), "2007_000032");
        assertEquals(open("val").get(0).id(), "2007_000039");
    }

    @Test
    public void semanticMaskIsTheClassMaskWithItsBorders() {
        Sample sample = open("train").get(0);
        assertEquals(sample.height(), 4);
        assertEquals(sample.width(), WIDTH);
        assertEquals(sample.semantic(), CLASSES);
    }

    @Test
    public void instancesTakeTheMajorityClassOfTheirPixels() {
        Sample sample = open("train").get(0);
        assertEquals(sample.instances().size(), 2);
        assertEquals(sample.instances().get(0).classIndex(), 1);
        assertEquals(sample.instances().get(1).classIndex(), 15);
    }

    @Test
    public void instanceMasksAreTheirObjectPixelsAndBoxesBoundThem() {
        Sample sample = open("train").get(0);
        Instance aeroplane = sample.instances().get(0);
        Instance person = sample.instances().get(1);
        for (int i = 0; i < OBJECTS.length; i++) {
            assertEquals(aeroplane.mask()[i], OBJECTS[i] == 1 ? 1 : 0, "pixel " + i);
            assertEquals(person.mask()[i], OBJECTS[i] == 2 ? 1 : 0, "pixel " + i);
        }
        assertEquals(aeroplane.box(), new float[] {0, 0, 2, 3});
        assertEquals(person.box(), new float[] {3, 0, 5, 2});
    }

    @Test
    public void withoutObjectMasksSamplesHaveNoInstances() {
        TestFiles.delete(root.resolve("SegmentationObject"));
        assertTrue(open("train").get(0).instances().isEmpty());
    }

    @Test
    public void missingSplitListIsRejected() {
        Expect.illegalArgument(
                () -> open("trainval"),
                "ImageSets/Segmentation/trainval.txt",
                "split list not found");
    }

    @Test
    public void missingImageIsRejected() throws IOException {
        Files.delete(root.resolve("JPEGImages/2007_000039.jpg"));
        Expect.illegalArgument(
                () -> open("val"), "JPEGImages/2007_000039.jpg", "image of 2007_000039 not found");
    }

    @Test
    public void classIdBeyondTwentyIsRejected() {
        int[] labels = CLASSES.clone();
        labels[19] = 21;
        TestFiles.palette(root.resolve("SegmentationClass/2007_000032.png"), WIDTH, labels);
        SampleSource source = open("train");
        Expect.illegalArgument(
                () -> source.get(0), "SegmentationClass/2007_000032.png", "class id 21", "0..20");
    }

    @Test
    public void objectMaskOfAnotherSizeIsRejected() {
        TestFiles.palette(root.resolve("SegmentationObject/2007_000032.png"), 4, new int[8]);
        SampleSource source = open("train");
        Expect.illegalArgument(
                () -> source.get(0),
                "SegmentationObject/2007_000032.png",
                "mask is 4x2",
                "image is 5x4");
    }
}
