package io.github.segloss.example.model;

import static org.testng.Assert.assertEquals;
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
import io.github.segloss.loss.DeepSupervisionLoss;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** The PSPNet of the example on both engines: shapes, heads and gradients. */
public class PspNetTest {

    @DataProvider(name = "engines")
    public Object[][] engines() {
        return new Object[][] {{"PyTorch"}, {"MXNet"}};
    }

    @Test(dataProvider = "engines")
    public void trainingReturnsMainAndAuxAndInferenceOnlyMain(String engine) {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            PspNet net = new PspNet(5, 8);
            net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            net.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 64, 64));
            NDArray image = manager.ones(new Shape(2, 3, 64, 64));
            ParameterStore store = new ParameterStore(manager, false);
            NDList inference = net.forward(store, new NDList(image), false);
            assertEquals(inference.size(), 1);
            assertEquals(inference.head().getShape(), new Shape(2, 5, 64, 64));
            NDList training;
            try (GradientCollector collector = Engine.getEngine(engine).newGradientCollector()) {
                training = net.forward(store, new NDList(image), true);
                NDArray labels = manager.zeros(new Shape(2, 64, 64), DataType.INT64);
                NDArray loss = DeepSupervisionLoss.pspnet().evaluate(new NDList(labels), training);
                collector.backward(loss);
            }
            assertEquals(training.size(), 2);
            assertEquals(training.get(1).getShape(), new Shape(2, 5, 64, 64));
            double gradient = 0;
            for (Parameter parameter : net.getParameters().values()) {
                if (parameter.requiresGradient()) {
                    gradient += parameter.getArray().getGradient().abs().sum().getFloat();
                }
            }
            assertTrue(gradient > 0, "some gradient reaches the parameters");
        }
    }
}
