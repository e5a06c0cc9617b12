package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.segloss.example.SeglossTrain;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.data.Instance;
import io.github.segloss.example.data.Sample;
import io.github.segloss.example.data.SampleSource;
import io.github.segloss.example.model.MaskRcnnHead;
import io.github.segloss.example.report.Palette;
import io.github.segloss.example.train.Checkpoints;
import io.github.segloss.inference.InstanceMasks;
import io.github.segloss.metric.BoundaryIoU;
import io.github.segloss.metric.IouType;
import io.github.segloss.metric.MaskApResult;
import io.github.segloss.metric.MaskAveragePrecision;
import io.github.segloss.target.BilinearResize;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * {@code segloss-train predict} with a mask checkpoint: instance-id PNGs, overlays and {@code
 * instances.json} for the annotated instances of a COCO dataset, on both engines, and the refusals.
 */
public class MaskPredictTest {

    /** Height and width of the dataset's images: square and not, larger and smaller than 32. */
    private static final int[][] SIZES = {{32, 32}, {40, 48}, {48, 24}};

    private final Map<String, Path> checkpoints = new HashMap<>();
    private Path data;
    private List<Sample> samples;

    @DataProvider(name = "engines")
    public Object[][] engines() {
        return new Object[][] {{"PyTorch"}, {"MXNet"}};
    }

    @BeforeClass
    public void trainAndWriteData() throws IOException {
        for (String engine : List.of("PyTorch", "MXNet")) {
            Path run = Files.createTempDirectory("segloss-mask-predict-run");
            TinyRuns.train("mask", run, "--engine", engine, "--epochs", "1");
            checkpoints.put(engine, Checkpoints.latest(run.resolve("checkpoints")).orElseThrow());
        }
        samples = CocoInstances.samples(SIZES);
        data = CocoInstances.write(Files.createTempDirectory("segloss-mask-coco"), samples);
    }

    private SeglossTrainTest.Run predict(String engine, Path output, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "predict",
                                "--checkpoint",
                                checkpoints.get(engine).toString(),
                                "--engine",
                                engine,
                                "--output",
                                output.toString()));
        args.addAll(List.of(more));
        return SeglossTrainTest.run(args.toArray(new String[0]));
    }

    @Test(dataProvider = "engines")
    public void writesInstanceIdsEqualToPastedMasksAndOverlaysAtEachImagesSize(String engine)
            throws IOException {
        Path output = Files.createTempDirectory("segloss-mask-predict").resolve("out");
        SeglossTrainTest.Run run =
                predict(engine, output, "--data", data.toString(), "--format", "coco");
        assertEquals(run.code(), 0, run.err());
        JsonObject json =
                JsonParser.parseString(Files.readString(output.resolve("instances.json")))
                        .getAsJsonObject();
        JsonArray images = json.getAsJsonArray("images");
        assertEquals(images.size(), SIZES.length);
        SampleSource source = DataSources.open("coco", data, "val", 0, 0);
        long foreground = 0;
        for (int i = 0; i < SIZES.length; i++) {
            Sample sample = source.get(i);
            int height = SIZES[i][0];
            int width = SIZES[i][1];
            assertEquals(sample.height(), height);
            JsonObject image = images.get(i).getAsJsonObject();
            assertEquals(image.get("image").getAsString(), "img" + i);
            JsonArray instances = image.getAsJsonArray("instances");
            int count = sample.instances().size();
            assertTrue(count > 0, "every test image has instances");
            assertEquals(instances.size(), count, "one entry per annotated instance");
            double[] scores = new double[count];
            for (int r = 0; r < count; r++) {
                JsonObject instance = instances.get(r).getAsJsonObject();
                assertEquals(instance.get("id").getAsInt(), r + 1);
                int classIndex = sample.instances().get(r).classIndex();
                assertEquals(
                        instance.get("class").getAsString(),
                        DataSources.SYNTHETIC_CLASSES.get(classIndex));
                assertEquals(instance.getAsJsonArray("box").size(), 4);
                scores[r] = instance.get("score").getAsDouble();
                assertTrue(scores[r] >= 0 && scores[r] <= 1, "score " + scores[r]);
            }
            Path png = output.resolve("img" + i + ".png");
            BufferedImage mask = ImageIO.read(png.toFile());
            assertEquals(mask.getWidth(), width, png.toString());
            assertEquals(mask.getHeight(), height, png.toString());
            BufferedImage overlay =
                    ImageIO.read(output.resolve("img" + i + "-overlay.png").toFile());
            assertEquals(overlay.getWidth(), width);
            assertEquals(overlay.getHeight(), height);
            int[] ids = Palette.readClassIdPng(png);
            int[] expected = expectedIds(engine, sample, scores);
            for (int id : ids) {
                assertTrue(id >= 0 && id <= count, "instance id " + id + " of " + count);
                foreground += id > 0 ? 1 : 0;
            }
            assertEquals(ids, expected, "img" + i + ": the pasted masks, higher score on top");
        }
        assertTrue(foreground > 0, "some instance has predicted pixels");
    }

    /**
     * The ids recomputed from the checkpoint ({@link #pastedMasks}), the higher score (then the
     * lower id) where masks overlap.
     */
    private int[] expectedIds(String engine, Sample sample, double[] scores) throws IOException {
        int[] masks = pastedMasks(engine, sample);
        int count = sample.instances().size();
        int plane = sample.height() * sample.width();
        int[] ids = new int[plane];
        for (int p = 0; p < plane; p++) {
            double best = -1;
            for (int r = 0; r < count; r++) {
                if (masks[r * plane + p] != 0 && scores[r] > best) {
                    best = scores[r];
                    ids[p] = r + 1;
                }
            }
        }
        return ids;
    }

    /**
     * The instance masks recomputed from the checkpoint: the head's logits on the image resized to
     * 32² with the boxes scaled alike, {@code InstanceMasks.paste} of them into the boxes at the
     * image's size; R masks of H·W pixels, 0 or 1, one after another.
     */
    private int[] pastedMasks(String engine, Sample sample) throws IOException {
        int height = sample.height();
        int width = sample.width();
        List<Instance> instances = sample.instances();
        int count = instances.size();
        float[] boxes = new float[4 * count];
        float[] scaled = new float[4 * count];
        int[] classIds = new int[count];
        for (int r = 0; r < count; r++) {
            float[] box = instances.get(r).box();
            for (int c = 0; c < 4; c++) {
                boxes[4 * r + c] = box[c];
                scaled[4 * r + c] = box[c] * 32f / (c % 2 == 0 ? width : height);
            }
            classIds[r] = instances.get(r).classIndex() - 1;
        }
        int[] masks;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine)) {
            MaskRcnnHead net = new MaskRcnnHead(3, 4);
            net.setInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
            net.initialize(
                    manager,
                    DataType.FLOAT32,
                    new Shape(1, 3, 32, 32),
                    new Shape(1, 4),
                    new Shape(1));
            assertEquals(Checkpoints.load(checkpoints.get(engine), net, manager), List.of());
            NDArray image =
                    BilinearResize.resize(
                            manager.create(sample.image(), new Shape(1, 3, height, width)),
                            32,
                            32,
                            false);
            NDArray logits =
                    net.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(
                                            image,
                                            manager.create(scaled, new Shape(count, 4)),
                                            manager.zeros(new Shape(count), DataType.INT32)),
                                    false)
                            .head();
            masks =
                    InstanceMasks.paste(
                                    logits,
                                    manager.create(boxes, new Shape(count, 4)),
                                    manager.create(classIds),
                                    height,
                                    width)
                            .toType(DataType.INT32, false)
                            .toIntArray();
        }
        return masks;
    }

    /**
     * evaluate's mask AP equals COCOeval's (segloss's {@link MaskAveragePrecision}) fed here from
     * predict's scores, the masks pasted anew and the annotations, on a dataset where each image
     * also has a crowd region of each class over the whole image: a detection that matches no
     * object of its class is ignored, as COCOeval ignores it, not counted as a false positive.
     */
    @Test(dataProvider = "engines")
    public void evaluateGivesTheMaskApOfPredictsMasksAndScores(String engine) throws IOException {
        Path base = Files.createTempDirectory("segloss-mask-evaluate");
        Path data =
                CocoInstances.write(
                        Files.createTempDirectory("segloss-mask-coco-crowd"), samples, true);
        SeglossTrainTest.Run predicted =
                predict(
                        engine,
                        base.resolve("predicted"),
                        "--data",
                        data.toString(),
                        "--format",
                        "coco");
        assertEquals(predicted.code(), 0, predicted.err());
        SeglossTrainTest.Run evaluated =
                SeglossTrainTest.run(
                        "evaluate",
                        "--checkpoint",
                        checkpoints.get(engine).toString(),
                        "--engine",
                        engine,
                        "--data",
                        data.toString(),
                        "--format",
                        "coco",
                        "--output",
                        base.resolve("evaluated").toString());
        assertEquals(evaluated.code(), 0, evaluated.err());
        JsonObject metrics =
                JsonParser.parseString(Files.readString(base.resolve("evaluated/metrics.json")))
                        .getAsJsonObject();
        JsonArray images =
                JsonParser.parseString(Files.readString(base.resolve("predicted/instances.json")))
                        .getAsJsonObject()
                        .getAsJsonArray("images");
        // the reference, fed here: predict's scores, masks pasted anew, the annotations
        MaskAveragePrecision segm = new MaskAveragePrecision(3);
        MaskAveragePrecision boundary =
                MaskAveragePrecision.builder()
                        .setNumClasses(3)
                        .optIouType(IouType.BOUNDARY)
                        .build();
        double boundarySum = 0;
        int boundaryCount = 0;
        SampleSource source = DataSources.open("coco", data, "val", 0, 0);
        for (int i = 0; i < source.size(); i++) {
            Sample sample = source.get(i);
            int plane = sample.height() * sample.width();
            int count = sample.instances().size();
            int[] masks = pastedMasks(engine, sample);
            JsonArray instances = images.get(i).getAsJsonObject().getAsJsonArray("instances");
            boolean[][] predictedMasks = new boolean[count][plane];
            boolean[][] truths = new boolean[count][plane];
            double[] scores = new double[count];
            int[] classes = new int[count];
            for (int r = 0; r < count; r++) {
                for (int p = 0; p < plane; p++) {
                    predictedMasks[r][p] = masks[r * plane + p] != 0;
                    truths[r][p] = sample.instances().get(r).mask()[p] != 0;
                }
                scores[r] = instances.get(r).getAsJsonObject().get("score").getAsDouble();
                classes[r] = sample.instances().get(r).classIndex() - 1;
                double iou =
                        BoundaryIoU.of(
                                truths[r],
                                predictedMasks[r],
                                sample.height(),
                                sample.width(),
                                0.02);
                if (!Double.isNaN(iou)) {
                    boundarySum += iou;
                    boundaryCount++;
                }
            }
            assertEquals(sample.crowds().size(), 3, "a crowd region of each class per image");
            boolean[][] groundTruths = java.util.Arrays.copyOf(truths, count + 3);
            int[] groundTruthClasses = java.util.Arrays.copyOf(classes, count + 3);
            boolean[] crowd = new boolean[count + 3];
            for (int c = 0; c < 3; c++) {
                groundTruths[count + c] = new boolean[plane];
                java.util.Arrays.fill(groundTruths[count + c], true);
                groundTruthClasses[count + c] = c;
                crowd[count + c] = true;
            }
            for (MaskAveragePrecision ap : List.of(segm, boundary)) {
                ap.addImage(
                        sample.height(),
                        sample.width(),
                        predictedMasks,
                        scores,
                        classes,
                        groundTruths,
                        groundTruthClasses,
                        crowd);
            }
        }
        MaskApResult expected = segm.evaluate();

        MaskApResult expectedBoundary = boundary.evaluate();
        String[] names = {
            "AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"
        };
        assertTrue(expected.ap() > 0, "some mask matches its ground truth: " + expected.ap());
        for (int k = 0; k < names.length; k++) {
            assertStat(metrics.get(names[k]), expected.stats()[k], names[k]);
            assertStat(
                    metrics.getAsJsonObject("boundary").get(names[k]),
                    expectedBoundary.stats()[k],
                    "boundary " + names[k]);
        }
        assertStat(metrics.get("boundaryAP"), expectedBoundary.ap(), "boundaryAP");
        assertStat(metrics.get("meanBoundaryIoU"), boundarySum / boundaryCount, "mean BIoU");
        JsonArray perClass = metrics.getAsJsonArray("classes");
        assertEquals(perClass.size(), 3);
        for (int c = 0; c < 3; c++) {
            JsonObject entry = perClass.get(c).getAsJsonObject();
            assertEquals(entry.get("name").getAsString(), DataSources.SYNTHETIC_CLASSES.get(c + 1));
            assertStat(entry.get("ap"), expected.perClassAp()[c], "class " + c + " AP");
            assertStat(entry.get("boundaryAp"), expectedBoundary.perClassAp()[c], "class " + c);
        }
        assertEquals(metrics.get("images").getAsLong(), SIZES.length);
        assertEquals(metrics.get("badImages").getAsLong(), 0);
        assertEquals(metrics.get("boxes").getAsString(), "ground truth");
    }

    /** A metrics.json number: null where the reference is undefined, else the same double. */
    private static void assertStat(JsonElement actual, double expected, String name) {
        if (Double.isNaN(expected)) {
            assertTrue(actual.isJsonNull(), name + " is undefined: null, got " + actual);
        } else {
            assertEquals(actual.getAsDouble(), expected, 0.0, name);
        }
    }

    @Test
    public void evaluateWithAMaskCheckpointRefusesDataWithoutInstances() throws IOException {
        Path output = Files.createTempDirectory("segloss-mask-evaluate-folder").resolve("out");
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "evaluate",
                        "--checkpoint",
                        checkpoints.get("PyTorch").toString(),
                        "--data",
                        data.toString(),
                        "--format",
                        "folder",
                        "--output",
                        output.toString());
        assertEquals(run.code(), SeglossTrain.USAGE, run.err());
        String line = ErrorLine.of(run);
        assertTrue(line.contains("--format folder") && line.contains("coco or voc"), line);
    }

    @Test
    public void aMaskCheckpointWithPlainImagesIsOneLineAndExitCodeTwo() throws IOException {
        Path images = Files.createTempDirectory("segloss-mask-predict-images");
        Files.copy(data.resolve("val/img0.png"), images.resolve("img0.png"));
        Path output = Files.createTempDirectory("segloss-mask-predict-plain").resolve("out");
        SeglossTrainTest.Run run = predict("PyTorch", output, "--input", images.toString());
        assertEquals(run.code(), SeglossTrain.USAGE, run.err());
        String line = ErrorLine.of(run);
        assertTrue(line.contains("--input " + images), line);
        assertTrue(line.contains("--data DIR --format coco|voc"), line);
        assertTrue(!Files.exists(output), "nothing written");
    }

    @Test
    public void aMaskCheckpointWithoutDataIsOneLineAndExitCodeTwo() throws IOException {
        Path output = Files.createTempDirectory("segloss-mask-predict-nodata").resolve("out");
        SeglossTrainTest.Run run = predict("PyTorch", output);
        assertEquals(run.code(), SeglossTrain.USAGE, run.err());
        assertTrue(ErrorLine.of(run).contains("--data: a mask checkpoint"), run.err());
    }

    @Test
    public void aMissingDatasetOrAnnotationFileIsOneLineAndExitCodeTwo() throws IOException {
        Path base = Files.createTempDirectory("segloss-mask-predict-missing");
        Path missing = base.resolve("nowhere");
        SeglossTrainTest.Run run =
                predict("PyTorch", base.resolve("out"), "--data", missing.toString());
        assertEquals(run.code(), SeglossTrain.USAGE, run.err());
        String line = ErrorLine.of(run);
        assertTrue(line.contains("--data " + missing) && line.contains("no such folder"), line);
        run = predict("PyTorch", base.resolve("out"), "--data", data.toString(), "--split", "test");
        assertEquals(run.code(), SeglossTrain.USAGE, run.err());
        assertTrue(ErrorLine.of(run).contains("instances_test.json"), run.err());
    }

    @Test
    public void aFormatWithoutInstancesIsOneLineAndExitCodeTwo() throws IOException {
        Path output = Files.createTempDirectory("segloss-mask-predict-folder").resolve("out");
        SeglossTrainTest.Run run =
                predict("PyTorch", output, "--data", data.toString(), "--format", "folder");
        assertEquals(run.code(), SeglossTrain.USAGE, run.err());
        String line = ErrorLine.of(run);
        assertTrue(line.contains("--format folder") && line.contains("coco or voc"), line);
    }

    @Test
    public void aSemanticCheckpointWithInstanceOptionsIsOneLineAndExitCodeTwo() throws IOException {
        Path run = Files.createTempDirectory("segloss-mask-predict-semantic");
        TinyRuns.train("semantic", run, "--epochs", "1");
        Path semantic = Checkpoints.latest(run.resolve("checkpoints")).orElseThrow();
        Path output = Files.createTempDirectory("segloss-mask-predict-semantic").resolve("out");
        for (String option : List.of("--data", "--format", "--split")) {
            String value = option.equals("--data") ? data.toString() : "coco";
            SeglossTrainTest.Run result =
                    SeglossTrainTest.run(
                            "predict",
                            "--checkpoint",
                            semantic.toString(),
                            "--output",
                            output.toString(),
                            option,
                            value);
            assertEquals(result.code(), SeglossTrain.USAGE, result.err());
            String line = ErrorLine.of(result);
            assertTrue(
                    line.startsWith("segloss-train: " + option)
                            && line.contains("are for mask checkpoints"),
                    line);
        }
    }
}
