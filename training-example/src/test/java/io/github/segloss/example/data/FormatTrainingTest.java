package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.github.segloss.example.SeglossTrain;
import io.github.segloss.example.cli.SeglossTrainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.Test;

/** {@code segloss-train semantic} trains on small datasets of every file format. */
public class FormatTrainingTest {

    private static final int SIDE = 12;

    private static int[] labels(int seed, int classes) {
        int[] labels = new int[SIDE * SIDE];
        for (int i = 0; i < labels.length; i++) {
            int x = i % SIDE;
            int y = i / SIDE;
            labels[i] = x < 2 ? 255 : ((x / 4 + y / 4 + seed) % classes);
        }
        return labels;
    }

    private static List<String> train(Path root, String format) throws IOException {
        Path output = root.resolve("run");
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "semantic",
                        "--data",
                        root.toString(),
                        "--format",
                        format,
                        "--epochs",
                        "1",
                        "--image-size",
                        "32",
                        "--width",
                        "4",
                        "--batch-size",
                        "2",
                        "--max-batches",
                        "1",
                        "--output",
                        output.toString());
        assertEquals(run.code(), 0, run.err());
        List<String> csv = Files.readAllLines(output.resolve("metrics.csv"));
        assertEquals(csv.size(), 2, "a header and one epoch");
        return csv;
    }

    @Test
    public void trainsOnAFolderDataset() throws IOException {
        Path root = Files.createTempDirectory("segloss-folder");
        try {
            for (int i = 0; i < 4; i++) {
                TestFiles.rgb(root.resolve("images/img" + i + ".png"), SIDE, SIDE);
                TestFiles.grey(root.resolve("masks/img" + i + ".png"), SIDE, labels(i, 3));
            }
            TestFiles.text(root.resolve("classes.txt"), "background\nsky\ngrass\n");
            List<String> csv = train(root, "folder");
            assertTrue(csv.get(0).contains("iou_grass"), csv.get(0));
        } finally {
            TestFiles.delete(root);
        }
    }

    @Test
    public void trainsOnAVocDataset() throws IOException {
        Path root = Files.createTempDirectory("segloss-voc");
        try {
            String[] ids = {"2007_000032", "2007_000039", "2007_000042"};
            for (int i = 0; i < ids.length; i++) {
                TestFiles.rgb(root.resolve("JPEGImages/" + ids[i] + ".jpg"), SIDE, SIDE);
                TestFiles.palette(
                        root.resolve("SegmentationClass/" + ids[i] + ".png"), SIDE, labels(i, 21));
            }
            TestFiles.text(
                    root.resolve("ImageSets/Segmentation/train.txt"),
                    ids[0] + "\n" + ids[1] + "\n");
            TestFiles.text(root.resolve("ImageSets/Segmentation/val.txt"), ids[2] + "\n");
            List<String> csv = train(root, "voc");
            assertTrue(csv.get(0).contains("iou_tvmonitor"), csv.get(0));
        } finally {
            TestFiles.delete(root);
        }
    }

    /** Two train2017 and two val2017 images with a polygon and an uncompressed RLE object. */
    private static Path cocoDataset() throws IOException {
        Path root = Files.createTempDirectory("segloss-coco");
        for (String split : new String[] {"train2017", "val2017"}) {
            String json =
                    """
                    {"images": [
                       {"id": 1, "file_name": "a.png", "height": 12, "width": 12},
                       {"id": 2, "file_name": "b.png", "height": 12, "width": 12}],
                     "annotations": [
                       {"id": 1, "image_id": 1, "category_id": 7, "iscrowd": 0,
                        "segmentation": [[1, 1, 8, 1, 8, 6, 1, 6]]},
                       {"id": 2, "image_id": 2, "category_id": 3, "iscrowd": 0,
                        "segmentation": {"size": [12, 12], "counts": [30, 20, 94]}}],
                     "categories": [{"id": 3, "name": "car"}, {"id": 7, "name": "train"}]}
                    """;
            TestFiles.text(root.resolve("annotations/instances_" + split + ".json"), json);
            TestFiles.rgb(root.resolve(split + "/a.png"), SIDE, SIDE);
            TestFiles.rgb(root.resolve(split + "/b.png"), SIDE, SIDE);
        }
        return root;
    }

    @Test
    public void trainsOnACocoDataset() throws IOException {
        Path root = cocoDataset();
        try {
            List<String> csv = train(root, "coco");
            assertTrue(
                    csv.get(0).contains("iou_car") && csv.get(0).contains("iou_train"), csv.get(0));
        } finally {
            TestFiles.delete(root);
        }
    }

    @Test
    public void trainsTheMaskHeadOnACocoDataset() throws IOException {
        Path root = cocoDataset();
        try {
            Path output = root.resolve("mask-run");
            SeglossTrainTest.Run run =
                    SeglossTrainTest.run(
                            "mask",
                            "--data",
                            root.toString(),
                            "--format",
                            "coco",
                            "--epochs",
                            "1",
                            "--image-size",
                            "32",
                            "--width",
                            "4",
                            "--batch-size",
                            "2",
                            "--output",
                            output.toString());
            assertEquals(run.code(), 0, run.err() + run.out());
            List<String> csv = Files.readAllLines(output.resolve("metrics.csv"));
            assertEquals(csv.size(), 2);
            assertTrue(csv.get(0).contains("iou_car"), csv.get(0));
        } finally {
            TestFiles.delete(root);
        }
    }

    @Test
    public void aClassIdBeyondTheClassListIsOneLineAndExitCodeTwo() throws IOException {
        Path root = Files.createTempDirectory("segloss-folder-bad");
        try {
            for (int i = 0; i < 4; i++) {
                TestFiles.rgb(root.resolve("images/img" + i + ".png"), SIDE, SIDE);
                TestFiles.grey(root.resolve("masks/img" + i + ".png"), SIDE, labels(i, 5));
            }
            TestFiles.text(root.resolve("classes.txt"), "background\nsky\n");
            SeglossTrainTest.Run run =
                    SeglossTrainTest.run(
                            "semantic",
                            "--data",
                            root.toString(),
                            "--format",
                            "folder",
                            "--epochs",
                            "1",
                            "--image-size",
                            "32",
                            "--width",
                            "4",
                            "--batch-size",
                            "2",
                            "--output",
                            root.resolve("run").toString());
            String message = run.err();
            assertEquals(run.code(), SeglossTrain.USAGE, message);
            // one line of ours (DJL may log its engine start-up on the same stream)
            assertEquals(
                    message.lines().filter(l -> l.startsWith("segloss-train:")).count(),
                    1L,
                    message);
            assertTrue(message.contains("masks/img") && !message.contains("\tat "), message);
        } finally {
            TestFiles.delete(root);
        }
    }
}
