package io.github.segloss.example.train;

import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.testng.annotations.Test;

/** What {@code --resume} compares with the checkpoint's description. */
public class ResumeCheckTest {

    private static final Path CHECKPOINT = Path.of("/runs/x/checkpoints/epoch-0001");

    private static JsonObject description(String torchscript, int imageSize) {
        JsonObject model = new JsonObject();
        model.addProperty("name", "torchscript");
        model.addProperty("torchscript", torchscript);
        model.addProperty("imageSize", imageSize);
        JsonArray classes = new JsonArray();
        classes.add("background");
        classes.add("circle");
        JsonObject description = new JsonObject();
        description.addProperty("task", "semantic");
        description.add("classes", classes);
        description.addProperty("engine", "PyTorch");
        description.add("model", model);
        return description;
    }

    @Test
    public void theSameTorchScriptFileUnderAnotherSpellingResumes() {
        ResumeCheck.requireSameRun(
                CHECKPOINT,
                description("/models/./sub/../m.pt", 64),
                description("/models/m.pt", 64));
    }

    @Test
    public void anotherTorchScriptFileIsRefused() {
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                ResumeCheck.requireSameRun(
                                        CHECKPOINT,
                                        description("/models/m.pt", 64),
                                        description("/models/other.pt", 64)));
        assertTrue(e.getMessage().contains("--torchscript /models/other.pt"), e.getMessage());
        assertTrue(e.getMessage().contains("/models/m.pt"), e.getMessage());
    }

    @Test
    public void anotherImageSizeIsRefused() {
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                ResumeCheck.requireSameRun(
                                        CHECKPOINT,
                                        description("/models/m.pt", 64),
                                        description("/models/m.pt", 96)));
        assertTrue(e.getMessage().contains("--image-size 96 differs"), e.getMessage());
    }
}
