package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.segloss.example.train.Checkpoints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Training continues from the weights it loads, on both engines: after {@code --resume} or {@code
 * --pretrained} with a learning rate of 1e-9, the weights the run saves equal the ones it loaded.
 *
 * <p>On MXNet DJL's parameter server (a KVStore) copies every parameter when the trainer is
 * initialised and the first optimizer step writes its own copy back: weights loaded after {@code
 * trainer.initialize} were silently replaced by the fresh initialisation.
 */
public class LoadedWeightsTest {

    /** Adam moves each weight by about the learning rate per step: 1e-9 here, two steps. */
    private static final double UNCHANGED = 1e-6;

    @DataProvider(name = "engines")
    public Object[][] engines() {
        return new Object[][] {{"PyTorch"}, {"MXNet"}};
    }

    @Test(dataProvider = "engines")
    public void resumeContinuesFromTheCheckpointWeights(String engine) throws IOException {
        Path output = Files.createTempDirectory("segloss-resume-weights");
        TinyRuns.train("semantic", output, "--engine", engine, "--epochs", "1");
        TinyRuns.train(
                "semantic",
                output,
                "--engine",
                engine,
                "--epochs",
                "2",
                "--resume",
                "--lr",
                "1e-9");
        Map<String, float[]> saved = weights(output.resolve("checkpoints/epoch-0001"));
        Map<String, float[]> resumed = weights(output.resolve("checkpoints/epoch-0002"));
        assertUnchanged(saved, resumed, engine + " --resume");
        List<String> csv = Files.readAllLines(output.resolve("metrics.csv"));
        int column = Arrays.asList(csv.get(0).split(",")).indexOf("val_loss");
        assertTrue(column > 0, csv.get(0));
        double before = Double.parseDouble(csv.get(1).split(",")[column]);
        double after = Double.parseDouble(csv.get(2).split(",")[column]);
        // the weights are the checkpoint's; only batch norm's running statistics move a little
        assertEquals(after, before, 0.1 * before, engine + " validation loss after --resume");
    }

    @Test(dataProvider = "engines")
    public void pretrainedStartsFromThePretrainedWeights(String engine) throws IOException {
        Path source = Files.createTempDirectory("segloss-pretrained-source");
        TinyRuns.train("semantic", source, "--engine", engine, "--epochs", "1");
        Path checkpoint = source.resolve("checkpoints/epoch-0001");
        Path output = Files.createTempDirectory("segloss-pretrained-weights");
        TinyRuns.train(
                "semantic",
                output,
                "--engine",
                engine,
                "--epochs",
                "1",
                "--lr",
                "1e-9",
                "--pretrained",
                checkpoint.toString());
        assertUnchanged(
                weights(checkpoint),
                weights(output.resolve("checkpoints/epoch-0001")),
                engine + " --pretrained");
    }

    @Test(dataProvider = "engines")
    public void maskHeadStartsFromTheSemanticBackbone(String engine) throws IOException {
        Path source = Files.createTempDirectory("segloss-mask-backbone-source");
        TinyRuns.train("semantic", source, "--engine", engine, "--epochs", "1");
        Path checkpoint = source.resolve("checkpoints/epoch-0001");
        Path output = Files.createTempDirectory("segloss-mask-backbone");
        TinyRuns.train(
                "mask",
                output,
                "--engine",
                engine,
                "--epochs",
                "1",
                "--lr",
                "1e-9",
                "--pretrained",
                checkpoint.toString());
        Map<String, float[]> semantic = weights(checkpoint);
        Map<String, float[]> mask = weights(output.resolve("checkpoints/epoch-0001"));
        mask.keySet().retainAll(semantic.keySet());
        assertTrue(mask.size() >= 10, "the stem's parameters by name: " + mask.keySet());
        assertUnchanged(semantic, mask, engine + " mask --pretrained");
    }

    /**
     * Every trainable parameter of {@code after} is within {@link #UNCHANGED} of {@code before}.
     */
    private static void assertUnchanged(
            Map<String, float[]> before, Map<String, float[]> after, String what) {
        int compared = 0;
        for (Map.Entry<String, float[]> entry : after.entrySet()) {
            String name = entry.getKey();
            if (name.contains("running")) {
                continue; // batch norm's statistics move with every training batch
            }
            float[] expected = before.get(name);
            assertTrue(expected != null, what + ": " + name + " is not in the loaded checkpoint");
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - entry.getValue()[i]));
            }
            assertTrue(
                    worst < UNCHANGED,
                    what + ": " + name + " moved by " + worst + " at a learning rate of 1e-9");
            compared++;
        }
        assertTrue(compared > 0, what + ": no parameter compared");
    }

    /**
     * The parameters a checkpoint saved, by name.
     *
     * @param checkpoint the checkpoint folder
     * @return each parameter's values
     * @throws IOException if the checkpoint cannot be read
     */
    static Map<String, float[]> weights(Path checkpoint) throws IOException {
        Map<String, float[]> weights = new HashMap<>();
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                InputStream in = Files.newInputStream(checkpoint.resolve(Checkpoints.PARAMETERS))) {
            for (NDArray array : NDList.decode(manager, in)) {
                weights.put(array.getName(), array.toFloatArray());
            }
        }
        return weights;
    }
}
