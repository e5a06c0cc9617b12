package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.BinaryCrossEntropyLoss;
import io.github.segloss.loss.DiceLoss;
import io.github.segloss.loss.LovaszLoss;
import io.github.segloss.loss.MaskRcnnMaskLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.metric.MeanIoU;
import io.github.segloss.metric.PixelAccuracy;
import java.nio.ByteBuffer;
import java.util.List;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Hostile inputs to the losses and metrics: each gives the right number or an {@link
 * IllegalArgumentException} that names the argument.
 */
public class AdversarialInputTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public AdversarialInputTest(String engine) {
        super(engine);
    }

    private static float value(Loss loss, NDArray labels, NDArray logits) {
        return loss.evaluate(new NDList(labels), new NDList(logits))
                .toType(DataType.FLOAT32, false)
                .getFloat();
    }

    private List<Loss> classIndexLosses() {
        return List.of(
                PixelCrossEntropyLoss.builder().build(),
                DiceLoss.builder().setMode(SegmentationMode.MULTICLASS).optIgnoreIndex(255).build(),
                LovaszLoss.builder()
                        .setMode(SegmentationMode.MULTICLASS)
                        .optIgnoreIndex(255)
                        .build());
    }

    @Test
    public void labelsOfAnotherBatchSizeAreNamed() {
        NDArray logits = LossCatalog.values(manager, LossCatalog.SHAPE, 0);
        NDArray labels = manager.zeros(new Shape(3, 4, 4), DataType.INT64);
        for (Loss loss : classIndexLosses()) {
            Expect.illegalArgument(
                    () -> value(loss, labels, logits), "labels", "(2, 4, 4)", "got (3, 4, 4)");
        }
        Expect.illegalArgument(
                () -> new MeanIoU(3).evaluate(new NDList(labels), new NDList(logits)),
                "labels",
                "got (3, 4, 4)");
        Expect.illegalArgument(
                () ->
                        MaskRcnnMaskLoss.builder()
                                .build()
                                .evaluate(
                                        new NDList(
                                                manager.create(new long[] {0, 1, 2}),
                                                manager.zeros(new Shape(2, 4, 4))),
                                        new NDList(logits)),
                "classIds",
                "got (3)");
    }

    @Test
    public void zeroSizedAxesGiveZeroLossesAndNaNMetrics() {
        NDArray labels = manager.zeros(new Shape(2, 0, 4), DataType.INT64);
        for (DataType type : new DataType[] {DataType.FLOAT16, DataType.FLOAT64}) {
            NDArray logits = manager.zeros(new Shape(2, 3, 0, 4)).toType(type, false);
            for (Loss loss : classIndexLosses()) {
                NDArray result = loss.evaluate(new NDList(labels), new NDList(logits));
                assertEquals(result.getDataType(), type, loss.getName());
                assertEquals(result.toType(DataType.FLOAT32, false).getFloat(), 0f);
            }
            assertTrue(
                    Float.isNaN(
                            new MeanIoU(3)
                                    .evaluate(new NDList(labels), new NDList(logits))
                                    .getFloat()));
            assertTrue(
                    Float.isNaN(
                            new PixelAccuracy()
                                    .evaluate(new NDList(labels), new NDList(logits))
                                    .getFloat()));
        }
    }

    @Test
    public void transposedViewsGiveTheValuesOfTheirCopies() {
        NDArray base = LossCatalog.values(manager, LossCatalog.SHAPE, 2);
        NDArray view = base.transpose(0, 1, 3, 2); // non-contiguous on PyTorch
        NDArray copy = manager.create(view.toFloatArray(), view.getShape());
        NDArray labels = LossCatalog.classLabels(manager).head();
        NDArray labelView = labels.transpose(0, 2, 1);
        NDArray labelCopy = manager.create(labelView.toLongArray(), labelView.getShape());
        for (Loss loss : classIndexLosses()) {
            assertEquals(
                    value(loss, labelView, view),
                    value(loss, labelCopy, copy),
                    1e-6f,
                    loss.getName());
        }
        assertEquals(
                new MeanIoU(3).evaluate(new NDList(labelView), new NDList(view)).getFloat(),
                new MeanIoU(3).evaluate(new NDList(labelCopy), new NDList(copy)).getFloat());
    }

    private NDArray uint8(Shape shape, int... values) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length);
        for (int v : values) {
            buffer.put((byte) v);
        }
        buffer.rewind();
        return manager.create(buffer, shape, DataType.UINT8);
    }

    @Test
    public void narrowIntegerLabelsCountLikeInt64() {
        NDArray logits = LossCatalog.values(manager, new Shape(1, 3, 6), 0);
        NDArray wide = manager.create(new long[] {0, 1, 2, 255, 1, 0}, new Shape(1, 6));
        // uint8 holds 255: the ignore index
        NDArray narrow = uint8(new Shape(1, 6), 0, 1, 2, 255, 1, 0);
        // int8 cannot hold 255: labels without ignored pixels, against int64 ones
        NDArray int8 = manager.create(new byte[] {0, 1, 2, 2, 1, 0}, new Shape(1, 6));
        NDArray int64 = manager.create(new long[] {0, 1, 2, 2, 1, 0}, new Shape(1, 6));
        for (Loss loss : classIndexLosses()) {
            assertEquals(value(loss, narrow, logits), value(loss, wide, logits), 1e-6f);
            assertEquals(value(loss, int8, logits), value(loss, int64, logits), 1e-6f);
        }
        assertEquals(
                new MeanIoU(3).evaluate(new NDList(narrow), new NDList(logits)).getFloat(),
                new MeanIoU(3).evaluate(new NDList(wide), new NDList(logits)).getFloat());
    }

    @Test
    public void float16LabelsAreClassIndices() {
        NDArray logits = LossCatalog.values(manager, new Shape(1, 3, 6), 1);
        NDArray half =
                manager.create(new float[] {0, 1, 2, 255, 1, 0}, new Shape(1, 6))
                        .toType(DataType.FLOAT16, false);
        NDArray wide = manager.create(new long[] {0, 1, 2, 255, 1, 0}, new Shape(1, 6));
        for (Loss loss : classIndexLosses()) {
            assertEquals(value(loss, half, logits), value(loss, wide, logits), 1e-6f);
        }
        NDArray fraction =
                manager.create(new float[] {0, 1.5f, 2, 0, 1, 0}, new Shape(1, 6))
                        .toType(DataType.FLOAT16, false);
        Expect.illegalArgument(
                () -> value(PixelCrossEntropyLoss.builder().build(), fraction, logits),
                "labels",
                "got 1.5 at [0, 1]");
    }

    @Test
    public void hugeClassCountsWork() {
        int classes = 70_000;
        NDArray logits = manager.zeros(new Shape(2, classes));
        NDArray labels = manager.create(new long[] {0, classes - 1});
        assertEquals(
                value(PixelCrossEntropyLoss.builder().build(), labels, logits),
                (float) Math.log(classes),
                1e-5f);
        Expect.illegalArgument(
                () ->
                        value(
                                PixelCrossEntropyLoss.builder().build(),
                                manager.create(new long[] {0, classes}),
                                logits),
                "labels",
                "[0, 70000)",
                "got 70000");
    }

    @Test
    public void aConfusionMatrixBeyondTheHeapIsRefused() {
        // 10^6 classes: a 10^6 x 10^6 matrix of longs, 8 TB
        Expect.illegalArgument(
                () -> new MeanIoU(1_000_000), "numClasses", "1000000", "confusion matrix");
        assertEquals(new MeanIoU(1000).getNumClasses(), 1000);
    }

    @Test
    public void booleanLabelsAreNamed() {
        NDArray logits = LossCatalog.values(manager, new Shape(1, 3, 4), 0);
        NDArray labels = manager.create(new boolean[] {true, false, true, false}, new Shape(1, 4));
        Expect.illegalArgument(
                () -> value(PixelCrossEntropyLoss.builder().build(), labels, logits),
                "labels",
                "boolean");
        Expect.illegalArgument(
                () -> new MeanIoU(3).evaluate(new NDList(labels), new NDList(logits)),
                "labels",
                "boolean");
        NDArray binaryLogits = LossCatalog.values(manager, new Shape(1, 4), 0);
        Expect.illegalArgument(
                () -> value(BinaryCrossEntropyLoss.builder().build(), labels, binaryLogits),
                "targets",
                "boolean");
    }

    @Test
    public void integerLogitsAreNamed() {
        NDArray logits = manager.zeros(new Shape(2, 3), DataType.INT32);
        NDArray labels = manager.create(new long[] {0, 1});
        Expect.illegalArgument(
                () -> value(PixelCrossEntropyLoss.builder().build(), labels, logits),
                "logits",
                "floating-point",
                "int32");
    }
}
