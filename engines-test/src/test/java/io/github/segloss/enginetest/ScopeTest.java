package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.loss.DiceLoss;
import io.github.segloss.loss.FocalLoss;
import io.github.segloss.loss.GeneralizedDiceLoss;
import io.github.segloss.loss.LovaszLoss;
import io.github.segloss.loss.MccLoss;
import io.github.segloss.loss.OhemCrossEntropyLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.SegmentationMode;
import java.util.List;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * A loss evaluated inside the caller's {@link NDScope} leaves nothing behind on the managers of
 * labels that outlive the call (labels kept across batches, as in a benchmark or a fixed validation
 * set): every array it derives from them is closed with the caller's scope. The class-index labels
 * used to escape every scope and leaked 1.5 MB per call at (8, 21, 128, 128).
 */
public class ScopeTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public ScopeTest(String engine) {
        super(engine);
    }

    @Test
    public void lossesLeaveNothingOnTheLabelsManager() {
        NDArray labels = manager.create(new long[] {0, 1, 2, 255, 1, 0}, new Shape(1, 2, 3));
        NDArray logits = manager.randomNormal(new Shape(1, 3, 2, 3));
        List<Loss> losses =
                List.of(
                        PixelCrossEntropyLoss.builder().optClassWeights(1, 2, 3).build(),
                        OhemCrossEntropyLoss.builder().build(),
                        FocalLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(255)
                                .build(),
                        FocalLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(255)
                                .optSoftmax(true)
                                .build(),
                        DiceLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(255)
                                .build(),
                        LovaszLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(255)
                                .build(),
                        GeneralizedDiceLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(255)
                                .build(),
                        MccLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(255)
                                .build());
        int before = manager.getManagedArrays().size();
        for (Loss loss : losses) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                loss.evaluate(new NDList(labels), new NDList(logits)).getFloat();
            }
            assertEquals(
                    manager.getManagedArrays().size(), before, loss.getName() + " left arrays");
        }
    }

    /**
     * The heads of one {@code DeepSupervisionLoss} evaluation normalise the shared labels once (two
     * arrays on the labels' manager, not four), and labels refilled in place between two
     * evaluations are read afresh.
     */
    @Test
    public void headsShareTheLabelsOfOneEvaluationOnly() {
        try (NDManager labelsManager = manager.newSubManager()) {
            NDArray labels =
                    labelsManager.create(new long[] {0, 1, 2, 255, 1, 0}, new Shape(1, 2, 3));
            NDList predictions =
                    new NDList(
                            manager.randomNormal(new Shape(1, 3, 2, 3)),
                            manager.randomNormal(new Shape(1, 3, 2, 3)));
            DeepSupervisionLoss loss = DeepSupervisionLoss.pspnet();
            PixelCrossEntropyLoss head = PixelCrossEntropyLoss.builder().build();
            int before = labelsManager.getManagedArrays().size();
            head.evaluate(new NDList(labels), new NDList(predictions.get(0))).getFloat();
            int perHead = labelsManager.getManagedArrays().size() - before;
            before = labelsManager.getManagedArrays().size();
            float first = loss.evaluate(new NDList(labels), predictions).getFloat();
            assertEquals(
                    labelsManager.getManagedArrays().size() - before,
                    2 * perHead - 2,
                    "the second head reuses the index and valid arrays");

            labels.set(new long[] {2, 2, 2, 2, 2, 2});
            float refilled = loss.evaluate(new NDList(labels), predictions).getFloat();
            NDArray fresh = manager.create(new long[] {2, 2, 2, 2, 2, 2}, new Shape(1, 2, 3));
            float expected =
                    DeepSupervisionLoss.pspnet()
                            .evaluate(new NDList(fresh), predictions)
                            .getFloat();
            assertEquals(refilled, expected, 1e-6f);
            org.testng.Assert.assertNotEquals(refilled, first);
        }
    }
}
