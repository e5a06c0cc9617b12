package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.segloss.example.TestResources;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.testng.annotations.Test;

/**
 * A resumed {@code --torchscript} run trains the checkpoint's whole module: its batch-norm running
 * statistics are the checkpoint's, not the {@code --torchscript} file's.
 */
public class CheckpointModuleTest {

    private static final Shape INPUT = new Shape(2, 3, 32, 32);

    @Test
    public void restoresTheBatchNormStatisticsThatParamsNdlistLacks() throws Exception {
        Path pt = TestResources.copy("tiny-segnet.pt");
        Path folder = pt.getParent();
        Path checkpoint = Files.createDirectory(folder.resolve("epoch-0001"));
        try (Model trained = load(folder, "tiny-segnet");
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Block block = trained.getBlock();
            NDArray input = input(manager, 1);
            ParameterStore store = new ParameterStore(manager, false);
            block.forward(store, new NDList(input), false); // DJL loads in eval mode
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                for (int step = 0; step < 5; step++) {
                    block.forward(store, new NDList(input(manager, 10 + step)), true);
                }
            }
            try (OutputStream out = Files.newOutputStream(checkpoint.resolve(Checkpoints.MODULE))) {
                block.saveParameters(new DataOutputStream(out));
            }
            float[] expected = evaluate(block, store, input);
            try (Model restored = Model.newInstance("restored", Device.cpu(), "PyTorch");
                    Model file = load(folder, "tiny-segnet")) {
                CheckpointModule.load(restored, checkpoint);
                float[] resumed = evaluate(restored.getBlock(), store, input);
                float[] original = evaluate(file.getBlock(), store, input);
                assertEquals(resumed, expected, "the checkpoint's module, statistics included");
                double moved = 0;
                for (int i = 0; i < original.length; i++) {
                    moved = Math.max(moved, Math.abs(original[i] - expected[i]));
                }
                assertTrue(moved > 1e-3, "training moved the statistics by only " + moved);
                assertTrue(
                        restored.getBlock().getParameters().values().stream()
                                .allMatch(p -> p.getArray().hasGradient()),
                        "the restored module's parameters train");
            }
        }
    }

    @Test
    public void aTruncatedModuleIsOneLineNamingTheFile() throws IOException {
        Path checkpoint = Files.createTempDirectory("segloss-ts-truncated");
        try (DataOutputStream out =
                new DataOutputStream(
                        Files.newOutputStream(checkpoint.resolve(Checkpoints.MODULE)))) {
            out.writeByte(1);
            out.writeLong(1000);
            out.write(new byte[10]);
        }
        try (Model model = Model.newInstance("truncated", Device.cpu(), "PyTorch")) {
            IllegalArgumentException e =
                    org.testng.Assert.expectThrows(
                            IllegalArgumentException.class,
                            () -> CheckpointModule.load(model, checkpoint));
            assertTrue(e.getMessage().contains(Checkpoints.MODULE), e.getMessage());
            assertTrue(e.getMessage().contains("990 bytes early"), e.getMessage());
        }
    }

    private static Model load(Path folder, String name)
            throws IOException, MalformedModelException {
        Model model = Model.newInstance(name, Device.cpu(), "PyTorch");
        model.load(folder, name, Map.of("trainParam", "true"));
        return model;
    }

    private static NDArray input(NDManager manager, long seed) {
        Random random = new Random(seed);
        float[] values = new float[(int) INPUT.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * 2 + 0.5f;
        }
        return manager.create(values, INPUT);
    }

    private static float[] evaluate(Block block, ParameterStore store, NDArray input) {
        return block.forward(store, new NDList(input), false).head().toFloatArray();
    }
}
