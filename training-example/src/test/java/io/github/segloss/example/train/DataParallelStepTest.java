package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import java.util.Random;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The loss scaling of data-parallel training: the slices' losses scaled by their share of the batch
 * have the gradient of the whole batch's loss, which DJL's summed device gradients then reproduce.
 * (DJL runs several devices only on GPUs, which CI has none of; this checks the rule on slices of
 * one device.)
 */
public class DataParallelStepTest {

    @DataProvider(name = "engines")
    public Object[][] engines() {
        return new Object[][] {{"PyTorch"}, {"MXNet"}};
    }

    private static float[] gradient(String engine, NDArray logits, NDArray labels, int[] cuts) {
        NDArray input = logits.duplicate();
        input.setRequiresGradient(true);
        PixelCrossEntropyLoss loss = PixelCrossEntropyLoss.builder().build();
        long total = logits.getShape().get(0);
        try (GradientCollector collector = Engine.getEngine(engine).newGradientCollector()) {
            NDArray sum = null;
            for (int s = 0; s + 1 < cuts.length; s++) {
                NDIndex slice = new NDIndex(cuts[s] + ":" + cuts[s + 1]);
                NDArray value =
                        loss.evaluate(new NDList(labels.get(slice)), new NDList(input.get(slice)));
                NDArray scaled = DataParallelStep.shareOfBatch(value, cuts[s + 1] - cuts[s], total);
                sum = sum == null ? scaled : sum.add(scaled);
            }
            collector.backward(sum);
        }
        return input.getGradient().toFloatArray();
    }

    @Test(dataProvider = "engines")
    public void slicesScaledByTheirShareGiveTheWholeBatchGradient(String engine) {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            Random random = new Random(11);
            float[] values = new float[6 * 3 * 4 * 4];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            long[] classes = new long[6 * 4 * 4];
            for (int i = 0; i < classes.length; i++) {
                classes[i] = random.nextInt(3);
            }
            NDArray logits = manager.create(values, new Shape(6, 3, 4, 4));
            NDArray labels = manager.create(classes, new Shape(6, 4, 4));
            float[] whole = gradient(engine, logits, labels, new int[] {0, 6});
            float[] uneven = gradient(engine, logits, labels, new int[] {0, 2, 6});
            float[] three = gradient(engine, logits, labels, new int[] {0, 2, 4, 6});
            for (int i = 0; i < whole.length; i++) {
                assertEquals(uneven[i], whole[i], 1e-6f);
                assertEquals(three[i], whole[i], 1e-6f);
            }
        }
    }
}
