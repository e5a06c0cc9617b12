package io.github.segloss.example.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One epoch's {@link EpochMetrics} as a JSON object, kept in the epoch's checkpoint so that {@code
 * metrics.csv} can be rebuilt from the checkpoints. Finite numbers are JSON numbers (they read back
 * exactly); NaN and the infinities, which JSON lacks, are the strings {@code "NaN"}, {@code
 * "Infinity"} and {@code "-Infinity"}. The task's extra validation numbers are the object {@code
 * extraMetrics}; a checkpoint written before they existed has none, and reads back without them.
 */
public final class EpochMetricsJson {

    private EpochMetricsJson() {}

    /**
     * Writes an epoch's numbers.
     *
     * @param metrics the epoch's numbers
     * @return the JSON object
     */
    public static JsonObject toJson(EpochMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        JsonObject json = new JsonObject();
        json.addProperty("epoch", metrics.epoch());
        JsonObject train = new JsonObject();
        metrics.trainLoss().forEach((name, value) -> train.add(name, number(value)));
        json.add("trainLoss", train);
        json.add("validationLoss", number(metrics.validationLoss()));
        json.add("meanIoU", number(metrics.meanIoU()));
        json.add("pixelAccuracy", number(metrics.pixelAccuracy()));
        JsonArray perClass = new JsonArray();
        for (double iou : metrics.perClassIoU()) {
            perClass.add(number(iou));
        }
        json.add("perClassIoU", perClass);
        json.add("seconds", number(metrics.seconds()));
        json.add("imagesPerSecond", number(metrics.imagesPerSecond()));
        if (!metrics.extraMetrics().isEmpty()) {
            JsonObject extras = new JsonObject();
            metrics.extraMetrics().forEach((name, value) -> extras.add(name, number(value)));
            json.add("extraMetrics", extras);
        }
        return json;
    }

    /**
     * Reads an epoch's numbers written by {@link #toJson}.
     *
     * @param json the JSON object
     * @return the epoch's numbers
     * @throws IllegalArgumentException if a field is missing or not a number
     */
    public static EpochMetrics fromJson(JsonObject json) {
        Objects.requireNonNull(json, "json");
        try {
            Map<String, Double> train = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> entry :
                    json.getAsJsonObject("trainLoss").entrySet()) {
                train.put(entry.getKey(), entry.getValue().getAsDouble());
            }
            Map<String, Double> extras = new LinkedHashMap<>();
            if (json.has("extraMetrics")) {
                for (Map.Entry<String, JsonElement> entry :
                        json.getAsJsonObject("extraMetrics").entrySet()) {
                    extras.put(entry.getKey(), entry.getValue().getAsDouble());
                }
            }
            JsonArray perClass = json.getAsJsonArray("perClassIoU");
            double[] iou = new double[perClass.size()];
            for (int c = 0; c < iou.length; c++) {
                iou[c] = perClass.get(c).getAsDouble();
            }
            return new EpochMetrics(
                    json.get("epoch").getAsInt(),
                    train,
                    json.get("validationLoss").getAsDouble(),
                    json.get("meanIoU").getAsDouble(),
                    json.get("pixelAccuracy").getAsDouble(),
                    iou,
                    json.get("seconds").getAsDouble(),
                    json.get("imagesPerSecond").getAsDouble(),
                    extras);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an epoch's metrics: " + json, e);
        }
    }

    private static JsonPrimitive number(double value) {
        return Double.isFinite(value)
                ? new JsonPrimitive(value)
                : new JsonPrimitive(Double.toString(value));
    }
}
