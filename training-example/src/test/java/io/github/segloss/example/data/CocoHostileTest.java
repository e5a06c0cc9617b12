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
 * The COCO layout against hostile annotation files and images, each crafted in a temporary dataset:
 * every one is an error naming the file, the field and the problem, and with skipping on, a skipped
 * and counted sample.
 */
public class CocoHostileTest {

    // Three 8x6 images; a.png has a polygon, b.png an uncompressed RLE (column 7, runs 42, 6),
    // c.png a compressed RLE (column 2, rows 2..4, ">3o0").
    private static final String JSON =
            """
            {"images": [
               {"id": 1, "file_name": "a.png", "height": 6, "width": 8},
               {"id": 2, "file_name": "b.png", "height": 6, "width": 8},
               {"id": 3, "file_name": "c.png", "height": 6, "width": 8}],
             "annotations": [
               {"id": 1, "image_id": 1, "category_id": 5, "iscrowd": 0,
                "segmentation": [[1, 1, 7, 1, 7, 5, 1, 5]]},
               {"id": 2, "image_id": 2, "category_id": 5, "iscrowd": 0,
                "segmentation": {"size": [6, 8], "counts": [42, 6]}},
               {"id": 3, "image_id": 3, "category_id": 5, "iscrowd": 0,
                "segmentation": {"size": [6, 8], "counts": ">3o0"}}],
             "categories": [{"id": 5, "name": "cat"}]}
            """;

    private Path root;
    private Path outside;

    @BeforeMethod
    void writeDataset() throws IOException {
        root = Files.createTempDirectory("segloss-coco-hostile");
        outside = Files.createTempDirectory("segloss-outside");
        json(JSON);
        for (String name : new String[] {"a", "b", "c"}) {
            TestFiles.rgb(image(name), 8, 6);
        }
    }

    @AfterMethod(alwaysRun = true)
    void deleteDataset() {
        TestFiles.delete(root);
        TestFiles.delete(outside);
    }

    private void json(String text) {
        TestFiles.text(root.resolve("annotations/instances_val.json"), text);
    }

    private Path image(String name) {
        return root.resolve("val/" + name + ".png");
    }

    private SampleSource open() {
        return DataSources.open("coco", root, "val", 0, 0);
    }

    private static String replace(String text, String from, String to) {
        if (!text.contains(from)) {
            throw new AssertionError("the test JSON lacks " + from);
        }
        return text.replace(from, to);
    }

    /** Writes the JSON with one replacement and expects opening to fail naming the file. */
    private void expectBadJson(String from, String to, String... fragments) {
        json(replace(JSON, from, to));
        List<String> all = new ArrayList<>(List.of(fragments));
        all.add(0, "instances_val.json");
        Expect.illegalArgument(this::open, all.toArray(new String[0]));
    }

    @Test
    public void truncatedImageNamesTheFile() {
        HostileFiles.truncatedPng(image("b"), HostileFiles.noisy("png", 8, 6));
        SampleSource source = open();
        Expect.illegalArgument(() -> source.get(1), "val/b.png", "truncated PNG image");
    }

    @Test
    public void emptyImageNamesTheFile() {
        HostileFiles.empty(image("c"));
        SampleSource source = open();
        Expect.illegalArgument(() -> source.get(2), "val/c.png", "image file is empty");
    }

    @Test
    public void corruptImageNamesTheFile() {
        HostileFiles.corruptPng(image("a"), HostileFiles.noisy("png", 8, 6));
        SampleSource source = open();
        Expect.illegalArgument(() -> source.get(0), "val/a.png", "corrupt PNG image");
    }

    @Test
    public void imageBombIsRefusedBeforeDecoding() {
        HostileFiles.pngBomb(image("a"), 20000, 20000);
        SampleSource source = open();
        Expect.illegalArgument(
                () -> source.get(0), "val/a.png", "declares 20000x20000", "refused before");
    }

    @Test
    public void fileNameWithParentStepsIsRefused() {
        TestFiles.rgb(root.resolve("x.png"), 8, 6);
        expectBadJson(
                "\"a.png\"",
                "\"../x.png\"",
                "images[0].file_name",
                "\"../x.png\"",
                "must not contain \"..\"",
                "leave the dataset folder");
    }

    @Test
    public void absoluteFileNameIsRefused() {
        TestFiles.rgb(outside.resolve("x.png"), 8, 6);
        String absolute = outside.resolve("x.png").toString();
        expectBadJson(
                "\"b.png\"",
                "\"" + absolute + "\"",
                "images[1].file_name",
                absolute,
                "is absolute");
    }

    @Test
    public void imageLinkLeadingOutsideIsRefused() throws IOException {
        Files.move(image("c"), outside.resolve("c.png"));
        Files.createSymbolicLink(image("c"), outside.resolve("c.png"));
        Expect.illegalArgument(this::open, "val/c.png", "link leads to", "outside the dataset");
    }

    @Test
    public void imageOfAnotherSizeThanItsEntryIsRefused() {
        TestFiles.rgb(image("b"), 6, 8);
        SampleSource source = open();
        Expect.illegalArgument(
                () -> source.get(1), "val/b.png", "image is 6x8", "instances_val.json says 8x6");
    }

    @Test
    public void nanPolygonCoordinateIsRefused() {
        expectBadJson(
                "[[1, 1, 7, 1,",
                "[[1, NaN, 7, 1,",
                "annotations[0].segmentation[0][1]",
                "must be a number, got a string (\"NaN\")");
    }

    @Test
    public void textPolygonCoordinateIsRefused() {
        expectBadJson(
                "[[1, 1, 7, 1,",
                "[[1, 1, \"7\", 1,",
                "annotations[0].segmentation[0][2]",
                "must be a number, got a string (\"7\")");
    }

    @Test
    public void infinitePolygonCoordinateIsRefused() {
        expectBadJson(
                "[[1, 1, 7, 1,",
                "[[1, 1, 1e999, 1,",
                "annotations[0].segmentation[0][2]",
                "must be a number");
    }

    @Test
    public void polygonOutsideTheImageIsClippedAsPycocotoolsDoes() {
        json(replace(JSON, "[[1, 1, 7, 1, 7, 5, 1, 5]]", "[[-30, 3, 100, 3, 100, 1e9, -30, 1e9]]"));
        Instance cat = open().get(0).instances().get(0);
        for (int i = 0; i < 48; i++) {
            assertEquals(cat.mask()[i], i >= 3 * 8 ? 1 : 0, "pixel " + i);
        }
        assertEquals(cat.box(), new float[] {0, 3, 8, 6});
    }

    @Test
    public void rleCountsSummingShortAreRefused() {
        expectBadJson(
                "[42, 6]",
                "[40, 6]",
                "annotations[1].segmentation.counts",
                "add up to 46 pixels",
                "6x8 = 48");
    }

    @Test
    public void rleCountsSummingOverAreRefused() {
        expectBadJson(
                "[42, 6]",
                "[42, 6, 9007199254740992, 9007199254740992]",
                "annotations[1].segmentation.counts",
                "add up to more than 48 pixels");
    }

    @Test
    public void compressedRleSummingShortIsRefused() {
        // ">3o0" is 14, 3, 31 = 48; ">3" alone is 14, 3
        expectBadJson(
                "\">3o0\"", "\">3\"", "annotations[2].segmentation.counts", "add up to 17 pixels");
    }

    @Test
    public void compressedRleWithAForeignCharacterIsRefused() {
        expectBadJson(
                "\">3o0\"", "\">3~0\"", "annotations[2].segmentation.counts", "character '~'");
    }

    @Test
    public void negativeRunIsRefused() {
        expectBadJson(
                "[42, 6]", "[50, -2]", "annotations[1].segmentation.counts[1]", "run length >= 0");
    }

    @Test
    public void rleSizeOfTheWrongTypeIsRefused() {
        expectBadJson(
                "\"size\": [6, 8], \"counts\": [42, 6]",
                "\"size\": \"6x8\", \"counts\": [42, 6]",
                "annotations[1].segmentation.size",
                "must be an array, got a string");
    }

    @Test
    public void segmentationOfTheWrongTypeIsRefused() {
        expectBadJson(
                "\"segmentation\": [[1, 1, 7, 1, 7, 5, 1, 5]]",
                "\"segmentation\": \"cat\"",
                "annotations[0].segmentation",
                "must be a list of polygons or an RLE object, got a string");
    }

    @Test
    public void missingSegmentationIsRefused() {
        expectBadJson(
                ", \"iscrowd\": 0,\n    \"segmentation\": [[1, 1, 7, 1, 7, 5, 1, 5]]",
                "",
                "annotations[0]",
                "lacks the field \"segmentation\"");
    }

    @Test
    public void crowdFlagOutOfRangeIsRefused() {
        expectBadJson(
                "\"image_id\": 2, \"category_id\": 5, \"iscrowd\": 0",
                "\"image_id\": 2, \"category_id\": 5, \"iscrowd\": 2",
                "annotations[1].iscrowd",
                "must be 0 or 1, got 2");
    }

    @Test
    public void heightOfTheWrongTypeIsRefused() {
        expectBadJson(
                "\"file_name\": \"c.png\", \"height\": 6",
                "\"file_name\": \"c.png\", \"height\": \"6\"",
                "images[2].height",
                "must be a number, got a string");
    }

    @Test
    public void fractionalImageIdIsRefused() {
        expectBadJson(
                "{\"id\": 2, \"file_name\"",
                "{\"id\": 2.5, \"file_name\"",
                "images[1].id",
                "must be a whole number, got 2.5");
    }

    @Test
    public void nullImageEntryIsRefused() {
        expectBadJson(
                "{\"id\": 3, \"file_name\": \"c.png\", \"height\": 6, \"width\": 8}",
                "null",
                "images[2]",
                "must be an object, got null");
    }

    @Test
    public void imagesThatIsNoArrayIsRefused() {
        json("{\"images\": {}, \"annotations\": [], \"categories\": []}");
        Expect.illegalArgument(this::open, "instances_val.json", "images must be an array");
    }

    @Test
    public void topLevelArrayIsRefused() {
        json("[1, 2, 3]");
        Expect.illegalArgument(this::open, "instances_val.json", "the top level must be an object");
    }

    @Test
    public void emptyAnnotationFileIsRefused() {
        json("");
        Expect.illegalArgument(this::open, "instances_val.json", "not valid JSON");
    }

    @Test
    public void categoryNameOfTheWrongTypeIsRefused() {
        expectBadJson(
                "\"name\": \"cat\"",
                "\"name\": 7",
                "categories[0].name",
                "must be a string, got the number 7");
    }

    @Test
    public void skippingDropsBadEntriesWithTheirImagesAndCountsThemOnce() {
        String json = JSON;
        // image 1: its only annotation has RLE counts short of the image -> image skipped
        json = replace(json, "[[1, 1, 7, 1, 7, 5, 1, 5]]", "{\"size\": [6, 8], \"counts\": [9]}");
        // image 2: a second bad annotation (unknown category) and a bad polygon -> counted once
        json =
                replace(
                        json,
                        "\"annotations\": [",
                        "\"annotations\": [{\"image_id\": 2, \"category_id\": 99, \"iscrowd\": 0,"
                                + " \"segmentation\": [[1, 1, 2, 2, 1, 2]]}, {\"image_id\": 2,"
                                + " \"category_id\": 5, \"segmentation\": [[\"x\", 1, 2]]},"
                                + " {\"category_id\": 5, \"segmentation\": []},");
        // image 4: a file_name that leaves the dataset
        json =
                replace(
                        json,
                        "\"images\": [",
                        "\"images\": [{\"id\": 4, \"file_name\": \"../a.png\", \"height\": 6,"
                                + " \"width\": 8},");
        json(json);
        List<String> log = new ArrayList<>();
        DataChecks checks = DataChecks.of(1 << 20, true, log::add);
        SampleSource source = DataSources.open("coco", root, "val", 0, 0, checks);
        assertEquals(source.size(), 1, "only c.png is left");
        assertEquals(source.get(0).id(), "c");
        assertEquals(source.get(0).instances().size(), 1);
        // image 1, image 2, the annotation without image_id, image 4
        assertEquals(checks.skippedSamples(), 4, String.valueOf(log));
        assertEquals(log.size(), 4, String.valueOf(log));
        assertTrue(
                log.stream().anyMatch(line -> line.contains("lacks the field \"image_id\"")),
                String.valueOf(log));
        assertTrue(
                log.stream().anyMatch(line -> line.contains("\"../a.png\" must not contain")),
                String.valueOf(log));
    }

    @Test
    public void skippingReplacesAnImageThatFailsToLoadByTheNextGoodOne() {
        HostileFiles.truncatedPng(image("a"), HostileFiles.noisy("png", 8, 6));
        TestFiles.rgb(image("b"), 7, 6);
        List<String> log = new ArrayList<>();
        DataChecks checks = DataChecks.of(1 << 20, true, log::add);
        SampleSource source = DataSources.open("coco", root, "val", 0, 0, checks);
        assertEquals(source.size(), 3);
        assertEquals(source.get(0).id(), "c");
        assertEquals(source.get(1).id(), "c");
        assertEquals(source.get(2).id(), "c");
        assertEquals(checks.skippedSamples(), 2);
        assertTrue(log.get(0).contains("val/a.png: truncated PNG image"), log.get(0));
        assertTrue(log.get(1).contains("val/b.png: image is 7x6"), log.get(1));
    }
}
