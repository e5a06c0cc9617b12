package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.segloss.example.TestResources;
import io.github.segloss.loss.DeepSupervisionLoss;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * A TorchScript module loaded for fine-tuning trains in training mode from its very first batch:
 * batch normalisation uses the batch's statistics, as PyTorch's {@code model.train()} does. The
 * reference results come from {@code training-example/scripts/reference_train_mode.py} (Debian's
 * PyTorch 1.13 against DJL's libtorch 2.7.1, float32).
 */
public class TorchScriptTrainingTest {

    /** float32 rounding between the two libtorch builds; train and eval differ by over 1. */
    private static final double OUTPUT_TOLERANCE = 1e-4;

    private static final double LOSS_TOLERANCE = 1e-5;

    private Shape shape;
    private float[] trainOut;
    private float[] evalOut;
    private double trainLoss;
    private double evalLoss;

    @BeforeClass
    public void readReference() throws IOException {
        try (Reader reader =
                new InputStreamReader(
                        getClass().getResourceAsStream("/tiny-segnet-train-mode.json"),
                        StandardCharsets.UTF_8)) {
            JsonObject json = JsonParser.parseReader(reader).getAsJsonObject();
            JsonArray dims = json.getAsJsonArray("inputShape");
            long[] s = new long[dims.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = dims.get(i).getAsLong();
            }
            shape = new Shape(s);
            trainOut = floats(json.getAsJsonArray("trainOut"));
            evalOut = floats(json.getAsJsonArray("evalOut"));
            trainLoss = json.get("trainLoss").getAsDouble();
            evalLoss = json.get("evalLoss").getAsDouble();
        }
        assertTrue(maxDifference(trainOut, evalOut) > 0.5, "the reference tells the modes apart");
        assertTrue(Math.abs(trainLoss - evalLoss) > 0.05, "the reference losses differ");
    }

    @Test
    public void theFirstTrainingBatchUsesBatchStatistics() throws Exception {
        try (Model model = Model.newInstance("tiny", Device.cpu(), "PyTorch");
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            TorchScriptTraining.load(model, tinySegNet(), "tiny-segnet");
            float[] out = firstTrainingForward(model, manager).head().toFloatArray();
            double fromTrain = maxDifference(out, trainOut);
            double fromEval = maxDifference(out, evalOut);
            assertTrue(
                    fromTrain < OUTPUT_TOLERANCE,
                    "PyTorch's train-mode output, off by "
                            + fromTrain
                            + " (from its eval-mode output by "
                            + fromEval
                            + ")");
        }
    }

    @Test
    public void theFirstLossIsPyTorchsTrainModeLoss() throws Exception {
        try (Model model = Model.newInstance("tiny", Device.cpu(), "PyTorch");
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            TorchScriptTraining.load(model, tinySegNet(), "tiny-segnet");
            double loss;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDList predictions = forward(model, manager, true);
                loss =
                        DeepSupervisionLoss.pspnet()
                                .evaluate(new NDList(labels(manager)), predictions)
                                .getFloat();
            }
            assertEquals(
                    loss,
                    trainLoss,
                    LOSS_TOLERANCE,
                    "PyTorch's model.train() loss (its model.eval() loss is " + evalLoss + ")");
        }
    }

    @Test
    public void aResumedCheckpointModuleTrainsWithBatchStatisticsToo() throws Exception {
        Path checkpoint = Files.createTempDirectory("segloss-ts-checkpoint");
        try (DataOutputStream out =
                new DataOutputStream(
                        Files.newOutputStream(checkpoint.resolve(Checkpoints.MODULE)))) {
            byte[] module = Files.readAllBytes(tinySegNet().resolve("tiny-segnet.pt"));
            out.writeByte(1); // DJL's encoding version, then the size, as saveParameters writes
            out.writeLong(module.length);
            out.write(module);
        }
        try (Model model = Model.newInstance("resumed", Device.cpu(), "PyTorch");
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            CheckpointModule.load(model, checkpoint);
            float[] out = firstTrainingForward(model, manager).head().toFloatArray();
            assertTrue(
                    maxDifference(out, trainOut) < OUTPUT_TOLERANCE,
                    "PyTorch's train-mode output, off by " + maxDifference(out, trainOut));
        }
    }

    @Test
    public void inferenceThenTrainingSwitchesTheModeBothWays() throws Exception {
        try (Model model = Model.newInstance("tiny", Device.cpu(), "PyTorch");
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            TorchScriptTraining.load(model, tinySegNet(), "tiny-segnet");
            float[] inference = forward(model, manager, false).head().toFloatArray();
            assertTrue(
                    maxDifference(inference, evalOut) < OUTPUT_TOLERANCE,
                    "inference uses the running statistics");
            float[] training = firstTrainingForward(model, manager).head().toFloatArray();
            assertTrue(
                    maxDifference(training, trainOut) < OUTPUT_TOLERANCE,
                    "training after inference uses the batch statistics");
        }
    }

    private NDList firstTrainingForward(Model model, NDManager manager) {
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            return forward(model, manager, true);
        }
    }

    private NDList forward(Model model, NDManager manager, boolean training) {
        return model.getBlock()
                .forward(new ParameterStore(manager, false), new NDList(input(manager)), training);
    }

    private NDArray input(NDManager manager) {
        return ReferenceBatch.input(manager, shape, DataType.FLOAT32);
    }

    private NDArray labels(NDManager manager) {
        return ReferenceBatch.labels(manager, shape);
    }

    private static Path tinySegNet() throws IOException {
        return TestResources.copy("tiny-segnet.pt").getParent();
    }

    private static float[] floats(JsonArray array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsFloat();
        }
        return values;
    }

    private static double maxDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length, "output sizes");
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
