package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

/**
 * The COCO layout: class list from category ids, polygons, compressed and uncompressed RLE, crowd
 * regions, paint order, split folders and malformed annotation files.
 */
public class CocoSourceTest {

    // Image 10 is 8 wide and 6 high. In file order: a car as compressed RLE (column 2, rows 2..4:
    // column-major positions 14..16, runs 14, 3, 31 -> ">3o0"), a dog as a rectangle polygon
    // (columns 1..6, rows 1..4), a bottle as uncompressed RLE (column 7: runs 42, 6) and a crowd
    // of cars (row 5). Image 20 has no annotation.
    private static final String ANNOTATIONS =
            """
            {"info": {"year": 2017},
             "images": [
               {"id": 10, "file_name": "a.png", "height": 6, "width": 8},
               {"id": 20, "file_name": "b.png", "height": 4, "width": 4}],
             "annotations": [
               {"id": 1, "image_id": 10, "category_id": 3, "iscrowd": 0,
                "segmentation": {"size": [6, 8], "counts": ">3o0"}},
               {"id": 2, "image_id": 10, "category_id": 18, "iscrowd": 0,
                "segmentation": [[1, 1, 7, 1, 7, 5, 1, 5]]},
               {"id": 3, "image_id": 10, "category_id": 44, "iscrowd": 0,
                "segmentation": {"size": [6, 8], "counts": [42, 6]}},
               {"id": 4, "image_id": 10, "category_id": 3, "iscrowd": 1,
                "segmentation": [[0, 5, 8, 5, 8, 6, 0, 6]]}],
             "categories": [
               {"id": 18, "name": "dog"}, {"id": 3, "name": "car"}, {"id": 44, "name": "bottle"}]}
            """;

    // Crowd row 5 is ignored (255), except where the bottle lies over it; the small car lies
    // over the larger dog although it comes first in the file (paint order: area, descending).
    private static final int[] SEMANTIC = {
        0, 0, 0, 0, 0, 0, 0, 3,
        0, 2, 2, 2, 2, 2, 2, 3,
        0, 2, 1, 2, 2, 2, 2, 3,
        0, 2, 1, 2, 2, 2, 2, 3,
        0, 2, 1, 2, 2, 2, 2, 3,
        255, 255, 255, 255, 255, 255, 255, 3,
    };

    private Path root;

    @BeforeMethod
    void writeDataset() {
        try {
            root = Files.createTempDirectory("segloss-coco");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        writeSplit("val", ANNOTATIONS);
    }

    private void writeSplit(String name, String json) {
        TestFiles.text(root.resolve("annotations/instances_" + name + ".json"), json);
        TestFiles.rgb(root.resolve(name + "/a.png"), 8, 6);
        TestFiles.rgb(root.resolve(name + "/b.png"), 4, 4);
    }

    @AfterMethod(alwaysRun = true)
    void deleteDataset() {
        TestFiles.delete(root);
    }

    private SampleSource val() {
        return DataSources.open("coco", root, "val", 0, 0);
    }

    private void expectBadAnnotations(String json, String... fragments) {
        TestFiles.text(root.resolve("annotations/instances_val.json"), json);
        String[] all = new String[fragments.length + 1];
        all[0] = "instances_val.json";
        System.arraycopy(fragments, 0, all, 1, fragments.length);
        Expect.illegalArgument(this::val, all);
    }

    @Test
    public void classesAreBackgroundThenCategoriesByAscendingId() {
        assertEquals(val().classes(), List.of("background", "car", "dog", "bottle"));
    }

    @Test
    public void everyImageIsASample() {
        SampleSource source = val();
        assertEquals(source.size(), 2);
        assertEquals(source.get(0).id(), "a");
        assertEquals(source.get(1).id(), "b");
    }

    @Test
    public void semanticMaskPaintsCrowdIgnoredThenObjectsByDescendingArea() {
        assertEquals(val().get(0).semantic(), SEMANTIC);
    }

    @Test
    public void instancesAreTheNonCrowdAnnotationsInFileOrder() {
        List<Instance> instances = val().get(0).instances();
        assertEquals(instances.size(), 3);
        assertEquals(instances.get(0).classIndex(), 1);
        assertEquals(instances.get(1).classIndex(), 2);
        assertEquals(instances.get(2).classIndex(), 3);
    }

    @Test
    public void compressedRleDecodesColumnMajor() {
        Instance car = val().get(0).instances().get(0);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 8; x++) {
                boolean on = x == 2 && y >= 2 && y <= 4;
                assertEquals(car.mask()[y * 8 + x], on ? 1 : 0, "x=" + x + ", y=" + y);
            }
        }
        assertEquals(car.box(), new float[] {2, 2, 3, 5});
    }

    @Test
    public void rectanglePolygonCoversExactlyItsPixels() {
        Instance dog = val().get(0).instances().get(1);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 8; x++) {
                boolean on = x >= 1 && x <= 6 && y >= 1 && y <= 4;
                assertEquals(dog.mask()[y * 8 + x], on ? 1 : 0, "x=" + x + ", y=" + y);
            }
        }
        assertEquals(dog.box(), new float[] {1, 1, 7, 5});
    }

    @Test
    public void uncompressedRleDecodesColumnMajor() {
        Instance bottle = val().get(0).instances().get(2);
        for (int i = 0; i < 48; i++) {
            assertEquals(bottle.mask()[i], i % 8 == 7 ? 1 : 0, "pixel " + i);
        }
        assertEquals(bottle.box(), new float[] {7, 0, 8, 6});
    }

    @Test
    public void imageWithoutAnnotationsIsAllBackground() {
        Sample b = val().get(1);
        assertEquals(b.semantic(), new int[16]);
        assertTrue(b.instances().isEmpty());
    }

    @Test
    public void trainPrefersTheTrain2017Folder() {
        writeSplit("train", ANNOTATIONS.replace("\"dog\"", "\"puppy\""));
        writeSplit("train2017", ANNOTATIONS);
        assertEquals(DataSources.open("coco", root, "train", 0, 0).classes().get(2), "dog");
    }

    @Test
    public void valFallsBackToTheValFolder() {
        assertEquals(val().size(), 2);
    }

    @Test
    public void anyNamedSplitWithItsFolderOpens() {
        writeSplit("minival", ANNOTATIONS);
        assertEquals(DataSources.open("coco", root, "minival", 0, 0).size(), 2);
    }

    @Test
    public void missingSplitIsRejected() {
        Expect.illegalArgument(
                () -> DataSources.open("coco", root, "train", 0, 0),
                "no COCO split train",
                "annotations/instances_train2017.json with train2017/");
    }

    @Test
    public void wrongFieldTypeIsRejected() {
        expectBadAnnotations(
                ANNOTATIONS.replace("\"category_id\": 18", "\"category_id\": \"18\""),
                "annotations[1].category_id",
                "must be a number, got a string");
    }

    @Test
    public void missingFieldIsRejected() {
        expectBadAnnotations(
                ANNOTATIONS.replace("\"file_name\": \"b.png\", ", ""),
                "images[1]",
                "lacks the field \"file_name\"");
    }

    @Test
    public void missingTopLevelArrayIsRejected() {
        expectBadAnnotations(
                "{\"images\": [], \"annotations\": []}", "lacks the field \"categories\"");
    }

    @Test
    public void emptyImageListIsRejected() {
        expectBadAnnotations(
                "{\"images\": [], \"annotations\": [], \"categories\": []}", "no images");
    }

    @Test
    public void unknownCategoryIsRejected() {
        expectBadAnnotations(
                ANNOTATIONS.replace("\"category_id\": 44", "\"category_id\": 45"),
                "annotations[2].category_id",
                "refers to no category: 45");
    }

    @Test
    public void unknownImageIsRejected() {
        expectBadAnnotations(
                ANNOTATIONS.replace(
                        "\"image_id\": 10, \"category_id\": 44",
                        "\"image_id\": 11, \"category_id\": 44"),
                "annotations[2].image_id",
                "refers to no image: 11");
    }

    @Test
    public void rleOfAnotherSizeIsRejected() {
        expectBadAnnotations(
                ANNOTATIONS.replace(
                        "\"size\": [6, 8], \"counts\": [42, 6]",
                        "\"size\": [8, 6], \"counts\": [42, 6]"),
                "annotations[2].segmentation.size",
                "is [8, 6]",
                "[6, 8]");
    }

    @Test
    public void rleCountsMissingTheSizeAreRejected() {
        expectBadAnnotations(
                ANNOTATIONS.replace("[42, 6]", "[42, 5]"),
                "annotations[2].segmentation.counts",
                "add up to 47");
    }

    @Test
    public void oddPolygonIsRejected() {
        expectBadAnnotations(
                ANNOTATIONS.replace("[[1, 1, 7, 1, 7, 5, 1, 5]]", "[[1, 1, 7, 1, 7]]"),
                "annotations[1].segmentation[0]",
                "odd number (5)");
    }

    @Test
    public void invalidJsonIsRejected() {
        expectBadAnnotations(ANNOTATIONS.substring(0, 200), "not valid JSON");
    }

    @Test
    public void fileNameLeavingTheRootIsRejected() {
        expectBadAnnotations(
                ANNOTATIONS.replace("\"a.png\"", "\"../../secret.png\""),
                "images[0].file_name",
                "\"../../secret.png\"",
                "must not contain \"..\"");
    }

    @Test
    public void missingImageIsRejected() throws IOException {
        Files.delete(root.resolve("val/b.png"));
        Expect.illegalArgument(this::val, "val/b.png", "image of images[1] not found");
    }

    @Test
    public void imageOfAnotherSizeThanTheAnnotationsIsRejected() {
        TestFiles.rgb(root.resolve("val/a.png"), 6, 8);
        SampleSource source = val();
        Expect.illegalArgument(
                () -> source.get(0), "val/a.png", "image is 6x8", "instances_val.json says 8x6");
    }
}
