package io.github.segloss.example.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.data.Instance;
import io.github.segloss.example.data.Sample;
import io.github.segloss.example.report.Overlay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Tiny COCO datasets of synthetic shapes for the mask {@code predict} tests: images of different
 * sizes (some not square), each written as a PNG with its instances as uncompressed RLE.
 */
final class CocoInstances {

    private CocoInstances() {}

    /**
     * Synthetic samples of the default classes cropped to the given sizes (rows and columns from
     * the top left), keeping the instances that stay non-empty.
     *
     * @param sizes height and width pairs, each at most 48
     * @return one sample per pair
     */
    static List<Sample> samples(int[][] sizes) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            Sample full =
                    DataSources.synthetic(sizes.length, 48, DataSources.SYNTHETIC_CLASSES, 7)
                            .get(i);
            samples.add(crop(full, "img" + i, sizes[i][0], sizes[i][1]));
        }
        return samples;
    }

    private static Sample crop(Sample sample, String id, int height, int width) {
        int side = sample.width();
        float[] image = new float[3 * height * width];
        int[] semantic = new int[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    image[(c * height + y) * width + x] = sample.image()[(c * side + y) * side + x];
                }
                semantic[y * width + x] = sample.semantic()[y * side + x];
            }
        }
        List<Instance> instances = new ArrayList<>();
        for (Instance instance : sample.instances()) {
            byte[] mask = new byte[height * width];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    mask[y * width + x] = instance.mask()[y * side + x];
                }
            }
            Instance cropped = Instance.ofMask(instance.classIndex(), mask, width);
            if (cropped != null) {
                instances.add(cropped);
            }
        }
        return new Sample(id, height, width, image, semantic, instances);
    }

    /**
     * Writes samples as the split "val" of a COCO dataset: {@code val/<id>.png} and {@code
     * annotations/instances_val.json}, categories 1 to 3 the synthetic shapes.
     *
     * @param root the dataset folder
     * @param samples the samples
     * @return root
     * @throws IOException if a file cannot be written
     */
    static Path write(Path root, List<Sample> samples) throws IOException {
        return write(root, samples, false);
    }

    /**
     * Writes the samples as a COCO dataset, optionally with a crowd region of each object class
     * over each whole image.
     *
     * @param root the dataset folder
     * @param samples the samples
     * @param crowds whether each image gets, per object class, an {@code iscrowd = 1} annotation
     *     covering it
     * @return root
     * @throws IOException if a file cannot be written
     */
    static Path write(Path root, List<Sample> samples, boolean crowds) throws IOException {
        Files.createDirectories(root.resolve("val"));
        Files.createDirectories(root.resolve("annotations"));
        JsonArray images = new JsonArray();
        JsonArray annotations = new JsonArray();
        JsonArray categories = new JsonArray();
        List<String> classes = DataSources.SYNTHETIC_CLASSES;
        for (int c = 1; c < classes.size(); c++) {
            JsonObject category = new JsonObject();
            category.addProperty("id", c);
            category.addProperty("name", classes.get(c));
            categories.add(category);
        }
        int annotationId = 1;
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            String file = sample.id() + ".png";
            ImageIO.write(
                    Overlay.image(sample.image(), sample.width(), sample.height()),
                    "png",
                    root.resolve("val").resolve(file).toFile());
            JsonObject image = new JsonObject();
            image.addProperty("id", i + 1);
            image.addProperty("file_name", file);
            image.addProperty("height", sample.height());
            image.addProperty("width", sample.width());
            images.add(image);
            for (Instance instance : sample.instances()) {
                JsonObject annotation = new JsonObject();
                annotation.addProperty("id", annotationId++);
                annotation.addProperty("image_id", i + 1);
                annotation.addProperty("category_id", instance.classIndex());
                annotation.addProperty("iscrowd", 0);
                annotation.add(
                        "segmentation", rle(instance.mask(), sample.height(), sample.width()));
                annotations.add(annotation);
            }
            for (int c = 1; crowds && c < classes.size(); c++) {
                byte[] everywhere = new byte[sample.height() * sample.width()];
                java.util.Arrays.fill(everywhere, (byte) 1);
                JsonObject crowd = new JsonObject();
                crowd.addProperty("id", annotationId++);
                crowd.addProperty("image_id", i + 1);
                crowd.addProperty("category_id", c);
                crowd.addProperty("iscrowd", 1);
                crowd.add("segmentation", rle(everywhere, sample.height(), sample.width()));
                annotations.add(crowd);
            }
        }
        JsonObject json = new JsonObject();
        json.add("images", images);
        json.add("annotations", annotations);
        json.add("categories", categories);
        Files.writeString(
                root.resolve("annotations/instances_val.json"),
                json.toString(),
                StandardCharsets.UTF_8);
        return root;
    }

    /** COCO's uncompressed RLE: run lengths in column-major order, starting with zeros. */
    private static JsonObject rle(byte[] mask, int height, int width) {
        JsonArray counts = new JsonArray();
        int run = 0;
        int value = 0;
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                int pixel = mask[y * width + x] != 0 ? 1 : 0;
                if (pixel != value) {
                    counts.add(run);
                    run = 0;
                    value = pixel;
                }
                run++;
            }
        }
        counts.add(run);
        JsonObject rle = new JsonObject();
        JsonArray size = new JsonArray();
        size.add(height);
        size.add(width);
        rle.add("size", size);
        rle.add("counts", counts);
        return rle;
    }
}
