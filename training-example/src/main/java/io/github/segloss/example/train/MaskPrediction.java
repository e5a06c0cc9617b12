package io.github.segloss.example.train;

import io.github.segloss.example.data.DataChecks;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.data.Instance;
import io.github.segloss.example.data.Sample;
import io.github.segloss.example.data.SampleSource;
import io.github.segloss.example.report.Overlay;
import io.github.segloss.example.report.Palette;
import io.github.segloss.example.report.SummaryJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Predicts the instance masks of a dataset with a mask-task checkpoint. The mask head has no
 * detector: each instance's box and class come from the dataset's annotations (VOC or COCO layout,
 * one split), and the head predicts its mask.
 *
 * <p>For each image, at the image's own size: {@code ID.png}, an indexed PNG of instance ids (0 the
 * background, k the k-th instance of the image in the annotations' order, from 1); {@code
 * ID-overlay.png}, each instance blended in its own colour and outlined; and, for the whole run,
 * {@code instances.json} with each image's instances (id, class, box, score). Each instance's mask
 * is {@code InstanceMasks.paste} of its class's logits in its box at image resolution, threshold
 * 0.5; its score is the mean mask probability over its predicted pixels, 0 when it has none ({@link
 * PastedInstances}). Where masks overlap, the higher-scoring instance takes the pixel (of equal
 * scores, the lower id: {@link InstanceIdMap}). The instances of an image are pasted one at a time,
 * so memory holds the image, its id map and one mask. The head sees the image resized to its
 * training size and the boxes scaled with it, as in training. An image holds at most {@value
 * #MAX_INSTANCES} instances (the PNG's palette, 255 being the ignore colour). Every file is written
 * atomically.
 */
public final class MaskPrediction {

    /** The most instances of one image: palette indices 1 to 254. */
    public static final int MAX_INSTANCES = 254;

    /** The file that lists the instances of every image. */
    public static final String INSTANCES = "instances.json";

    /** The message for a mask checkpoint without instance data. */
    public static final String NEEDS_DATA =
            "a mask checkpoint predicts the masks of annotated instances (the head has no detector,"
                    + " so boxes and classes come from a dataset): give --data DIR --format coco|voc"
                    + " [--split val]";

    private final Path checkpoint;
    private final String engine;
    private final long maxImagePixels;
    private final PrintStream out;

    /**
     * Creates a predictor.
     *
     * @param checkpoint a checkpoint folder of a mask run
     * @param engine the engine to run on
     * @param maxImagePixels the largest width × height decoded ({@code --max-image-pixels})
     * @param out where progress goes
     * @throws IllegalArgumentException if maxImagePixels is below 1
     */
    public MaskPrediction(Path checkpoint, String engine, long maxImagePixels, PrintStream out) {
        this.checkpoint = checkpoint;
        this.engine = engine;
        this.maxImagePixels = DataChecks.of(maxImagePixels, false, line -> {}).maxImagePixels();
        this.out = out;
    }

    /**
     * Predicts the instance masks of one split of a dataset.
     *
     * @param data the dataset folder
     * @param format "voc" or "coco"
     * @param split the split: a list of {@code ImageSets/Segmentation} (voc) or {@code
     *     annotations/instances_<split>.json} (coco)
     * @param output the folder for the masks, overlays and {@value #INSTANCES}, outside data
     * @return the number of images predicted
     * @throws IOException if a path cannot be resolved
     * @throws IllegalArgumentException if the checkpoint, the data or the output is not usable
     */
    public int run(Path data, String format, String split, Path output) throws IOException {
        CheckpointModel opened =
                CheckpointModel.open(checkpoint)
                        .requireModel(
                                "MaskRcnnHead",
                                "predict reads mask checkpoints of the built-in MaskRcnnHead",
                                "");
        String name = format.toLowerCase(Locale.ROOT);
        if (!name.equals("voc") && !name.equals("coco")) {
            throw new IllegalArgumentException(
                    "--format "
                            + format
                            + ": "
                            + (name.equals("folder") || name.equals("synthetic")
                                    ? "has no instance annotations; "
                                    : "unknown; ")
                            + "a mask checkpoint predicts from coco or voc data");
        }
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data " + data + ": no such folder");
        }
        Path realData = data.toRealPath();
        if (PredictionFiles.real(output).startsWith(realData)) {
            throw new IllegalArgumentException(
                    "--output "
                            + output
                            + " is inside --data "
                            + data
                            + ": choose an output folder outside the dataset");
        }
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new IllegalArgumentException(
                    "--output " + output + ": is a file, not a folder for the masks");
        }
        SampleSource source =
                DataSources.open(
                        name, data, split, 0, 0, DataChecks.of(maxImagePixels, false, line -> {}));
        List<String> classes = opened.classes();
        if (!source.classes().equals(classes)) {
            throw new IllegalArgumentException(
                    "--data "
                            + data
                            + ": its classes "
                            + source.classes()
                            + " differ from the checkpoint's "
                            + classes);
        }
        Prediction.createFolder(output);
        List<Map<String, Object>> images = new ArrayList<>();
        Map<String, String> written = new HashMap<>();
        int instances = 0;
        try (MaskModel net = MaskModel.load(opened, engine)) {
            for (int i = 0; i < source.size(); i++) {
                Sample sample = source.get(i);
                String stem = sample.id();
                Path mask = output.resolve(stem + ".png");
                Path overlay = output.resolve(stem + "-overlay.png");
                for (Path file : List.of(mask, overlay)) {
                    String earlier = written.put(file.getFileName().toString(), stem);
                    if (earlier != null) {
                        throw new IllegalArgumentException(
                                Prediction.oneLine(
                                        "--data "
                                                + data
                                                + ": images "
                                                + earlier
                                                + " and "
                                                + stem
                                                + " would both write "
                                                + file.getFileName()));
                    }
                }
                InstanceIdMap ids = new InstanceIdMap(sample.height() * sample.width());
                double[] scores = predict(sample, net, data, ids);
                write(sample, ids.ids(), mask, overlay);
                images.add(entry(sample, scores, classes, mask, overlay));
                instances += scores.length;
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("checkpoint", checkpoint.toString());
        json.put("data", data.toString());
        json.put("format", name);
        json.put("split", split);
        json.put("images", images);
        Path list = output.resolve(INSTANCES);
        try {
            SummaryJson.write(list, json);
        } catch (IOException e) {
            throw unwritable(list, e);
        }
        out.println(
                "predicted "
                        + instances
                        + " instance mask(s) in "
                        + images.size()
                        + " image(s) into "
                        + Prediction.oneLine(output.toString()));
        return images.size();
    }

    /**
     * Pastes the instances of one image into its id map, one at a time (one mask in memory);
     * returns their scores.
     */
    private static double[] predict(Sample sample, MaskModel net, Path data, InstanceIdMap ids) {
        int rois = sample.instances().size();
        if (rois > MAX_INSTANCES) {
            throw new IllegalArgumentException(
                    Prediction.oneLine(
                            "--data "
                                    + data
                                    + ": image "
                                    + sample.id()
                                    + " has "
                                    + rois
                                    + " instances; the instance PNG holds at most "
                                    + MAX_INSTANCES));
        }
        double[] scores = new double[rois];
        net.predict(
                sample,
                (r, pixels, score) -> {
                    ids.add(pixels, score);
                    scores[r] = score;
                });
        return scores;
    }

    private static void write(Sample sample, int[] ids, Path mask, Path overlay) {
        Path file = mask;
        try {
            Palette.writeClassIdPng(mask, ids, sample.width(), sample.height());
            file = overlay;
            Overlay.writeInstances(
                    overlay, sample.image(), ids, sample.width(), sample.height(), 0.5f);
        } catch (IOException e) {
            throw unwritable(file, e);
        }
    }

    private static Map<String, Object> entry(
            Sample sample, double[] scores, List<String> classes, Path mask, Path overlay) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int r = 0; r < scores.length; r++) {
            Instance instance = sample.instances().get(r);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", r + 1);
            item.put("class", classes.get(instance.classIndex()));
            item.put("box", instance.box());
            item.put("score", scores[r]);
            list.add(item);
        }
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("image", sample.id());
        image.put("width", sample.width());
        image.put("height", sample.height());
        image.put("mask", mask.getFileName().toString());
        image.put("overlay", overlay.getFileName().toString());
        image.put("instances", list);
        return image;
    }

    private static IllegalArgumentException unwritable(Path file, IOException e) {
        return new IllegalArgumentException(
                Prediction.oneLine(
                        "--output "
                                + file.getParent()
                                + ": cannot write "
                                + file.getFileName()
                                + ": "
                                + Prediction.reason(e)),
                e);
    }
}
