package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.segloss.example.cli.SeglossTrainTest;
import io.github.segloss.example.report.Palette;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.testng.annotations.Test;

/**
 * {@code segloss-train predict} with a mask checkpoint on a VOC-layout split: the instances of
 * {@code SegmentationObject}, one id PNG per image at its size.
 */
public class VocMaskPredictTest {

    /** Classes: aeroplane (1) left, person (15) right; objects 1 and 2; a 255 border column. */
    private static int[][] maps(int width, int height) {
        int[] classes = new int[width * height];
        int[] objects = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (x == width - 1) {
                    classes[i] = 255;
                    objects[i] = 255;
                } else if (x >= 1 && x < 5 && y >= 2 && y < 9) {
                    classes[i] = 1;
                    objects[i] = 1;
                } else if (x >= 7 && x < width - 2 && y >= 4 && y < height - 1) {
                    classes[i] = 15;
                    objects[i] = 2;
                }
            }
        }
        return new int[][] {classes, objects};
    }

    @Test
    public void predictsTheObjectsOfAVocSplitAtEachImagesSize() throws IOException {
        Path root = Files.createTempDirectory("segloss-voc-mask");
        try {
            String[] ids = {"2007_000032", "2007_000039", "2007_000042"};
            int[][] sizes = {{12, 12}, {12, 12}, {16, 12}};
            for (int i = 0; i < ids.length; i++) {
                int width = sizes[i][0];
                int height = sizes[i][1];
                int[][] maps = maps(width, height);
                TestFiles.rgb(root.resolve("JPEGImages/" + ids[i] + ".jpg"), width, height);
                TestFiles.palette(
                        root.resolve("SegmentationClass/" + ids[i] + ".png"), width, maps[0]);
                TestFiles.palette(
                        root.resolve("SegmentationObject/" + ids[i] + ".png"), width, maps[1]);
            }
            TestFiles.text(
                    root.resolve("ImageSets/Segmentation/train.txt"),
                    ids[0] + "\n" + ids[1] + "\n");
            TestFiles.text(root.resolve("ImageSets/Segmentation/val.txt"), ids[2] + "\n");
            Path run = root.resolve("run");
            SeglossTrainTest.Run trained =
                    SeglossTrainTest.run(
                            "mask",
                            "--data",
                            root.toString(),
                            "--format",
                            "voc",
                            "--epochs",
                            "1",
                            "--image-size",
                            "32",
                            "--width",
                            "4",
                            "--batch-size",
                            "2",
                            "--output",
                            run.toString());
            assertEquals(trained.code(), 0, trained.err());
            Path output = Files.createTempDirectory("segloss-voc-mask-out").resolve("out");
            SeglossTrainTest.Run predicted =
                    SeglossTrainTest.run(
                            "predict",
                            "--checkpoint",
                            run.resolve("checkpoints/epoch-0001").toString(),
                            "--data",
                            root.toString(),
                            "--format",
                            "voc",
                            "--output",
                            output.toString());
            assertEquals(predicted.code(), 0, predicted.err());
            Path png = output.resolve(ids[2] + ".png");
            BufferedImage mask = ImageIO.read(png.toFile());
            assertEquals(mask.getWidth(), 16);
            assertEquals(mask.getHeight(), 12);
            for (int id : Palette.readClassIdPng(png)) {
                assertTrue(id >= 0 && id <= 2, "instance id " + id);
            }
            assertTrue(Files.isRegularFile(output.resolve(ids[2] + "-overlay.png")));
            JsonObject json =
                    JsonParser.parseString(Files.readString(output.resolve("instances.json")))
                            .getAsJsonObject();
            JsonArray images = json.getAsJsonArray("images");
            assertEquals(images.size(), 1, "the val split only");
            JsonArray instances = images.get(0).getAsJsonObject().getAsJsonArray("instances");
            assertEquals(instances.size(), 2);
            assertEquals(
                    instances.get(0).getAsJsonObject().get("class").getAsString(), "aeroplane");
            assertEquals(instances.get(1).getAsJsonObject().get("class").getAsString(), "person");
        } finally {
            TestFiles.delete(root);
        }
    }
}
