package io.github.segloss.example.model;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import io.github.segloss.loss.MaskRcnnMaskLoss;
import java.util.HashMap;
import java.util.Map;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** The mask head of the example on both engines: shapes, gradients, zero RoIs, parameter names. */
public class MaskRcnnHeadTest {

    private static final int SIZE = 32;

    @DataProvider(name = "engines")
    public Object[][] engines() {
        return new Object[][] {{"PyTorch"}, {"MXNet"}};
    }

    private static MaskRcnnHead initialized(NDManager manager, int classes, int rois) {
        MaskRcnnHead net = new MaskRcnnHead(classes, 4);
        net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        net.initialize(
                manager,
                DataType.FLOAT32,
                new Shape(2, 3, SIZE, SIZE),
                new Shape(rois, 4),
                new Shape(rois));
        return net;
    }

    /** Two images, three boxes: two on image 1, one on image 0. */
    private static NDList inputs(NDManager manager) {
        float[] pixels = new float[2 * 3 * SIZE * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i % 7) / 7f;
        }
        NDArray images = manager.create(pixels, new Shape(2, 3, SIZE, SIZE));
        NDArray boxes =
                manager.create(
                        new float[] {2, 3, 20, 17, 0, 0, 32, 32, 9.5f, 4, 15, 30}, new Shape(3, 4));
        NDArray batchIndices = manager.create(new int[] {1, 0, 1});
        return new NDList(images, boxes, batchIndices);
    }

    @Test(dataProvider = "engines")
    public void predictsOneMaskPerClassAndRoiWithGradientsToTheBackbone(String engine) {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            MaskRcnnHead net = initialized(manager, 3, 3);
            ParameterStore store = new ParameterStore(manager, false);
            NDList inputs = inputs(manager);
            NDList logits;
            try (GradientCollector collector = Engine.getEngine(engine).newGradientCollector()) {
                logits = net.forward(store, inputs, true);
                NDList labels =
                        new NDList(
                                manager.create(new int[] {0, 2, 1}),
                                manager.ones(new Shape(3, 28, 28)).mul(0.5f));
                NDArray loss = MaskRcnnMaskLoss.builder().build().evaluate(labels, logits);
                collector.backward(loss);
            }
            assertEquals(logits.size(), 1);
            assertEquals(logits.head().getShape(), new Shape(3, 3, 28, 28));
            Shape[] declared =
                    net.getOutputShapes(
                            new Shape[] {
                                new Shape(2, 3, SIZE, SIZE), new Shape(3, 4), new Shape(3)
                            });
            assertEquals(declared[0], logits.head().getShape());
            double backbone = 0;
            for (Pair<String, Parameter> entry : net.getBackbone().getParameters()) {
                Parameter parameter = entry.getValue();
                if (parameter.requiresGradient()) {
                    backbone += parameter.getArray().getGradient().abs().sum().getFloat();
                }
            }
            assertTrue(backbone > 0, "RoI Align passes gradients to the backbone");
            NDList inference = net.forward(store, inputs, false);
            assertEquals(inference.head().getShape(), new Shape(3, 3, 28, 28));
        }
    }

    @Test(dataProvider = "engines")
    public void zeroRoisGiveAnEmptyOutputAndALossOfZero(String engine) {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            MaskRcnnHead net = initialized(manager, 3, 0);
            ParameterStore store = new ParameterStore(manager, false);
            NDList inputs =
                    new NDList(
                            manager.zeros(new Shape(2, 3, SIZE, SIZE)),
                            manager.zeros(new Shape(0, 4)),
                            manager.zeros(new Shape(0), DataType.INT32));
            for (boolean training : new boolean[] {false, true}) {
                NDList logits;
                try (GradientCollector collector =
                        Engine.getEngine(engine).newGradientCollector()) {
                    logits = net.forward(store, inputs, training);
                }
                assertEquals(logits.head().getShape(), new Shape(0, 3, 28, 28));
                NDList labels =
                        new NDList(
                                manager.zeros(new Shape(0), DataType.INT32),
                                manager.zeros(new Shape(0, 28, 28)));
                float loss = MaskRcnnMaskLoss.builder().build().evaluate(labels, logits).getFloat();
                assertEquals(loss, 0f);
            }
        }
    }

    @Test
    public void classAgnosticHeadHasOneChannel() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MaskRcnnHead net = initialized(manager, 1, 3);
            NDList logits = net.forward(new ParameterStore(manager, false), inputs(manager), false);
            assertEquals(logits.head().getShape(), new Shape(3, 1, 28, 28));
        }
    }

    @Test
    public void backboneParametersHaveTheNamesAndShapesOfPspNetsStem() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MaskRcnnHead mask = initialized(manager, 3, 3);
            PspNet semantic = new PspNet(4, 4);
            semantic.initialize(manager, DataType.FLOAT32, new Shape(2, 3, SIZE, SIZE));
            Map<String, Shape> semanticShapes = new HashMap<>();
            for (Pair<String, Parameter> entry : semantic.getParameters()) {
                semanticShapes.put(entry.getKey(), entry.getValue().getArray().getShape());
            }
            int backbone = 0;
            for (Pair<String, Parameter> entry : mask.getParameters()) {
                if (entry.getKey().startsWith("01backbone")) {
                    backbone++;
                    assertEquals(
                            semanticShapes.get(entry.getKey()),
                            entry.getValue().getArray().getShape(),
                            entry.getKey());
                }
            }
            assertEquals(backbone, 4 * 5, "four conv-BN-ReLU units of five parameters");
        }
    }

    @Test
    public void wrongInputsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MaskRcnnHead(0, 4));
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MaskRcnnHead net = new MaskRcnnHead(2, 4);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> net.initialize(manager, DataType.FLOAT32, new Shape(2, 3, SIZE, SIZE)));
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            net.initialize(
                                    manager,
                                    DataType.FLOAT32,
                                    new Shape(2, 3, 30, 30),
                                    new Shape(1, 4),
                                    new Shape(1)));
        }
    }
}
