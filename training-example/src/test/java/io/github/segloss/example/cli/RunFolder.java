package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.segloss.example.report.EpochMetrics;
import io.github.segloss.example.report.MetricsCsv;
import io.github.segloss.example.train.Checkpoints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * What a test may expect of a run's output folder at any moment, even right after the run was
 * killed: every checkpoint folder complete and loadable with finite parameters, and {@code
 * metrics.csv}, {@code summary.json} and the pictures readable whenever they exist.
 */
final class RunFolder {

    private RunFolder() {}

    /**
     * Checks a run's output folder and returns the epochs its complete checkpoints hold.
     *
     * @param output the run's output folder
     * @param classes the class names of metrics.csv's iou columns
     * @return the epoch of the newest complete checkpoint, 0 without one
     */
    static int check(Path output, List<String> classes) throws IOException {
        Path checkpoints = output.resolve("checkpoints");
        List<Path> folders = Checkpoints.checkpoints(checkpoints);
        for (Path checkpoint : folders) {
            assertTrue(Checkpoints.isComplete(checkpoint), checkpoint + " is complete");
            JsonObject description = Checkpoints.description(checkpoint);
            String name = checkpoint.getFileName().toString();
            assertEquals(description.get("epoch").getAsInt(), epochOf(checkpoint), name);
            assertTrue(description.has("task") && description.has("classes"), name);
            int arrays = 0;
            try (NDManager manager = NDManager.newBaseManager("PyTorch");
                    InputStream in =
                            Files.newInputStream(checkpoint.resolve(Checkpoints.PARAMETERS))) {
                for (NDArray array : NDList.decode(manager, in)) {
                    for (float value : array.toFloatArray()) {
                        assertTrue(Float.isFinite(value), name + ": " + array.getName());
                    }
                    arrays++;
                }
            }
            assertTrue(arrays > 0, name + " holds parameters");
        }
        Path csv = output.resolve("metrics.csv");
        if (Files.exists(csv)) {
            List<EpochMetrics> rows = MetricsCsv.read(csv, classes);
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(
                        rows.get(i).epoch(), i + 1, "metrics.csv: one row per epoch, in order");
            }
        }
        Path summary = output.resolve("summary.json");
        if (Files.exists(summary)) {
            assertTrue(JsonParser.parseString(Files.readString(summary)).isJsonObject());
        }
        for (String picture : List.of("loss-curve.png", "predictions.png")) {
            Path file = output.resolve(picture);
            if (Files.exists(file)) {
                assertNotNull(ImageIO.read(file.toFile()), picture + " decodes");
            }
        }
        return Checkpoints.latest(checkpoints).map(RunFolder::epochOf).orElse(0);
    }

    private static int epochOf(Path checkpoint) {
        return Integer.parseInt(checkpoint.getFileName().toString().substring("epoch-".length()));
    }

    /**
     * Returns the epochs of {@code metrics.csv}'s rows.
     *
     * @param output the run's output folder
     * @param classes the class names of the iou columns
     * @return the epochs, in the file's order
     */
    static List<Integer> metricEpochs(Path output, List<String> classes) throws IOException {
        return MetricsCsv.read(output.resolve("metrics.csv"), classes).stream()
                .map(EpochMetrics::epoch)
                .toList();
    }

    /**
     * Returns the names of the temporary entries a killed run left: {@code .epoch-*} folders in the
     * checkpoint folder and {@code .*.tmp} files in the output folder.
     *
     * @param output the run's output folder
     * @return the names
     */
    static List<String> leftovers(Path output) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path folder : List.of(output, output.resolve("checkpoints"))) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(folder)) {
                entries.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith(".epoch-") || n.endsWith(".tmp"))
                        .forEach(names::add);
            }
        }
        return names;
    }
}
