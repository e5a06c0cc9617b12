package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import io.github.segloss.example.data.InstanceBatch;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** {@link RoiBatch}: the block's input and the loss's labels, with and without RoIs. */
public class RoiBatchTest {

    private static final int SIZE = 8;

    @DataProvider(name = "engines")
    public Object[][] engines() {
        return new Object[][] {{"PyTorch"}, {"MXNet"}};
    }

    @Test(dataProvider = "engines")
    public void targetsAreTheBinaryMaskInsideEachBox(String engine) {
        float[] mask = new float[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < 4; x++) {
                mask[y * SIZE + x] = 1; // the left half of the image and of the box (0, 2, 8, 6)
            }
        }
        InstanceBatch instances =
                new InstanceBatch(
                        1,
                        SIZE,
                        new float[3 * SIZE * SIZE],
                        new float[] {0, 2, 8, 6},
                        new int[] {0},
                        new int[] {2},
                        mask);
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            Batch batch = RoiBatch.create(manager.newSubManager(), instances, 1, 1);
            NDList data = batch.getData();
            assertEquals(data.get(0).getShape(), new Shape(1, 3, SIZE, SIZE));
            assertEquals(data.get(1).getShape(), new Shape(1, 4));
            assertEquals(data.get(2).getShape(), new Shape(1));
            NDList labels = batch.getLabels();
            assertEquals(labels.get(0).toIntArray(), new int[] {2});
            float[] targets = labels.get(1).toFloatArray();
            assertEquals(labels.get(1).getShape(), new Shape(1, 28, 28));
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    assertEquals(targets[y * 28 + x], x < 14 ? 1f : 0f, "at " + x + "," + y);
                }
            }
            batch.close();
        }
    }

    @Test(dataProvider = "engines")
    public void aBatchWithoutRoisHasEmptyArrays(String engine) {
        InstanceBatch none =
                new InstanceBatch(
                        0, SIZE, new float[0], new float[0], new int[0], new int[0], new float[0]);
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            Batch batch = RoiBatch.create(manager.newSubManager(), none, 1, 1);
            assertEquals(batch.getData().get(1).getShape(), new Shape(0, 4));
            assertEquals(batch.getLabels().get(0).getShape(), new Shape(0));
            assertEquals(batch.getLabels().get(1).getShape(), new Shape(0, 28, 28));
            batch.close();
        }
    }
}
