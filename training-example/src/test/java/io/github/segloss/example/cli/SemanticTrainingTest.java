package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.segloss.example.SeglossTrain;
import io.github.segloss.example.TestResources;
import io.github.segloss.example.report.Palette;
import io.github.segloss.example.train.Checkpoints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * {@code segloss-train semantic} end to end on tiny synthetic data: outputs, resume, and
 * fine-tuning with another class set and a frozen backbone, on both engines.
 */
public class SemanticTrainingTest {

    @DataProvider(name = "engines")
    public Object[][] engines() {
        return new Object[][] {{"PyTorch"}, {"MXNet"}};
    }

    private static SeglossTrainTest.Run train(Path output, String... more) {
        return TinyRuns.train("semantic", output, more);
    }

    @Test(dataProvider = "engines")
    public void writesCheckpointsMetricsPicturesAndSummary(String engine) throws IOException {
        Path output = Files.createTempDirectory("segloss-run");
        train(output, "--engine", engine, "--epochs", "2", "--loss", "ce+dice");
        List<String> csv = Files.readAllLines(output.resolve("metrics.csv"));
        assertEquals(csv.size(), 3, "a header and one row per epoch: " + csv);
        assertTrue(csv.get(0).contains("mIoU") && csv.get(0).contains("iou_circle"), csv.get(0));
        for (String picture : new String[] {"loss-curve.png", "predictions.png"}) {
            BufferedImage image = ImageIO.read(output.resolve(picture).toFile());
            assertTrue(image != null && image.getWidth() > 0, picture + " decodes");
        }
        JsonObject summary =
                JsonParser.parseString(Files.readString(output.resolve("summary.json")))
                        .getAsJsonObject();
        assertEquals(summary.get("epochs").getAsInt(), 2);
        assertEquals(summary.get("engine").getAsString(), engine);
        assertTrue(summary.has("meanIoU"));
        Path last = Checkpoints.latest(output.resolve("checkpoints")).orElseThrow();
        assertEquals(last.getFileName().toString(), "epoch-0002");
        JsonObject description = Checkpoints.description(last);
        assertEquals(description.get("epoch").getAsInt(), 2);
        assertEquals(description.getAsJsonArray("classes").size(), 4);
        assertTrue(description.getAsJsonArray("commandLine").toString().contains(engine));
    }

    @Test(dataProvider = "engines")
    public void resumeContinuesFromTheLastCheckpoint(String engine) throws IOException {
        Path output = Files.createTempDirectory("segloss-resume");
        train(output, "--engine", engine, "--epochs", "1");
        SeglossTrainTest.Run resumed =
                train(output, "--engine", engine, "--epochs", "3", "--resume");
        assertTrue(resumed.out().contains("resuming after epoch 1"), resumed.out());
        assertFalse(resumed.out().contains("epoch 1/3:"), "epoch 1 is not trained again");
        assertEquals(Files.readAllLines(output.resolve("metrics.csv")).size(), 4);
        assertEquals(
                Checkpoints.latest(output.resolve("checkpoints"))
                        .orElseThrow()
                        .getFileName()
                        .toString(),
                "epoch-0003");
    }

    @Test
    public void resumeRefusesACheckpointThatDoesNotFitTheModel() throws IOException {
        Path output = Files.createTempDirectory("segloss-resume-misfit");
        train(output, "--epochs", "1");
        List<String> args =
                new ArrayList<>(Arrays.asList("semantic", "--output", output.toString()));
        args.addAll(TinyRuns.TINY);
        args.addAll(
                Arrays.asList(
                        "--epochs", "2", "--resume", "--synthetic-classes", "background,circle"));
        SeglossTrainTest.Run run = SeglossTrainTest.run(args.toArray(new String[0]));
        assertEquals(run.code(), SeglossTrain.USAGE, run.err());
        assertTrue(
                ErrorLine.of(run)
                        .contains(
                                "the classes [\"background\",\"circle\"] differ from the"
                                        + " checkpoint's [\"background\",\"circle\",\"square\",\"triangle\"]"),
                run.err());
    }

    @Test
    public void fineTuningOnNewClassesKeepsTheFrozenBackbone() throws IOException {
        Path pretrain = Files.createTempDirectory("segloss-pretrain");
        train(pretrain, "--epochs", "1", "--synthetic-classes", "background,circle,square");
        Path checkpoint = Checkpoints.latest(pretrain.resolve("checkpoints")).orElseThrow();
        Path finetune = Files.createTempDirectory("segloss-finetune");
        SeglossTrainTest.Run run =
                train(
                        finetune,
                        "--epochs",
                        "1",
                        "--synthetic-classes",
                        "background,ellipse,star,triangle",
                        "--pretrained",
                        checkpoint.toString(),
                        "--freeze-backbone-epochs",
                        "1");
        assertTrue(run.out().contains("re-initialised 4 parameter(s)"), run.out());
        Map<String, float[]> before = convolutionWeights(checkpoint);
        Map<String, float[]> after =
                convolutionWeights(
                        Checkpoints.latest(finetune.resolve("checkpoints")).orElseThrow());
        assertFalse(before.isEmpty());
        for (Map.Entry<String, float[]> entry : before.entrySet()) {
            assertEquals(after.get(entry.getKey()), entry.getValue(), entry.getKey() + " moved");
        }
    }

    @Test(dataProvider = "engines")
    public void predictWritesClassIdMasksAndOverlays(String engine) throws IOException {
        Path output = Files.createTempDirectory("segloss-predict");
        train(output, "--epochs", "1");
        Path checkpoint = Checkpoints.latest(output.resolve("checkpoints")).orElseThrow();
        Path images = Files.createDirectories(output.resolve("images"));
        for (int i = 0; i < 2; i++) {
            BufferedImage image = new BufferedImage(40 + i, 30, BufferedImage.TYPE_INT_RGB);
            image.setRGB(5, 5, 0xFF0000);
            ImageIO.write(image, "png", images.resolve("img" + i + ".png").toFile());
        }
        Path masks = output.resolve("masks");
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "predict",
                        "--checkpoint",
                        checkpoint.toString(),
                        "--input",
                        images.toString(),
                        "--output",
                        masks.toString(),
                        "--engine",
                        engine);
        assertEquals(run.code(), 0, run.err());
        for (int i = 0; i < 2; i++) {
            int[] ids = Palette.readClassIdPng(masks.resolve("img" + i + ".png"));
            assertEquals(ids.length, (40 + i) * 30, "the mask has the image's size");
            assertTrue(Arrays.stream(ids).allMatch(id -> id >= 0 && id < 4));
            BufferedImage overlay =
                    ImageIO.read(masks.resolve("img" + i + "-overlay.png").toFile());
            assertEquals(overlay.getWidth(), 40 + i);
        }
    }

    @Test
    public void predictSegmentsAnImageOfTheModelsOwnSize() throws IOException {
        Path output = Files.createTempDirectory("segloss-predict-own-size");
        train(output, "--epochs", "1");
        Path checkpoint = Checkpoints.latest(output.resolve("checkpoints")).orElseThrow();
        Path image = output.resolve("own.png");
        // the tiny runs train at 32 x 32: the image needs no resize
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
        Path masks = output.resolve("masks");
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "predict",
                        "--checkpoint",
                        checkpoint.toString(),
                        "--input",
                        image.toString(),
                        "--output",
                        masks.toString());
        assertEquals(run.code(), 0, run.err());
        assertEquals(Palette.readClassIdPng(masks.resolve("own.png")).length, 32 * 32);
    }

    @Test
    public void predictRefusesTruncatedAndEmptyImagesInOneLine() throws IOException {
        Path output = Files.createTempDirectory("segloss-predict-bad");
        train(output, "--epochs", "1");
        Path checkpoint = Checkpoints.latest(output.resolve("checkpoints")).orElseThrow();
        Path images = Files.createDirectories(output.resolve("images"));
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        byte[] bytes = png.toByteArray();
        Path truncated = images.resolve("truncated.png");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        Path empty = Files.createDirectories(output.resolve("empty")).resolve("empty.png");
        Files.write(empty, new byte[0]);
        for (Path input : List.of(truncated, empty)) {
            SeglossTrainTest.Run run =
                    SeglossTrainTest.run(
                            "predict",
                            "--checkpoint",
                            checkpoint.toString(),
                            "--input",
                            input.toString(),
                            "--output",
                            output.resolve("masks").toString());
            assertEquals(run.code(), SeglossTrain.USAGE, run.err());
            assertEquals(run.err().lines().filter(l -> !l.isBlank()).count(), 1L, run.err());
            assertTrue(run.err().contains(input.getFileName().toString()), run.err());
        }
    }

    /**
     * A last training batch of one image failed in batch normalisation of the pyramid's 1×1 bin
     * ("Expected more than 1 value per channel"): 5 images in batches of 2 now train on 2 batches.
     */
    @Test(dataProvider = "engines")
    public void aLastBatchOfOneImageIsDropped(String engine) throws IOException {
        Path output = Files.createTempDirectory("segloss-odd");
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "semantic",
                        "--output",
                        output.toString(),
                        "--engine",
                        engine,
                        "--image-size",
                        "32",
                        "--width",
                        "4",
                        "--batch-size",
                        "2",
                        "--synthetic-count",
                        "5",
                        "--epochs",
                        "1");
        assertEquals(run.code(), 0, run.err());
        assertTrue(run.out().contains("4 images"), run.out());
    }

    @Test
    public void aBatchSizeOfOneIsRefusedInOneLine() throws IOException {
        Path output = Files.createTempDirectory("segloss-batch1");
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "semantic", "--output", output.toString(), "--batch-size", "1");
        assertEquals(run.code(), SeglossTrain.USAGE, run.err());
        assertTrue(run.err().contains("--batch-size must be >= 2"), run.err());
        assertEquals(run.err().lines().filter(l -> !l.isBlank()).count(), 1L, run.err());
    }

    @Test
    public void predictWithoutCheckpointIsOneLineAndExitCodeTwo() throws IOException {
        Path nowhere = Files.createTempDirectory("segloss-predict").resolve("missing");
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "predict",
                        "--checkpoint",
                        nowhere.toString(),
                        "--input",
                        nowhere.toString(),
                        "--output",
                        nowhere.toString());
        assertEquals(run.code(), SeglossTrain.USAGE);
        assertEquals(run.err().lines().filter(l -> !l.isBlank()).count(), 1L, run.err());
    }

    private static Path tinyTorchScript() throws IOException {
        return TestResources.copy("tiny-segnet.pt");
    }

    @Test
    public void fineTunesATorchScriptModelWithAFrozenBackbone() throws Exception {
        Path model = tinyTorchScript();
        Map<String, float[]> original = new HashMap<>();
        try (Model loaded = Model.newInstance("tiny", Device.cpu(), "PyTorch")) {
            loaded.load(model.getParent(), "tiny-segnet");
            for (Pair<String, Parameter> p : loaded.getBlock().getParameters()) {
                original.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
        }
        Path output = Files.createTempDirectory("segloss-ts-run");
        train(
                output,
                "--torchscript",
                model.toString(),
                "--epochs",
                "1",
                "--freeze-backbone-epochs",
                "1",
                "--aux-weight",
                "0.5");
        Path checkpoint = Checkpoints.latest(output.resolve("checkpoints")).orElseThrow();
        assertTrue(Files.isRegularFile(checkpoint.resolve(Checkpoints.MODULE)));
        int backbone = 0;
        int moved = 0;
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                InputStream in = Files.newInputStream(checkpoint.resolve(Checkpoints.PARAMETERS))) {
            for (NDArray array : NDList.decode(manager, in)) {
                boolean same = Arrays.equals(array.toFloatArray(), original.get(array.getName()));
                if (array.getName().startsWith("model.backbone.")) {
                    backbone++;
                    assertTrue(same, array.getName() + " is frozen");
                } else if (!same) {
                    moved++;
                }
            }
        }
        assertTrue(backbone > 0 && moved > 0, backbone + " frozen, " + moved + " trained");
        SeglossTrainTest.Run resumed =
                train(output, "--torchscript", model.toString(), "--epochs", "2", "--resume");
        assertTrue(resumed.out().contains("resuming after epoch 1"), resumed.out());
        assertTrue(resumed.out().contains("restored the whole TorchScript module"), resumed.out());
    }

    @Test
    public void torchScriptNeedsThePyTorchEngine() throws IOException {
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "--torchscript", tinyTorchScript().toString(), "--engine", "MXNet");
        assertEquals(run.code(), SeglossTrain.USAGE);
        assertTrue(run.err().contains("--torchscript needs --engine PyTorch"), run.err());
    }

    /** The backbone's convolution weights of a checkpoint, by name. */
    private static Map<String, float[]> convolutionWeights(Path checkpoint) throws IOException {
        Map<String, float[]> weights = new HashMap<>();
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                InputStream in = Files.newInputStream(checkpoint.resolve(Checkpoints.PARAMETERS))) {
            for (NDArray array : NDList.decode(manager, in)) {
                String name = array.getName();
                if (name.contains("backbone") && name.endsWith("conv_weight")) {
                    weights.put(name, array.toFloatArray());
                }
            }
        }
        return weights;
    }
}
