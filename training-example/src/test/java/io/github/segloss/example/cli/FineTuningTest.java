package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.segloss.example.TestResources;
import io.github.segloss.example.train.Checkpoints;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Fine-tuning options: {@code --backbone-lr-scale} trains the backbone at a fraction of the
 * learning rate (0: not at all) and {@code --freeze-bn-stats} keeps batch normalisation's running
 * statistics as loaded, on both tasks' built-in models (PSPNet and the mask head, both engines) and
 * on a TorchScript model (the committed {@code tiny-lraspp.pt}: torchvision's LR-ASPP-MobileNetV3
 * at width 0.1, 21 classes, random weights saved to a file and scripted by {@code trace_model.py
 * --weights}; {@code training-example/scripts/tiny_lraspp.sh} rewrites it).
 */
public class FineTuningTest {

    /** Batch norm's running statistics move with every training batch, whatever the rate. */
    private static final Predicate<String> TRAINABLE = name -> !name.contains("running");

    /** The backbone of both built-in models: their first child, "backbone". */
    private static final Predicate<String> BUILT_IN_BACKBONE =
            TRAINABLE.and(name -> name.startsWith("01backbone_"));

    private static final Predicate<String> BUILT_IN_HEADS =
            TRAINABLE.and(name -> !name.startsWith("01backbone_"));
    private static final Predicate<String> TS_BACKBONE = name -> name.startsWith("model.backbone.");

    /** Both tasks' built-in models (PSPNet and the mask head) on both engines. */
    @DataProvider(name = "builtIn")
    public Object[][] builtIn() {
        return new Object[][] {
            {"semantic", "PyTorch"}, {"semantic", "MXNet"}, {"mask", "PyTorch"}, {"mask", "MXNet"}
        };
    }

    @Test(dataProvider = "builtIn")
    public void backboneLearnsAtTheScaledRateOfABuiltInModel(String task, String engine)
            throws IOException {
        String at = task + " on " + engine;
        Path source = Files.createTempDirectory("segloss-finetune-source");
        train(task, source, "--engine", engine);
        Path loaded = source.resolve("checkpoints/epoch-0001");
        Map<String, float[]> before = LoadedWeightsTest.weights(loaded);
        Map<String, float[]> none = fineTune(task, engine, loaded, "--backbone-lr-scale", "0");
        Map<String, float[]> tenth = fineTune(task, engine, loaded, "--backbone-lr-scale", "0.1");
        Map<String, float[]> full = fineTune(task, engine, loaded, "--backbone-lr-scale", "1");
        assertEquals(movement(before, none, BUILT_IN_BACKBONE), 0.0, at + ": scale 0");
        assertTrue(
                movement(before, none, BUILT_IN_HEADS) > 1e-3, at + ": the heads train at scale 0");
        double ratio =
                movement(before, tenth, BUILT_IN_BACKBONE)
                        / movement(before, full, BUILT_IN_BACKBONE);
        assertEquals(ratio, 0.1, 0.01, at + ": backbone movement at 0.1 over that at 1");
    }

    @Test(dataProvider = "builtIn")
    public void frozenStatisticsStayAsLoadedOnABuiltInModel(String task, String engine)
            throws IOException {
        String at = task + " on " + engine;
        Path source = Files.createTempDirectory("segloss-finetune-bn-source");
        train(task, source, "--engine", engine);
        Path loaded = source.resolve("checkpoints/epoch-0001");
        Map<String, float[]> before = LoadedWeightsTest.weights(loaded);
        Map<String, float[]> frozen = fineTune(task, engine, loaded, "--freeze-bn-stats");
        Map<String, float[]> free = fineTune(task, engine, loaded);
        Predicate<String> statistics = name -> name.contains("running");
        assertEquals(movement(before, frozen, statistics), 0.0, at + ": frozen statistics");
        assertTrue(
                movement(before, free, statistics) > 1e-3,
                at + ": without the option training moves the statistics");
        assertTrue(
                movement(before, frozen, name -> name.endsWith("gamma")) > 1e-3,
                at + ": batch norm's scale still trains");
    }

    @Test
    public void backboneLearnsAtTheScaledRateOfATorchScriptModel() throws Exception {
        Path model = tinyLraspp();
        Path voc = vocFolder();
        Map<String, float[]> before = torchScriptWeights(model);
        Map<String, float[]> none = fineTuneVoc(model, voc, "--backbone-lr-scale", "0");
        Map<String, float[]> tenth = fineTuneVoc(model, voc, "--backbone-lr-scale", "0.1");
        Map<String, float[]> full = fineTuneVoc(model, voc, "--backbone-lr-scale", "1");
        assertEquals(movement(before, none, TS_BACKBONE), 0.0, "scale 0");
        assertTrue(movement(before, none, TS_BACKBONE.negate()) > 1e-3, "the head trains");
        double ratio = movement(before, tenth, TS_BACKBONE) / movement(before, full, TS_BACKBONE);
        assertEquals(ratio, 0.1, 0.01, "backbone movement at 0.1 over that at 1");
    }

    /**
     * DJL does not read a TorchScript module's buffers, so the statistics are compared through the
     * module's inference output: at a learning rate of 1e-9 the weights stay as loaded (Adam moves
     * each by about 2e-9 here), so the trained module predicts as the loaded one exactly when its
     * running statistics are the loaded ones.
     */
    @Test
    public void frozenStatisticsStayAsLoadedInATorchScriptModel() throws Exception {
        Path model = tinyLraspp();
        Path voc = vocFolder();
        Path frozen = fineTuneVocRun(model, voc, "--lr", "1e-9", "--freeze-bn-stats");
        Path free = fineTuneVocRun(model, voc, "--lr", "1e-9");
        float[] loaded;
        try (Model file = Model.newInstance("file", Device.cpu(), "PyTorch")) {
            file.load(model.getParent(), "tiny-lraspp", Map.of("trainParam", "true"));
            loaded = predict(file);
        }
        double frozenDifference = maxDifference(loaded, predictCheckpoint(frozen));
        double freeDifference = maxDifference(loaded, predictCheckpoint(free));
        assertTrue(
                frozenDifference < 1e-5, "frozen statistics: output moved by " + frozenDifference);
        assertTrue(
                freeDifference > 1e-2,
                "without the option the statistics move the output, by only " + freeDifference);
    }

    @Test
    public void aTorchScriptModelWithoutTheMethodCannotFreeze() throws IOException {
        Path model = TestResources.copy("tiny-segnet.pt");
        Path folder = model.getParent();
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "semantic",
                        "--output",
                        folder.resolve("run").toString(),
                        "--torchscript",
                        model.toString(),
                        "--freeze-bn-stats",
                        "--image-size",
                        "32",
                        "--batch-size",
                        "2",
                        "--synthetic-count",
                        "4",
                        "--max-batches",
                        "1",
                        "--epochs",
                        "1");
        assertEquals(run.code(), 2, run.err());
        String line = ErrorLine.of(run);
        for (String part : List.of("--freeze-bn-stats", model.toString(), "freeze_batch_norm")) {
            assertTrue(line.contains(part), line);
        }
    }

    @Test
    public void aNegativeScaleIsRefused() throws IOException {
        Path output = Files.createTempDirectory("segloss-finetune-negative");
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "semantic", "--output", output.toString(), "--backbone-lr-scale", "-1");
        assertEquals(run.code(), 2, run.err());
        String line = ErrorLine.of(run);
        assertTrue(line.contains("--backbone-lr-scale") && line.contains("-1"), line);
    }

    /** One tiny epoch (see {@link TinyRuns}) unless {@code more} says otherwise. */
    private static void train(String task, Path output, String... more) {
        List<String> args = new ArrayList<>(Arrays.asList(more));
        if (!args.contains("--epochs")) {
            args.addAll(List.of("--epochs", "1"));
        }
        TinyRuns.train(task, output, args.toArray(new String[0]));
    }

    private static Map<String, float[]> fineTune(
            String task, String engine, Path loaded, String... more) throws IOException {
        Path output = Files.createTempDirectory("segloss-finetune");
        List<String> args =
                new ArrayList<>(List.of("--engine", engine, "--pretrained", loaded.toString()));
        args.addAll(Arrays.asList(more));
        train(task, output, args.toArray(new String[0]));
        return LoadedWeightsTest.weights(output.resolve("checkpoints/epoch-0001"));
    }

    private static Map<String, float[]> fineTuneVoc(Path model, Path voc, String... more)
            throws IOException {
        return LoadedWeightsTest.weights(fineTuneVocRun(model, voc, more));
    }

    /** Fine-tunes the TorchScript model on the VOC folder; returns the checkpoint. */
    private static Path fineTuneVocRun(Path model, Path voc, String... more) throws IOException {
        Path output = Files.createTempDirectory("segloss-finetune-voc");
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "semantic",
                                "--output",
                                output.toString(),
                                "--torchscript",
                                model.toString(),
                                "--data",
                                voc.toString(),
                                "--format",
                                "voc",
                                "--image-size",
                                "32",
                                "--batch-size",
                                "4",
                                "--max-batches",
                                "2",
                                "--epochs",
                                "1"));
        args.addAll(Arrays.asList(more));
        SeglossTrainTest.Run run = SeglossTrainTest.run(args.toArray(new String[0]));
        assertEquals(run.code(), 0, run.err());
        return output.resolve("checkpoints/epoch-0001");
    }

    /** The root-mean-square change of the parameters whose names match, over all their values. */
    private static double movement(
            Map<String, float[]> before, Map<String, float[]> after, Predicate<String> names) {
        double sum = 0;
        long count = 0;
        for (Map.Entry<String, float[]> entry : after.entrySet()) {
            if (!names.test(entry.getKey())) {
                continue;
            }
            float[] old = before.get(entry.getKey());
            assertTrue(old != null, entry.getKey() + " is not among the loaded parameters");
            for (int i = 0; i < old.length; i++) {
                double d = (double) entry.getValue()[i] - old[i];
                sum += d * d;
            }
            count += old.length;
        }
        assertTrue(count > 0, "no parameter matched in " + after.keySet());
        return Math.sqrt(sum / count);
    }

    private static Map<String, float[]> torchScriptWeights(Path file)
            throws IOException, MalformedModelException {
        Map<String, float[]> weights = new HashMap<>();
        try (Model model = Model.newInstance("loaded", Device.cpu(), "PyTorch")) {
            model.load(file.getParent(), "tiny-lraspp", Map.of("trainParam", "true"));
            for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
                weights.put(pair.getKey(), pair.getValue().getArray().toFloatArray());
            }
        }
        return weights;
    }

    /**
     * The inference output of the checkpoint's whole module: {@code module.bin} is the TorchScript
     * file after DJL's header (a version byte and the length).
     */
    private static float[] predictCheckpoint(Path checkpoint)
            throws IOException, MalformedModelException {
        byte[] saved = Files.readAllBytes(checkpoint.resolve(Checkpoints.MODULE));
        Path folder = Files.createTempDirectory("segloss-finetune-module");
        Files.write(folder.resolve("trained.pt"), Arrays.copyOfRange(saved, 9, saved.length));
        try (Model model = Model.newInstance("trained", Device.cpu(), "PyTorch")) {
            model.load(folder, "trained", Map.of("trainParam", "true"));
            return predict(model);
        }
    }

    /** The main head's inference output on a fixed input. */
    private static float[] predict(Model model) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Random random = new Random(5);
            Shape shape = new Shape(2, 3, 32, 32);
            float[] values = new float[(int) shape.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            NDList out =
                    model.getBlock()
                            .forward(
                                    new ParameterStore(manager, false),
                                    new NDList(manager.create(values, shape)),
                                    false);
            return out.head().toFloatArray();
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length, "output sizes");
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** The committed tiny LR-ASPP model, copied to a fresh folder. */
    static Path tinyLraspp() throws IOException {
        return TestResources.copy("tiny-lraspp.pt");
    }

    /**
     * A tiny Pascal VOC-layout folder: 8 images (6 train, 2 val) of 48 × 40 pixels, each with a
     * rectangle of class 15 (person) or 12 (dog) on background, its border marked 255 (ignore).
     */
    static Path vocFolder() throws IOException {
        Path root = Files.createTempDirectory("segloss-tiny-voc");
        Path images = Files.createDirectories(root.resolve("JPEGImages"));
        Path masks = Files.createDirectories(root.resolve("SegmentationClass"));
        Path lists = Files.createDirectories(root.resolve("ImageSets/Segmentation"));
        Random random = new Random(11);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = String.format("2007_%06d", i);
            ids.add(id);
            int width = 48;
            int height = 40;
            int x = random.nextInt(20);
            int y = random.nextInt(16);
            int w = 12 + random.nextInt(14);
            int h = 10 + random.nextInt(12);
            int label = i % 2 == 0 ? 15 : 12;
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(40 + random.nextInt(40), 90, 60));
            g.fillRect(0, 0, width, height);
            g.setColor(label == 15 ? new Color(220, 180, 150) : new Color(120, 70, 30));
            g.fillRect(x, y, w, h);
            g.dispose();
            ImageIO.write(image, "jpg", images.resolve(id + ".jpg").toFile());
            BufferedImage mask = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            for (int row = 0; row < height; row++) {
                for (int col = 0; col < width; col++) {
                    boolean inside = col >= x && col < x + w && row >= y && row < y + h;
                    boolean border =
                            inside
                                    && (col == x
                                            || col == x + w - 1
                                            || row == y
                                            || row == y + h - 1);
                    mask.getRaster().setSample(col, row, 0, border ? 255 : inside ? label : 0);
                }
            }
            ImageIO.write(mask, "png", masks.resolve(id + ".png").toFile());
        }
        Files.write(lists.resolve("train.txt"), ids.subList(0, 6));
        Files.write(lists.resolve("val.txt"), ids.subList(6, 8));
        return root;
    }
}
