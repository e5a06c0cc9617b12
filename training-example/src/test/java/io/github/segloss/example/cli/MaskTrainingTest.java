package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.segloss.example.SeglossTrain;
import io.github.segloss.example.train.Checkpoints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * {@code segloss-train mask} end to end on tiny synthetic data: outputs, resume, a semantic
 * backbone, a class-agnostic head and the refusals, on both engines.
 */
public class MaskTrainingTest {

    @DataProvider(name = "engines")
    public Object[][] engines() {
        return new Object[][] {{"PyTorch"}, {"MXNet"}};
    }

    private static SeglossTrainTest.Run train(String task, Path output, String... more) {
        return TinyRuns.train(task, output, more);
    }

    private static final List<String> INSTANCE_COLUMNS =
            List.of("mask_ap", "mask_ap50", "mask_ap75", "boundary_iou");

    private static final List<String> INSTANCE_KEYS =
            List.of("maskAP", "maskAP50", "maskAP75", "boundaryIoU");

    /** Every row of metrics.csv has the instance metrics, each in [0, 1]. */
    private static void assertInstanceColumns(List<String> csv) {
        List<String> header = Arrays.asList(csv.get(0).split(","));
        for (String column : INSTANCE_COLUMNS) {
            int at = header.indexOf(column);
            assertTrue(at > 0, column + " in " + header);
            for (String row : csv.subList(1, csv.size())) {
                double value = Double.parseDouble(row.split(",", -1)[at]);
                assertTrue(value >= 0 && value <= 1, column + " " + value + " in " + row);
            }
        }
    }

    private static long lines(String text) {
        return text.lines().filter(line -> !line.isBlank()).count();
    }

    @Test(dataProvider = "engines")
    public void writesCheckpointsMetricsLossCurveAndSummary(String engine) throws IOException {
        Path output = Files.createTempDirectory("segloss-mask");
        SeglossTrainTest.Run run = train("mask", output, "--engine", engine, "--epochs", "2");
        assertTrue(run.out().contains("epoch 2/2: loss"), run.out());
        assertTrue(run.out().contains("mask IoU"), run.out());
        List<String> csv = Files.readAllLines(output.resolve("metrics.csv"));
        assertEquals(csv.size(), 3, "a header and one row per epoch: " + csv);
        assertTrue(csv.get(0).contains("mIoU"), csv.get(0));
        assertTrue(csv.get(0).contains("iou_circle"), csv.get(0));
        assertFalse(csv.get(0).contains("iou_background"), "background has no RoIs: " + csv.get(0));
        assertInstanceColumns(csv);
        assertTrue(run.out().contains("mask AP") && run.out().contains("boundary IoU"), run.out());
        BufferedImage curve = ImageIO.read(output.resolve("loss-curve.png").toFile());
        assertTrue(curve != null && curve.getWidth() > 0, "loss-curve.png decodes");
        BufferedImage grid = ImageIO.read(output.resolve("predictions.png").toFile());
        assertTrue(grid != null && grid.getWidth() > 0, "predictions.png decodes");
        JsonObject summary =
                JsonParser.parseString(Files.readString(output.resolve("summary.json")))
                        .getAsJsonObject();
        assertEquals(summary.get("task").getAsString(), "mask");
        assertEquals(summary.get("epochs").getAsInt(), 2);
        assertEquals(summary.get("engine").getAsString(), engine);
        double iou = summary.get("maskIoU").getAsDouble();
        assertTrue(iou >= 0 && iou <= 1, "mask IoU " + iou);
        for (String rate : List.of("falsePositiveRate", "falseNegativeRate")) {
            double value = summary.get(rate).getAsDouble();
            assertTrue(value >= 0 && value <= 1, rate + " " + value);
        }
        for (String key : INSTANCE_KEYS) {
            double value = summary.get(key).getAsDouble();
            assertTrue(value >= 0 && value <= 1, key + " " + value);
        }
        assertFalse(run.out().contains("NaN"), "every epoch's line has its rates: " + run.out());
        Path last = Checkpoints.latest(output.resolve("checkpoints")).orElseThrow();
        assertEquals(last.getFileName().toString(), "epoch-0002");
        JsonObject description = Checkpoints.description(last);
        assertEquals(description.get("task").getAsString(), "mask");
        assertEquals(description.get("epoch").getAsInt(), 2);
        assertEquals(description.getAsJsonArray("classes").size(), 4);
        assertEquals(description.getAsJsonObject("model").get("maskClasses").getAsInt(), 3);
        assertTrue(description.getAsJsonArray("commandLine").toString().contains(engine));
    }

    @Test
    public void resumeContinuesFromTheLastCheckpoint() throws IOException {
        Path output = Files.createTempDirectory("segloss-mask-resume");
        train("mask", output, "--epochs", "1", "--class-agnostic");
        SeglossTrainTest.Run resumed =
                train("mask", output, "--epochs", "2", "--resume", "--class-agnostic");
        assertTrue(resumed.out().contains("resuming after epoch 1"), resumed.out());
        assertFalse(resumed.out().contains("epoch 1/2:"), "epoch 1 is not trained again");
        List<String> csv = Files.readAllLines(output.resolve("metrics.csv"));
        assertEquals(csv.size(), 3);
        assertInstanceColumns(csv);
        Path last = Checkpoints.latest(output.resolve("checkpoints")).orElseThrow();
        assertEquals(last.getFileName().toString(), "epoch-0002");
        JsonObject model = Checkpoints.description(last).getAsJsonObject("model");
        assertTrue(model.get("classAgnostic").getAsBoolean());
        assertEquals(model.get("maskClasses").getAsInt(), 1);
    }

    @Test
    public void resumingWithAnotherHeadIsOneLineAndExitCodeTwo() throws IOException {
        Path output = Files.createTempDirectory("segloss-mask-mismatch");
        train("mask", output, "--epochs", "1");
        List<String> args = new ArrayList<>(List.of("mask", "--output", output.toString()));
        args.addAll(TinyRuns.TINY);
        args.addAll(List.of("--epochs", "2", "--resume", "--class-agnostic"));
        SeglossTrainTest.Run run = SeglossTrainTest.run(args.toArray(new String[0]));
        assertEquals(run.code(), SeglossTrain.USAGE, run.err());
        assertEquals(lines(run.err()), 1, run.err());
        assertTrue(run.err().contains("--resume"), run.err());
    }

    @Test
    public void aSemanticCheckpointGivesTheBackbone() throws IOException {
        Path semantic = Files.createTempDirectory("segloss-mask-semantic");
        train("semantic", semantic, "--epochs", "1");
        Path checkpoint = Checkpoints.latest(semantic.resolve("checkpoints")).orElseThrow();
        Path output = Files.createTempDirectory("segloss-mask-pretrained");
        SeglossTrainTest.Run run =
                train(
                        "mask",
                        output,
                        "--epochs",
                        "1",
                        "--pretrained",
                        checkpoint.toString(),
                        "--freeze-backbone-epochs",
                        "1");
        // the head (4 conv-BN-ReLU units of 5 parameters) and the predictor (weight, bias)
        assertTrue(run.out().contains("re-initialised 22 parameter(s)"), run.out());
        assertFalse(run.out().contains("backbone_"), "the backbone loaded by name: " + run.out());
    }

    @Test
    public void folderFormatIsOneLineAndExitCodeTwo() throws IOException {
        Path root = Files.createTempDirectory("segloss-mask-folder");
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "mask",
                        "--data",
                        root.toString(),
                        "--format",
                        "folder",
                        "--output",
                        root.resolve("out").toString());
        assertEquals(run.code(), SeglossTrain.USAGE);
        assertEquals(lines(run.err()), 1, run.err());
        assertTrue(
                run.err().contains("the mask task needs instances (synthetic, voc or coco)"),
                run.err());
        assertFalse(Files.exists(root.resolve("out")), "nothing written");
    }

    @Test
    public void badNumbersAreOneLineAndExitCodeTwo() {
        for (String[] args :
                new String[][] {
                    {"mask", "--image-size", "30"},
                    {"mask", "--jitter", "0.7"},
                    {"mask", "--epochs", "0"}
                }) {
            SeglossTrainTest.Run run = SeglossTrainTest.run(args);
            assertEquals(run.code(), SeglossTrain.USAGE, Arrays.toString(args));
            assertEquals(lines(run.err()), 1, run.err());
            assertTrue(run.err().contains(args[1]), run.err());
        }
    }

    @Test
    public void helpListsEveryOptionWithItsDefault() {
        SeglossTrainTest.Run run = SeglossTrainTest.run("mask", "--help");
        assertEquals(run.code(), 0);
        for (String option :
                new String[] {
                    "--data",
                    "--format",
                    "--epochs",
                    "--batch-size",
                    "--image-size",
                    "--lr",
                    "--seed",
                    "--engine",
                    "--devices",
                    "--output",
                    "--pretrained",
                    "--freeze-backbone-epochs",
                    "--resume",
                    "--max-batches",
                    "--synthetic-classes",
                    "--synthetic-count",
                    "--class-agnostic",
                    "--jitter",
                    "--width"
                }) {
            assertTrue(run.out().contains(option), "help lacks " + option);
        }
        long defaults = run.out().lines().filter(line -> line.contains("(default:")).count();
        assertTrue(defaults >= 15, run.out());
        assertTrue(SeglossTrainTest.run("--help").out().contains("mask"));
    }

    @Test
    public void aCapOfRoisPerImageIsLoggedOnceAndABadCapIsRefused() throws IOException {
        Path output = Files.createTempDirectory("segloss-mask-cap");
        // synthetic images hold several shapes each: a cap of 1 applies to most of them
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "mask",
                        "--output",
                        output.toString(),
                        "--image-size",
                        "32",
                        "--width",
                        "4",
                        "--batch-size",
                        "2",
                        "--synthetic-count",
                        "4",
                        "--max-batches",
                        "1",
                        "--epochs",
                        "2",
                        "--max-rois-per-image",
                        "1");
        assertEquals(run.code(), 0, run.err());
        List<String> capped =
                run.out().lines().filter(l -> l.contains("--max-rois-per-image")).toList();
        assertEquals(capped.size(), 1, run.out());
        assertTrue(
                capped.get(0).matches("\\d+ training image\\(s\\) have more than 1 instances: .*"),
                capped.get(0));
        assertTrue(run.out().contains("2 images, 2 RoIs"), "one RoI per image: " + run.out());
        SeglossTrainTest.Run bad =
                SeglossTrainTest.run(
                        "mask", "--output", output.toString(), "--max-rois-per-image", "0");
        assertEquals(bad.code(), SeglossTrain.USAGE, bad.err());
        assertEquals(ErrorLine.of(bad), "segloss-train: --max-rois-per-image must be >= 1, got 0");
    }
}
