package io.github.segloss.example.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

/** {@link SummaryJson}: a JSON object in the map's order, NaN as null, written atomically. */
public class SummaryJsonTest {

    private static JsonObject read(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    public void writesTheEntriesInTheMapsOrder() throws IOException {
        Path file = TempFolders.create().resolve("summary.json");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", "fcn");
        summary.put("epochs", 10);
        summary.put("best_mIoU", 0.625);
        summary.put("engine", Map.of("name", "PyTorch"));
        summary.put("classes", List.of("background", "cat"));

        SummaryJson.write(file, summary);

        JsonObject json = read(file);
        assertEquals(
                new ArrayList<>(json.keySet()),
                List.of("model", "epochs", "best_mIoU", "engine", "classes"));
        assertEquals(json.get("model").getAsString(), "fcn");
        assertEquals(json.get("epochs").getAsInt(), 10);
        assertEquals(json.get("best_mIoU").getAsDouble(), 0.625);
        assertEquals(json.getAsJsonObject("engine").get("name").getAsString(), "PyTorch");
        assertEquals(json.getAsJsonArray("classes").get(1).getAsString(), "cat");
    }

    @Test
    public void nonFiniteNumbersAndNullsAreWrittenAsNull() throws IOException {
        Path file = TempFolders.create().resolve("summary.json");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("nan", Double.NaN);
        summary.put("inf", Float.POSITIVE_INFINITY);
        summary.put("missing", null);
        summary.put("iou", new double[] {0.5, Double.NaN});

        SummaryJson.write(file, summary);

        JsonObject json = read(file);
        assertTrue(json.get("nan").isJsonNull());
        assertTrue(json.get("inf").isJsonNull());
        assertTrue(json.get("missing").isJsonNull());
        assertEquals(json.getAsJsonArray("iou").get(0).getAsDouble(), 0.5);
        assertTrue(json.getAsJsonArray("iou").get(1).isJsonNull());
    }

    @Test
    public void pathsAndRecordsAreWritten() throws IOException {
        Path folder = TempFolders.create();
        Path file = folder.resolve("summary.json");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("output", folder);
        summary.put("last", Epochs.withNaN(4));

        SummaryJson.write(file, summary);

        JsonObject json = read(file);
        assertEquals(json.get("output").getAsString(), folder.toString());
        JsonObject last = json.getAsJsonObject("last");
        assertEquals(last.get("epoch").getAsInt(), 4);
        assertEquals(last.getAsJsonObject("trainLoss").get("loss").getAsDouble(), 0.5);
        assertTrue(last.get("meanIoU").isJsonNull());
    }

    @Test
    public void rewritingLeavesNoTempFileBehind() throws IOException {
        Path folder = TempFolders.create();
        Path file = folder.resolve("summary.json");

        SummaryJson.write(file, Map.of("a", 1));
        SummaryJson.write(file, Map.of("a", 2));

        assertEquals(read(file).get("a").getAsInt(), 2);
        assertEquals(TempFolders.names(folder), List.of("summary.json"));
    }

    @Test
    public void aNullKeyIsRejected() throws IOException {
        Map<String, Object> summary = new HashMap<>();
        summary.put(null, 1);
        Path file = TempFolders.create().resolve("summary.json");

        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class, () -> SummaryJson.write(file, summary));

        assertEquals(e.getMessage(), "summary keys must be non-null, got a null key");
    }
}
