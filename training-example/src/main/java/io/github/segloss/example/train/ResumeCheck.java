package io.github.segloss.example.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Refuses a {@code --resume} whose settings change the model or the data: the checkpoint's {@code
 * checkpoint.json} records the task, the classes, the engine and the model's settings, and each
 * must equal what this run would record. A setting the checkpoint does not record (one written
 * before it was recorded) is not compared.
 */
final class ResumeCheck {

    /** The options behind the model settings of {@code checkpoint.json}. */
    private static final Map<String, String> OPTIONS =
            Map.of(
                    "width", "--width",
                    "imageSize", "--image-size",
                    "torchscript", "--torchscript",
                    "classAgnostic", "--class-agnostic");

    private ResumeCheck() {}

    /**
     * Checks that a run may continue a checkpoint.
     *
     * @param checkpoint the checkpoint's folder, named in the refusal
     * @param saved the checkpoint's description
     * @param current the description this run writes into its checkpoints
     * @throws IllegalArgumentException naming the first setting that differs, this run's value and
     *     the checkpoint's
     */
    static void requireSameRun(Path checkpoint, JsonObject saved, JsonObject current) {
        compare(checkpoint, "the task", saved.get("task"), current.get("task"));
        compare(checkpoint, "the classes", saved.get("classes"), current.get("classes"));
        compare(checkpoint, "--engine", saved.get("engine"), current.get("engine"));
        JsonObject model = object(current.get("model"));
        JsonObject savedModel = object(saved.get("model"));
        compare(checkpoint, "the model", savedModel.get("name"), model.get("name"));
        for (Map.Entry<String, JsonElement> setting : model.entrySet()) {
            if (setting.getKey().equals("name")) {
                continue;
            }
            String option =
                    OPTIONS.getOrDefault(setting.getKey(), "the model's " + setting.getKey());
            JsonElement recorded = savedModel.get(setting.getKey());
            if (setting.getKey().equals("torchscript")) {
                // checkpoints before 2026-12-06 kept the path as given, "./" and ".." included
                recorded = normalizedPath(recorded);
            }
            compare(checkpoint, option, recorded, setting.getValue());
        }
    }

    private static JsonElement normalizedPath(JsonElement path) {
        if (path == null || !path.isJsonPrimitive()) {
            return path;
        }
        return new JsonPrimitive(Path.of(path.getAsString()).normalize().toString());
    }

    private static JsonObject object(JsonElement element) {
        return element != null && element.isJsonObject()
                ? element.getAsJsonObject()
                : new JsonObject();
    }

    private static void compare(Path checkpoint, String what, JsonElement saved, JsonElement now) {
        if (saved == null || saved.isJsonNull() || Objects.equals(saved, now)) {
            return;
        }
        throw new IllegalArgumentException(
                "--resume: "
                        + what
                        + " "
                        + text(now)
                        + " differ"
                        + (what.startsWith("the classes") ? "" : "s")
                        + " from the checkpoint's "
                        + text(saved)
                        + " ("
                        + checkpoint
                        + "); resume with the same settings, or start a new run with --overwrite"
                        + " or another --output");
    }

    private static String text(JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return "(none)";
        }
        return value.isJsonPrimitive() ? value.getAsString() : value.toString();
    }
}
