package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import com.google.gson.JsonObject;
import io.github.segloss.example.model.PspNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.testng.annotations.Test;

/** Checkpoints: atomic folders, cross-engine loading, and partial loading for new classes. */
public class CheckpointsTest {

    private static PspNet model(NDManager manager, int classes, float sigma) {
        PspNet net = new PspNet(classes, 8);
        net.setInitializer(new NormalInitializer(sigma), Parameter.Type.WEIGHT);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        return net;
    }

    private static float[] output(PspNet net, NDManager manager) {
        return net.forward(
                        new ParameterStore(manager, false),
                        new NDList(manager.ones(new Shape(1, 3, 32, 32))),
                        false)
                .head()
                .toFloatArray();
    }

    @Test
    public void aCheckpointWrittenOnPyTorchLoadsOnMxNet() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt");
        float[] expected;
        try (NDManager pt = NDManager.newBaseManager("PyTorch")) {
            PspNet net = model(pt, 4, 0.1f);
            expected = output(net, pt);
            Checkpoints.save(folder, 3, net, new JsonObject());
        }
        Path latest = Checkpoints.latest(folder).orElseThrow();
        assertEquals(latest.getFileName().toString(), "epoch-0003");
        assertEquals(Checkpoints.description(latest).get("epoch").getAsInt(), 3);
        try (NDManager mx = NDManager.newBaseManager("MXNet")) {
            PspNet net = model(mx, 4, 0.5f);
            List<String> skipped = Checkpoints.load(latest, net, mx);
            assertTrue(skipped.isEmpty(), "skipped " + skipped);
            float[] actual = output(net, mx);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(actual[i], expected[i], 1e-4f);
            }
        }
        try (Stream<Path> left = Files.list(folder)) {
            assertEquals(left.count(), 1, "no temporary folder is left");
        }
    }

    @Test
    public void changedClassesReinitialiseOnlyTheClassLayers() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Checkpoints.save(folder, 1, model(manager, 4, 0.1f), new JsonObject());
            PspNet other = model(manager, 6, 0.1f);
            List<String> skipped =
                    Checkpoints.load(Checkpoints.latest(folder).orElseThrow(), other, manager);
            assertFalse(skipped.isEmpty());
            for (String name : skipped) {
                assertTrue(name.matches("\\d+(head|aux)_.*"), name + " is not a class layer");
            }
            assertTrue(skipped.size() <= 4, "only the last conv of each head: " + skipped);
        }
    }
}
