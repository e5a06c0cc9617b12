package io.github.segloss.spark;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.segloss.example.data.DataChecks;
import io.github.segloss.example.eval.EvaluationCounts;
import io.github.segloss.example.eval.EvaluationSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Spark evaluation on {@code local[2,2]} (two cores, a failed task retried once; loopback, UI off)
 * against {@code segloss-train evaluate} on the same checkpoint and data.
 */
public class SparkEvaluationTest {

    private TinyRun run;
    private JavaSparkContext spark;
    private JsonObject single;

    @BeforeClass
    public void start() throws IOException {
        run = TinyRun.get();
        Path output = run.root.resolve("single");
        TinyRun.Result result = run.evaluate(output);
        assertEquals(result.code(), 0, result.err());
        single = TinyRun.metrics(output);
        spark = new JavaSparkContext(SparkContexts.conf("local[2,2]"));
    }

    @AfterClass(alwaysRun = true)
    public void stop() {
        if (spark != null) {
            spark.close();
        }
    }

    private EvaluationSpec spec(String engine) {
        return spec(run.checkpoint, run.data.toString(), "folder", engine);
    }

    private static EvaluationSpec spec(Path model, String data, String format, String engine) {
        return new EvaluationSpec(
                model.toString(),
                data,
                format,
                "val",
                engine,
                64,
                DataChecks.DEFAULT_MAX_IMAGE_PIXELS,
                0.2,
                42);
    }

    private JsonObject evaluate(
            String engine, int partitions, boolean failOnBad, Path predictions, int failFirst)
            throws IOException {
        Path output = Files.createTempDirectory(run.root, "spark");
        SparkEvaluation.run(
                spark,
                spec(engine),
                new SparkEvaluation.Settings(
                        partitions, 3, failOnBad, output, predictions, failFirst),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return TinyRun.metrics(output);
    }

    /** The lines naming bad images come in the order partitions finish: compared as sets. */
    private static void assertSameMetrics(JsonObject actual, JsonObject expected) {
        JsonObject a = actual.deepCopy();
        JsonObject e = expected.deepCopy();
        Set<JsonElement> actualLines = new HashSet<>();
        a.remove("badImageLines").getAsJsonArray().forEach(actualLines::add);
        Set<JsonElement> expectedLines = new HashSet<>();
        e.remove("badImageLines").getAsJsonArray().forEach(expectedLines::add);
        assertEquals(a, e);
        assertEquals(actualLines, expectedLines);
    }

    @Test
    public void singleProcessMetricsCountEveryGoodImageAndEachBadOne() {
        assertEquals(single.get("images").getAsLong(), TinyRun.GOOD);
        assertEquals(single.get("badImages").getAsLong(), TinyRun.BAD);
        assertEquals(single.get("pixels").getAsLong(), 12 * 64 * 64 + 3 * 48 * 48);
        // the model predicts more than one class: a partition's share changes the matrix
        int predictedClasses = 0;
        for (int c = 0; c < 4; c++) {
            long column = 0;
            for (JsonElement row : single.getAsJsonArray("confusionMatrix")) {
                column += row.getAsJsonArray().get(c).getAsLong();
            }
            predictedClasses += column > 0 ? 1 : 0;
        }
        assertTrue(predictedClasses > 1, single.toString());
    }

    @Test
    public void mergedMetricsEqualSingleProcessMetricsForAnyPartitioning() throws IOException {
        for (int partitions : new int[] {1, 2, 3, 7}) {
            assertSameMetrics(evaluate("PyTorch", partitions, false, null, -1), single);
        }
    }

    @Test
    public void mxnetGivesTheSingleProcessMetricsOfMxnet() throws IOException {
        Path output = run.root.resolve("single-mxnet");
        TinyRun.Result result = run.evaluate(output, "--engine", "MXNet");
        assertEquals(result.code(), 0, result.err());
        JsonObject mxnet = TinyRun.metrics(output);
        assertSameMetrics(evaluate("MXNet", 3, false, null, -1), mxnet);
        assertEquals(mxnet.get("images").getAsLong(), TinyRun.GOOD);
    }

    @Test
    public void aTorchScriptModelGivesTheSingleProcessMetrics() throws Exception {
        // tiny-segnet.pt: a scripted PyTorch model returning (out, aux) for 16x16 inputs
        Path folder = Files.createTempDirectory(run.root, "torchscript");
        Path model =
                Files.copy(
                        Path.of("../training-example/src/test/resources/tiny-segnet.pt"),
                        folder.resolve("tiny-segnet.pt"));
        int classes;
        try (ai.djl.Model probe = ai.djl.Model.newInstance("probe", "PyTorch")) {
            probe.load(folder, "tiny-segnet");
            try (ai.djl.ndarray.NDManager manager = probe.getNDManager().newSubManager()) {
                classes =
                        (int)
                                probe.getBlock()
                                        .forward(
                                                new ai.djl.training.ParameterStore(manager, false),
                                                new ai.djl.ndarray.NDList(
                                                        manager.zeros(
                                                                new ai.djl.ndarray.types.Shape(
                                                                        1, 3, 16, 16))),
                                                false)
                                        .head()
                                        .getShape()
                                        .get(1);
            }
        }
        List<String> names =
                List.of("background", "circle", "square", "triangle", "ellipse", "star")
                        .subList(0, classes);
        Path data = folder.resolve("data");
        io.github.segloss.example.report.FolderDatasetWriter.write(
                data,
                java.util.Map.of(
                        "val",
                        io.github.segloss.example.data.DataSources.synthetic(7, 24, names, 5)));
        Path single = folder.resolve("single");
        TinyRun.Result result =
                TinyRun.run(
                        "evaluate",
                        "--model",
                        model.toString(),
                        "--data",
                        data.toString(),
                        "--image-size",
                        "16",
                        "--output",
                        single.toString());
        assertEquals(result.code(), 0, result.err());
        EvaluationSpec spec =
                new EvaluationSpec(
                        model.toString(),
                        data.toString(),
                        "folder",
                        "val",
                        "PyTorch",
                        16,
                        DataChecks.DEFAULT_MAX_IMAGE_PIXELS,
                        0.2,
                        42);
        Path output = folder.resolve("spark");
        SparkEvaluation.run(
                spark,
                spec,
                new SparkEvaluation.Settings(3, 2, false, output, null, -1),
                System.err);
        JsonObject expected = TinyRun.metrics(single);
        assertSameMetrics(TinyRun.metrics(output), expected);
        assertEquals(expected.get("images").getAsLong(), 7L);
    }

    private JsonObject evaluateMasks(TinyMaskRun mask, int partitions, int failFirst)
            throws IOException {
        Path output = Files.createTempDirectory(run.root, "spark-mask");
        SparkEvaluation.run(
                spark,
                spec(mask.checkpoint, mask.data.toString(), "coco", "PyTorch"),
                new SparkEvaluation.Settings(partitions, 3, false, output, null, failFirst),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return TinyRun.metrics(output);
    }

    private JsonObject singleProcessMasks(TinyMaskRun mask) throws IOException {
        Path output = Files.createTempDirectory(run.root, "single-mask");
        TinyRun.Result result =
                TinyRun.run(
                        "evaluate",
                        "--model",
                        mask.checkpoint.toString(),
                        "--data",
                        mask.data.toString(),
                        "--format",
                        "coco",
                        "--output",
                        output.toString());
        assertEquals(result.code(), 0, result.err());
        return TinyRun.metrics(output);
    }

    @Test
    public void maskApMergedFromPartitionsEqualsSingleProcessMaskAp() throws IOException {
        TinyMaskRun mask = TinyMaskRun.get();
        JsonObject single = singleProcessMasks(mask);
        assertEquals(single.get("images").getAsLong(), TinyMaskRun.GOOD);
        assertEquals(single.get("badImages").getAsLong(), 1, single.toString());
        assertTrue(
                single.get("badImageLines").toString().contains("corrupt.png"), single.toString());
        assertTrue(single.get("AP").getAsDouble() > 0, single.toString());
        assertTrue(single.get("meanBoundaryIoU").getAsDouble() > 0, single.toString());
        for (int partitions : new int[] {1, 2, 3, 7}) {
            assertSameMetrics(evaluateMasks(mask, partitions, -1), single);
        }
        int failures = PartitionScorer.hookFailures();
        assertSameMetrics(evaluateMasks(mask, 2, 1), single);
        assertEquals(PartitionScorer.hookFailures(), failures + 1, "the hook did not fail");
    }

    @Test
    public void theModelIsLoadedOncePerJvm() throws IOException {
        // 7 then 3 tasks on two task threads of this JVM (driver and executor in local mode)
        evaluate("PyTorch", 7, false, null, -1);
        evaluate("PyTorch", 3, false, null, -1);
        assertEquals(ExecutorCache.modelLoads(spec("PyTorch")), 1);
    }

    @Test
    public void aTaskThatFailsOnceAndIsRetriedChangesNothing() throws IOException {
        Path single = Files.createTempDirectory(run.root, "single-predictions");
        Path singleOut = Files.createTempDirectory(run.root, "single-out");
        TinyRun.Result result = run.evaluate(singleOut, "--predictions", single.toString());
        assertEquals(result.code(), 0, result.err());
        Path predictions = Files.createTempDirectory(run.root, "predictions");
        int failures = PartitionScorer.hookFailures();
        JsonObject retried = evaluate("PyTorch", 2, false, predictions, 1);
        assertEquals(PartitionScorer.hookFailures(), failures + 1, "the hook did not fail");
        assertSameMetrics(retried, this.single);
        // one mask and one overlay per good image, no temporary or partial file, and the
        // bytes of the single-process predictions
        assertEquals(names(predictions), names(single));
        assertEquals(names(predictions).size(), 2 * TinyRun.GOOD);
        for (String name : names(single)) {
            assertEquals(
                    Files.readAllBytes(predictions.resolve(name)),
                    Files.readAllBytes(single.resolve(name)),
                    name);
        }
    }

    @Test
    public void aFolderUriOfImagesIsPredictedLikeTheDatasetsImages() throws IOException {
        Path single = Files.createTempDirectory(run.root, "single-predictions");
        TinyRun.Result result =
                run.evaluate(
                        Files.createTempDirectory(run.root, "single-out"),
                        "--predictions",
                        single.toString());
        assertEquals(result.code(), 0, result.err());
        // the good val images, one in a subfolder, a corrupt one, a hidden one and a text file
        Path folder = Files.createTempDirectory(run.root, "images");
        Path sub = Files.createDirectories(folder.resolve("sub"));
        List<String> good = new java.util.ArrayList<>();
        for (String name : Files.readAllLines(run.data.resolve("val.txt"))) {
            if (!name.startsWith("bad-")) {
                good.add(name);
            }
        }
        for (String name : good) {
            Path target = (name.equals("val-00003") ? sub : folder).resolve(name + ".png");
            Files.copy(run.data.resolve("images").resolve(name + ".png"), target);
        }
        Files.writeString(folder.resolve("broken.png"), "not an image");
        Files.copy(run.data.resolve("images/val-00000.png"), folder.resolve(".hidden.png"));
        Files.writeString(folder.resolve("notes.txt"), "not listed");
        Path predictions = Files.createTempDirectory(run.root, "image-predictions");
        Path output = Files.createTempDirectory(run.root, "image-metrics");
        EvaluationSpec spec =
                spec(run.checkpoint, folder.toUri().toString(), SparkEvaluation.IMAGES, "PyTorch");
        EvaluationCounts counts =
                SparkEvaluation.run(
                        spark,
                        spec,
                        new SparkEvaluation.Settings(3, 4, false, output, predictions, -1),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(counts.images(), (long) good.size());
        assertEquals(counts.badImages(), 1L);
        assertTrue(counts.badLines().get(0).contains("broken.png"), counts.badLines().toString());
        JsonObject metrics = TinyRun.metrics(output);
        assertEquals(metrics.get("images").getAsLong(), (long) good.size());
        // no labels: nothing to score, written as null
        assertTrue(metrics.get("mIoU").isJsonNull(), metrics.toString());
        assertEquals(metrics.get("labelledPixels").getAsLong(), 0L);
        for (String name : good) {
            String id = name.equals("val-00003") ? "sub_val-00003" : name;
            for (String suffix : List.of(".png", "-overlay.png")) {
                assertEquals(
                        Files.readAllBytes(predictions.resolve(id + suffix)),
                        Files.readAllBytes(single.resolve(name + suffix)),
                        id + suffix);
            }
        }
        assertEquals(names(predictions).size(), 2 * good.size());
    }

    @Test
    public void badImagesAreSkippedAndCounted() throws IOException {
        JsonObject metrics = evaluate("PyTorch", 2, false, null, -1);
        assertEquals(metrics.get("badImages").getAsLong(), TinyRun.BAD);
        assertEquals(metrics.get("images").getAsLong(), TinyRun.GOOD);
        String lines = metrics.get("badImageLines").toString();
        for (String name : List.of("bad-nomask", "bad-corrupt", "bad-size")) {
            assertTrue(lines.contains(name), lines);
        }
    }

    @Test
    public void failOnBadMakesABadImageFatal() {
        Exception e = expectThrows(Exception.class, () -> evaluate("PyTorch", 2, true, null, -1));
        assertTrue(
                String.valueOf(e.getMessage()).contains("bad image (--fail-on-bad)"), e.toString());
    }

    @Test
    public void aBadImageFoundWhenReadIsFatalWithFailOnBad() throws IOException {
        // without the sample skipped at opening, the bad images are met inside the tasks
        Path data = Files.createTempDirectory(run.root, "data-copy");
        try (Stream<Path> files = Files.walk(run.data)) {
            for (Path file : files.toList()) {
                Path target = data.resolve(run.data.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Files.writeString(
                data.resolve("val.txt"),
                Files.readString(data.resolve("val.txt")).replace("bad-nomask\n", ""));
        EvaluationSpec spec = spec(run.checkpoint, data.toString(), "folder", "PyTorch");
        Path output = Files.createTempDirectory(run.root, "fatal");
        Exception e =
                expectThrows(
                        Exception.class,
                        () ->
                                SparkEvaluation.run(
                                        spark,
                                        spec,
                                        new SparkEvaluation.Settings(2, 3, true, output, null, -1),
                                        System.err));
        assertTrue(
                String.valueOf(e.getMessage()).contains("bad image (--fail-on-bad)"), e.toString());
        assertTrue(Files.notExists(output.resolve("metrics.json")));
        EvaluationCounts counts =
                SparkEvaluation.run(
                        spark,
                        spec,
                        new SparkEvaluation.Settings(2, 3, false, output, null, -1),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(counts.badImages(), TinyRun.BAD - 1);
        assertNotEquals(counts.images(), 0L);
    }

    private static Set<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return new TreeSet<>(files.map(f -> f.getFileName().toString()).toList());
        }
    }
}
