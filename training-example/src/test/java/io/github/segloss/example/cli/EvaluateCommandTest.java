package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.report.FolderDatasetWriter;
import io.github.segloss.example.report.Palette;
import io.github.segloss.metric.MeanIoU;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * {@code segloss-train evaluate} gives the numbers of {@code predict} plus segloss's {@link
 * MeanIoU} on the same checkpoint and images, at each image's own size, on both engines.
 */
public class EvaluateCommandTest {

    private Path root;
    private Path data;
    private Path checkpoint;
    private List<String> names;

    @BeforeClass
    public void trainTinyModel() throws IOException {
        root = Files.createTempDirectory("segloss-evaluate");
        data = root.resolve("data");
        List<String> classes = DataSources.SYNTHETIC_CLASSES;
        FolderDatasetWriter.write(
                data,
                Map.of(
                        "train", DataSources.synthetic(16, 64, classes, 1),
                        "val", DataSources.synthetic(4, 64, classes, 2)));
        FolderDatasetWriter.write(data, Map.of("wide", DataSources.synthetic(2, 48, classes, 3)));
        Files.writeString(
                data.resolve("val.txt"),
                Files.readString(data.resolve("val.txt")) + "wide-00000\nwide-00001\n");
        names =
                List.of(
                        "val-00000",
                        "val-00001",
                        "val-00002",
                        "val-00003",
                        "wide-00000",
                        "wide-00001");
        Path run = root.resolve("run");
        SeglossTrainTest.Run trained =
                SeglossTrainTest.run(
                        "semantic",
                        "--data",
                        data.toString(),
                        "--format",
                        "folder",
                        "--epochs",
                        "1",
                        "--image-size",
                        "32",
                        "--width",
                        "8",
                        "--output",
                        run.toString());
        assertEquals(trained.code(), 0, trained.err());
        checkpoint = run.resolve("checkpoints").resolve("epoch-0001");
    }

    @DataProvider
    public Object[][] engines() {
        return new Object[][] {{"PyTorch"}, {"MXNet"}};
    }

    @Test(dataProvider = "engines")
    public void metricsAreThoseOfPredictAndMeanIoU(String engine) throws IOException {
        Path images = Files.createDirectories(root.resolve("val-images-" + engine));
        for (String name : names) {
            Files.copy(
                    data.resolve("images").resolve(name + ".png"), images.resolve(name + ".png"));
        }
        Path predicted = root.resolve("predicted-" + engine);
        SeglossTrainTest.Run predict =
                SeglossTrainTest.run(
                        "predict",
                        "--checkpoint",
                        checkpoint.toString(),
                        "--input",
                        images.toString(),
                        "--output",
                        predicted.toString(),
                        "--engine",
                        engine);
        assertEquals(predict.code(), 0, predict.err());
        Path output = root.resolve("evaluation-" + engine);
        Path predictions = root.resolve("predictions-" + engine);
        SeglossTrainTest.Run evaluate =
                SeglossTrainTest.run(
                        "evaluate",
                        "--checkpoint",
                        checkpoint.toString(),
                        "--data",
                        data.toString(),
                        "--output",
                        output.toString(),
                        "--predictions",
                        predictions.toString(),
                        "--batch-size",
                        "4",
                        "--engine",
                        engine);
        assertEquals(evaluate.code(), 0, evaluate.err());
        JsonObject metrics =
                JsonParser.parseString(Files.readString(output.resolve("metrics.json")))
                        .getAsJsonObject();

        MeanIoU meanIoU = new MeanIoU("mIoU", 4, 255);
        meanIoU.addAccumulator("val");
        long pixels = 0;
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            for (String name : names) {
                int[] labels = Palette.readClassIdPng(data.resolve("masks").resolve(name + ".png"));
                int[] classes = Palette.readClassIdPng(predicted.resolve(name + ".png"));
                int side = name.startsWith("wide") ? 48 : 64;
                Shape shape = new Shape(1, side, side);
                meanIoU.updateAccumulator(
                        "val",
                        new NDList(manager.create(labels, shape)),
                        new NDList(manager.create(classes, shape)));
                pixels += labels.length;
                // evaluate's own prediction files are predict's, byte for byte
                for (String file : List.of(name + ".png", name + "-overlay.png")) {
                    assertEquals(
                            Files.readAllBytes(predictions.resolve(file)),
                            Files.readAllBytes(predicted.resolve(file)),
                            file);
                }
            }
        }
        long[][] expected = meanIoU.getConfusionMatrix("val");
        JsonArray rows = metrics.getAsJsonArray("confusionMatrix");
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(
                        rows.get(i).getAsJsonArray().get(j).getAsLong(),
                        expected[i][j],
                        "confusion[" + i + "][" + j + "]");
            }
        }
        assertEquals(
                metrics.get("mIoU").getAsDouble(), meanIoU.getAccumulator("val"), 1e-6, "mIoU");
        assertEquals(metrics.get("images").getAsLong(), names.size());
        assertEquals(metrics.get("pixels").getAsLong(), pixels);
        assertEquals(metrics.get("badImages").getAsLong(), 0L);
    }

    @Test
    public void aBadImageIsSkippedAndCountedOrFatalWithFailOnBad() throws IOException {
        Path copy = root.resolve("data-bad");
        FolderDatasetWriter.write(
                copy,
                Map.of("val", DataSources.synthetic(3, 64, DataSources.SYNTHETIC_CLASSES, 4)));
        Files.writeString(copy.resolve("images").resolve("val-00001.png"), "truncated");
        Path output = root.resolve("evaluation-bad");
        SeglossTrainTest.Run skipped =
                SeglossTrainTest.run(
                        "evaluate",
                        "--model",
                        checkpoint.toString(),
                        "--data",
                        copy.toString(),
                        "--output",
                        output.toString());
        assertEquals(skipped.code(), 0, skipped.err());
        assertEquals(skipped.err().lines().count(), 1L, skipped.err());
        assertTrue(skipped.err().contains("val-00001.png"), skipped.err());
        JsonObject metrics =
                JsonParser.parseString(Files.readString(output.resolve("metrics.json")))
                        .getAsJsonObject();
        assertEquals(metrics.get("images").getAsLong(), 2L);
        assertEquals(metrics.get("badImages").getAsLong(), 1L);

        Path fatal = root.resolve("evaluation-fatal");
        SeglossTrainTest.Run failed =
                SeglossTrainTest.run(
                        "evaluate",
                        "--model",
                        checkpoint.toString(),
                        "--data",
                        copy.toString(),
                        "--output",
                        fatal.toString(),
                        "--fail-on-bad");
        assertEquals(failed.code(), 2, failed.err());
        assertEquals(failed.err().lines().count(), 1L, failed.err());
        assertTrue(
                failed.err().startsWith("segloss-train: bad image (--fail-on-bad): "),
                failed.err());
        assertTrue(Files.notExists(fatal.resolve("metrics.json")));
    }

    @Test
    public void aModelThatIsNeitherCheckpointNorTorchScriptIsOneLineAndExitCode2() {
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "evaluate",
                        "--model",
                        root.resolve("nothing-here").toString(),
                        "--data",
                        data.toString());
        assertEquals(run.code(), 2);
        assertEquals(run.err().lines().count(), 1L, run.err());
        assertTrue(run.err().contains("nothing-here"), run.err());
    }
}
