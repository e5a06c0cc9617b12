package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.Test;

/**
 * The README's fine-tuning recipe end to end, scaled down: a torchvision model scripted by {@code
 * trace_model.py --weights} from weights in a local file (here the committed {@code
 * tiny-lraspp.pt}, random weights of LR-ASPP-MobileNetV3 at width 0.1 in place of DeepLabV3's
 * COCO-VOC ones: CI has no PyTorch) fine-tuned by segloss-train on a Pascal VOC-layout folder with
 * the recipe's options.
 */
public class FineTuneRecipeTest {

    private static final List<String> VOC_CLASSES =
            List.of(
                    "background",
                    "aeroplane",
                    "bicycle",
                    "bird",
                    "boat",
                    "bottle",
                    "bus",
                    "car",
                    "cat",
                    "chair",
                    "cow",
                    "diningtable",
                    "dog",
                    "horse",
                    "motorbike",
                    "person",
                    "pottedplant",
                    "sheep",
                    "sofa",
                    "train",
                    "tvmonitor");

    @Test
    public void theRecipeFineTunesAScriptedModelOnVocData() throws IOException {
        Path model = FineTuningTest.tinyLraspp();
        Path voc = FineTuningTest.vocFolder();
        Path output = Files.createTempDirectory("segloss-recipe").resolve("runs/voc-deeplab");
        // the README's command, with --image-size, --batch-size and --epochs made small
        SeglossTrainTest.Run run =
                SeglossTrainTest.run(
                        "semantic",
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
                        "--epochs",
                        "2",
                        "--lr",
                        "0.0005",
                        "--aux-weight",
                        "0.5",
                        "--backbone-lr-scale",
                        "0.1",
                        "--freeze-bn-stats",
                        "--output",
                        output.toString());
        assertEquals(run.code(), 0, run.err());
        assertEquals(RunFolder.check(output, VOC_CLASSES), 2, "two complete checkpoints");
        JsonObject summary =
                JsonParser.parseString(Files.readString(output.resolve("summary.json")))
                        .getAsJsonObject();
        assertEquals(summary.get("epochs").getAsInt(), 2, summary.toString());
        double meanIoU = summary.get("meanIoU").getAsDouble();
        assertTrue(meanIoU >= 0 && meanIoU <= 1, "validation mIoU " + meanIoU);
        assertTrue(Double.isFinite(summary.get("trainLoss").getAsDouble()), summary.toString());
    }
}
