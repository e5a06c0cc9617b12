package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.segloss.example.SeglossTrain;
import io.github.segloss.example.cli.SeglossTrainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * {@code segloss-train} end to end on small datasets holding hostile files, on both engines: with
 * {@code --skip-bad-samples} the run trains on the good samples and counts the bad ones in {@code
 * summary.json}; without it the first bad sample (met in a loader thread) ends the run with one
 * line naming the file and exit code 2, without hanging.
 */
public class HostileDatasetTrainingTest {

    private static final int SIDE = 12;
    private static final long TIMEOUT_MS = 120_000;

    private Path root;
    private Path outside;

    @DataProvider(name = "engines")
    public Object[][] engines() {
        return Engines.engines();
    }

    @BeforeMethod
    void createFolders() throws IOException {
        root = Files.createTempDirectory("segloss-hostile-run");
        outside = Files.createTempDirectory("segloss-outside");
    }

    @AfterMethod(alwaysRun = true)
    void deleteFolders() {
        TestFiles.delete(root);
        TestFiles.delete(outside);
    }

    private static int[] labels(int seed) {
        int[] labels = new int[SIDE * SIDE];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i % SIDE / 4 + i / SIDE / 4 + seed) % 3;
        }
        return labels;
    }

    /** A good sample of the folder format. */
    private void folderSample(String name, int seed) {
        TestFiles.rgb(root.resolve("images/" + name + ".png"), SIDE, SIDE);
        TestFiles.grey(root.resolve("masks/" + name + ".png"), SIDE, labels(seed));
    }

    /**
     * A folder dataset of 6 good and 6 bad training samples, 3 good and 2 bad validation samples.
     *
     * @return the names of the bad samples' files, one per bad sample
     */
    private List<String> hostileFolderDataset() throws IOException {
        TestFiles.text(root.resolve("classes.txt"), "background\nsky\ngrass\n");
        List<String> train = new ArrayList<>();
        List<String> val = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            folderSample("good" + i, i);
            train.add("good" + i);
        }
        for (int i = 0; i < 3; i++) {
            folderSample("val" + i, i);
            val.add("val" + i);
        }
        for (int i = 0; i < 6; i++) {
            folderSample("bad" + i, i);
            train.add("bad" + i);
        }
        folderSample("badval0", 0);
        folderSample("badval1", 1);
        val.addAll(List.of("badval0", "badval1"));
        HostileFiles.truncatedPng(
                root.resolve("images/bad0.png"), HostileFiles.noisy("png", SIDE, SIDE));
        HostileFiles.empty(root.resolve("masks/bad1.png"));
        TestFiles.grey(root.resolve("masks/bad2.png"), SIDE - 1, new int[(SIDE - 1) * SIDE]);
        int[] beyond = labels(0);
        beyond[30] = 7;
        TestFiles.grey(root.resolve("masks/bad3.png"), SIDE, beyond);
        HostileFiles.pngBomb(root.resolve("images/bad4.png"), 20000, 20000);
        Files.move(root.resolve("masks/bad5.png"), outside.resolve("bad5.png"));
        Files.createSymbolicLink(root.resolve("masks/bad5.png"), outside.resolve("bad5.png"));
        Files.delete(root.resolve("images/badval0.png"));
        HostileFiles.truncatedJpeg(
                root.resolve("images/badval0.jpg"), HostileFiles.noisy("jpg", 48, 48));
        HostileFiles.corruptPng(
                root.resolve("masks/badval1.png"), HostileFiles.noisy("png", SIDE, SIDE));
        TestFiles.text(root.resolve("train.txt"), String.join("\n", train) + "\n");
        TestFiles.text(root.resolve("val.txt"), String.join("\n", val) + "\n");
        return List.of(
                "images/bad0.png: truncated PNG image",
                "masks/bad1.png: mask file is empty",
                "masks/bad2.png: mask is 11x12",
                "masks/bad3.png: class id 7",
                "images/bad4.png: image declares 20000x20000",
                "masks/bad5.png: link leads to",
                "images/badval0.jpg: truncated JPEG image",
                "masks/badval1.png: corrupt PNG mask");
    }

    private static String cocoImage(int id, String name) {
        return String.format(
                "{\"id\": %d, \"file_name\": \"%s\", \"height\": 12, \"width\": 12}", id, name);
    }

    private static String cocoObject(int imageId, String segmentation) {
        return String.format(
                "{\"image_id\": %d, \"category_id\": 3, \"iscrowd\": 0, \"segmentation\": %s}",
                imageId, segmentation);
    }

    private static final String SQUARE = "[[2, 2, 9, 2, 9, 8, 2, 8]]";

    /**
     * A COCO dataset: train2017 with 3 good and 6 bad images, val2017 with 2 good and 1 bad.
     *
     * @return the bad samples' messages, one per bad sample
     */
    private List<String> hostileCocoDataset() throws IOException {
        List<String> images = new ArrayList<>();
        List<String> objects = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            String name = "img" + i + ".png";
            TestFiles.rgb(root.resolve("train2017/" + name), SIDE, SIDE);
            images.add(cocoImage(i, i == 6 ? "../outside.png" : name));
            objects.add(cocoObject(i, i == 5 ? "{\"size\": [12, 12], \"counts\": [100]}" : SQUARE));
        }
        HostileFiles.truncatedPng(
                root.resolve("train2017/img4.png"), HostileFiles.noisy("png", SIDE, SIDE));
        TestFiles.rgb(root.resolve("train2017/img7.png"), SIDE, SIDE + 1);
        HostileFiles.empty(root.resolve("train2017/img8.png"));
        HostileFiles.pngBomb(root.resolve("train2017/img9.png"), 30000, 30000);
        writeCoco("train2017", images, objects);
        images.clear();
        objects.clear();
        for (int i = 1; i <= 3; i++) {
            String name = "val" + i + ".png";
            TestFiles.rgb(root.resolve("val2017/" + name), SIDE, SIDE);
            images.add(cocoImage(i, name));
            objects.add(cocoObject(i, SQUARE));
        }
        HostileFiles.corruptPng(
                root.resolve("val2017/val2.png"), HostileFiles.noisy("png", SIDE, SIDE));
        writeCoco("val2017", images, objects);
        return List.of(
                "train2017/img4.png: truncated PNG image",
                "annotations[4].segmentation.counts: RLE counts add up to 100",
                "images[5].file_name: file name \"../outside.png\" must not contain",
                "train2017/img7.png: image is 12x13",
                "train2017/img8.png: image file is empty",
                "train2017/img9.png: image declares 30000x30000",
                "val2017/val2.png: corrupt PNG image");
    }

    private void writeCoco(String split, List<String> images, List<String> objects) {
        TestFiles.text(
                root.resolve("annotations/instances_" + split + ".json"),
                "{\"images\": ["
                        + String.join(",\n", images)
                        + "], \"annotations\": ["
                        + String.join(",\n", objects)
                        + "], \"categories\": [{\"id\": 3, \"name\": \"square\"}]}");
    }

    private SeglossTrainTest.Run train(String task, String format, String engine, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                task,
                                "--data",
                                root.toString(),
                                "--format",
                                format,
                                "--engine",
                                engine,
                                "--epochs",
                                "1",
                                "--image-size",
                                "32",
                                "--width",
                                "4",
                                "--batch-size",
                                "4",
                                "--output",
                                root.resolve("run").toString()));
        args.addAll(Arrays.asList(more));
        return SeglossTrainTest.run(args.toArray(new String[0]));
    }

    private void expectSkipped(SeglossTrainTest.Run run, List<String> bad) throws IOException {
        assertEquals(run.code(), 0, run.err() + run.out());
        List<String> logged =
                run.out().lines().filter(line -> line.startsWith("skipped bad sample: ")).toList();
        assertEquals(logged.size(), bad.size(), String.join("\n", logged));
        for (String problem : bad) {
            assertEquals(
                    logged.stream().filter(line -> line.contains(problem)).count(),
                    1L,
                    problem + " logged once in\n" + String.join("\n", logged));
        }
        assertTrue(
                run.out().contains("skipped " + bad.size() + " bad sample(s) (--skip-bad-samples)"),
                run.out());
        JsonObject summary =
                JsonParser.parseString(Files.readString(root.resolve("run/summary.json")))
                        .getAsJsonObject();
        assertEquals(summary.get("skippedSamples").getAsInt(), bad.size());
        assertEquals(summary.get("epochs").getAsInt(), 1);
    }

    private static void expectOneLineNaming(SeglossTrainTest.Run run, String... fragments) {
        assertEquals(run.code(), SeglossTrain.USAGE, run.err() + run.out());
        List<String> ours = run.err().lines().filter(l -> l.startsWith("segloss-train:")).toList();
        assertEquals(ours.size(), 1, run.err());
        for (String fragment : fragments) {
            assertTrue(ours.get(0).contains(fragment), ours.get(0) + " lacks " + fragment);
        }
        assertTrue(!run.err().contains("\tat "), run.err());
    }

    @Test(dataProvider = "engines", timeOut = TIMEOUT_MS)
    public void semanticRunSkipsAndCountsBadSamples(String engine) throws IOException {
        List<String> bad = hostileFolderDataset();
        expectSkipped(train("semantic", "folder", engine, "--skip-bad-samples"), bad);
    }

    @Test(dataProvider = "engines", timeOut = TIMEOUT_MS)
    public void maskRunSkipsAndCountsBadSamples(String engine) throws IOException {
        List<String> bad = hostileCocoDataset();
        expectSkipped(train("mask", "coco", engine, "--skip-bad-samples"), bad);
    }

    @Test(dataProvider = "engines", timeOut = TIMEOUT_MS)
    public void semanticRunStopsAtABadSampleMetInALoaderThread(String engine) throws IOException {
        TestFiles.text(root.resolve("classes.txt"), "background\nsky\ngrass\n");
        for (int i = 0; i < 8; i++) {
            folderSample("img" + i, i);
        }
        HostileFiles.truncatedPng(
                root.resolve("images/img5.png"), HostileFiles.noisy("png", SIDE, SIDE));
        TestFiles.text(root.resolve("val.txt"), "img0\n");
        expectOneLineNaming(
                train("semantic", "folder", engine), "images/img5.png", "truncated PNG image");
    }

    @Test(dataProvider = "engines", timeOut = TIMEOUT_MS)
    public void maskRunStopsAtABadSampleMetInALoaderThread(String engine) throws IOException {
        hostileCocoDataset();
        // without skipping, the annotation file's own errors come first: repair them
        String json = Files.readString(root.resolve("annotations/instances_train2017.json"));
        json = json.replace("\"counts\": [100]", "\"counts\": [144]");
        json = json.replace("../outside.png", "img6.png");
        TestFiles.text(root.resolve("annotations/instances_train2017.json"), json);
        for (int i : new int[] {7, 8, 9}) {
            TestFiles.rgb(root.resolve("train2017/img" + i + ".png"), SIDE, SIDE);
        }
        expectOneLineNaming(
                train("mask", "coco", engine), "train2017/img4.png", "truncated PNG image");
    }

    @Test(timeOut = TIMEOUT_MS)
    public void maxImagePixelsRefusesLargerImagesOfTheDataset() throws IOException {
        TestFiles.text(root.resolve("classes.txt"), "background\nsky\ngrass\n");
        for (int i = 0; i < 4; i++) {
            folderSample("img" + i, i);
        }
        expectOneLineNaming(
                train("semantic", "folder", "PyTorch", "--max-image-pixels", "143"),
                "images/img",
                "12x12 = 144 pixels, above the limit of 143");
    }

    @Test
    public void bothTasksOfferTheOptionsWithTheirDefault() {
        for (String task : new String[] {"semantic", "mask"}) {
            SeglossTrainTest.Run help = SeglossTrainTest.run(task, "--help");
            assertEquals(help.code(), 0);
            assertTrue(help.out().contains("--skip-bad-samples"), help.out());
            assertTrue(help.out().contains("--max-image-pixels"), help.out());
            assertTrue(help.out().contains("(default: 64000000)"), help.out());
        }
    }

    @Test
    public void maxImagePixelsBelowOneIsOneLineAndExitCodeTwo() {
        expectOneLineNaming(
                train("mask", "coco", "PyTorch", "--max-image-pixels", "0"),
                "--max-image-pixels must be >= 1, got 0");
    }
}
