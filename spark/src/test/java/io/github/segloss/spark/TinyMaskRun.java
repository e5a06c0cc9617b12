package io.github.segloss.spark;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.data.Instance;
import io.github.segloss.example.data.Sample;
import io.github.segloss.example.data.SampleSource;
import io.github.segloss.example.report.Overlay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A tiny COCO dataset of synthetic shapes and a mask checkpoint trained by segloss-train for one
 * epoch, made once per test JVM. The val split holds 6 images of 48×48 and 3 of 40×40 (the head
 * sees 32×32), each shape annotated as the polygon of its box, and one corrupt image (bad when
 * read).
 */
final class TinyMaskRun {

    /** The good images of the val split. */
    static final int GOOD = 9;

    private static TinyMaskRun instance;

    final Path data;
    final Path checkpoint;

    private TinyMaskRun(Path data, Path checkpoint) {
        this.data = data;
        this.checkpoint = checkpoint;
    }

    static synchronized TinyMaskRun get() throws IOException {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    private static TinyMaskRun create() throws IOException {
        Path root = Files.createTempDirectory("segloss-spark-mask-test");
        Path runs = root.resolve("run");
        TinyRun.Result trained =
                TinyRun.run(
                        "mask",
                        "--epochs",
                        "1",
                        "--image-size",
                        "32",
                        "--width",
                        "4",
                        "--batch-size",
                        "4",
                        "--synthetic-count",
                        "8",
                        "--max-batches",
                        "2",
                        "--output",
                        runs.toString());
        if (trained.code() != 0) {
            throw new IllegalStateException("mask training failed: " + trained.err());
        }
        Path data = root.resolve("coco");
        Files.createDirectories(data.resolve("val"));
        Files.createDirectories(data.resolve("annotations"));
        List<String> classes = DataSources.SYNTHETIC_CLASSES;
        JsonArray images = new JsonArray();
        JsonArray annotations = new JsonArray();
        JsonArray categories = new JsonArray();
        for (int c = 1; c < classes.size(); c++) {
            JsonObject category = new JsonObject();
            category.addProperty("id", c);
            category.addProperty("name", classes.get(c));
            categories.add(category);
        }
        SampleSource large = DataSources.synthetic(6, 48, classes, 5);
        SampleSource small = DataSources.synthetic(3, 40, classes, 6);
        for (int i = 0; i < GOOD; i++) {
            Sample sample = i < 6 ? large.get(i) : small.get(i - 6);
            String file = "img" + i + ".png";
            ImageIO.write(
                    Overlay.image(sample.image(), sample.width(), sample.height()),
                    "png",
                    data.resolve("val").resolve(file).toFile());
            images.add(image(i + 1, file, sample.height(), sample.width()));
            for (Instance shape : sample.instances()) {
                float[] b = shape.box();
                JsonArray polygon = new JsonArray();
                for (float v : new float[] {b[0], b[1], b[2], b[1], b[2], b[3], b[0], b[3]}) {
                    polygon.add(v);
                }
                JsonArray segmentation = new JsonArray();
                segmentation.add(polygon);
                JsonObject annotation = new JsonObject();
                annotation.addProperty("id", annotations.size() + 1);
                annotation.addProperty("image_id", i + 1);
                annotation.addProperty("category_id", shape.classIndex());
                annotation.addProperty("iscrowd", 0);
                annotation.add("segmentation", segmentation);
                annotations.add(annotation);
            }
        }
        Files.write(data.resolve("val/corrupt.png"), "not a png at all".getBytes());
        images.add(image(GOOD + 1, "corrupt.png", 48, 48));
        JsonObject json = new JsonObject();
        json.add("images", images);
        json.add("annotations", annotations);
        json.add("categories", categories);
        Files.writeString(
                data.resolve("annotations/instances_val.json"),
                json.toString(),
                StandardCharsets.UTF_8);
        return new TinyMaskRun(data, runs.resolve("checkpoints").resolve("epoch-0001"));
    }

    private static JsonObject image(int id, String file, int height, int width) {
        JsonObject image = new JsonObject();
        image.addProperty("id", id);
        image.addProperty("file_name", file);
        image.addProperty("height", height);
        image.addProperty("width", width);
        return image;
    }
}
