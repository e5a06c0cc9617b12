package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * DJL evaluates a loss for the backward pass and again in {@code updateAccumulators}; the heads of
 * a {@link DeepSupervisionLoss} reuse their first result there, and only there.
 */
public class EvaluationMemoTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public EvaluationMemoTest(String engine) {
        super(engine);
    }

    /** Cross-entropy that counts its evaluations. */
    private static final class CountingLoss extends Loss {
        private final Loss inner = PixelCrossEntropyLoss.builder().build();
        private int evaluations;

        CountingLoss() {
            super("counting");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            evaluations++;
            return inner.evaluate(labels, predictions);
        }
    }

    @Test
    public void accumulatorUpdateReusesTheBatchResult() {
        CountingLoss main = new CountingLoss();
        CountingLoss aux = new CountingLoss();
        DeepSupervisionLoss loss =
                DeepSupervisionLoss.builder()
                        .addHead("main", main, 1f)
                        .addHead("aux", aux, 0.4f)
                        .build();
        String[] keys = {"train"};
        loss.getComponents().forEach(head -> head.addAccumulator("train"));
        loss.addAccumulator("train");
        try (NDManager batch = manager.newSubManager()) {
            NDArray labels = batch.create(new long[] {0, 1, 2, 255}, new Shape(1, 2, 2));
            NDList predictions =
                    new NDList(
                            batch.randomNormal(new Shape(1, 3, 2, 2)),
                            batch.randomNormal(new Shape(1, 3, 2, 2)));
            float total = loss.evaluate(new NDList(labels), predictions).getFloat();
            loss.updateAccumulators(keys, new NDList(labels), predictions);
            // a head added as an evaluator of its own is updated once more
            loss.getComponents().get(0).updateAccumulators(keys, new NDList(labels), predictions);
            assertEquals(main.evaluations, 1);
            assertEquals(aux.evaluations, 1);
            assertEquals(loss.getAccumulator("train"), total, 1e-6f);
            // an evaluation outside an accumulator update computes afresh
            loss.evaluate(new NDList(labels), predictions);
            assertEquals(main.evaluations, 2);
        }
        // once the batch is closed, new arrays are evaluated again
        try (NDManager batch = manager.newSubManager()) {
            NDArray labels = batch.create(new long[] {0, 1, 2, 255}, new Shape(1, 2, 2));
            NDList predictions = new NDList(batch.randomNormal(new Shape(1, 3, 2, 2)));
            loss.updateAccumulators(keys, new NDList(labels), predictions);
            assertEquals(main.evaluations, 3);
            assertEquals(aux.evaluations, 2, "the absent aux head is not evaluated");
        }
    }
}
