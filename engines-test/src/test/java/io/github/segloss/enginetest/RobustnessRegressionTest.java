package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import com.sun.jna.Native;
import io.github.segloss.internal.SafeMath;
import io.github.segloss.loss.BinaryCrossEntropyLoss;
import io.github.segloss.loss.DiceLoss;
import io.github.segloss.loss.FocalLoss;
import io.github.segloss.loss.JaccardLoss;
import io.github.segloss.loss.LovaszLoss;
import io.github.segloss.loss.MaskRcnnMaskLoss;
import io.github.segloss.loss.MaskedL2Loss;
import io.github.segloss.loss.OhemCrossEntropyLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.loss.TverskyLoss;
import io.github.segloss.metric.MeanIoU;
import io.github.segloss.metric.PixelAccuracy;
import io.github.segloss.target.RoiAlign;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Function;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Regression tests of the bugs the randomized tests ({@code fuzz.LossFuzzTest}, {@code
 * MetricFuzzTest}, {@code TargetFuzzTest}) found, each reduced to its smallest input.
 */
public class RobustnessRegressionTest extends EngineTest {

    /** Linux's errno value ERANGE. */
    private static final int ERANGE = 34;

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public RobustnessRegressionTest(String engine) {
        super(engine);
    }

    private NDArray int8(byte... values) {
        return manager.create(values);
    }

    private NDArray uint8(int... values) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length);
        for (int v : values) {
            buffer.put((byte) v);
        }
        buffer.rewind();
        return manager.create(buffer, new Shape(values.length), DataType.UINT8);
    }

    @Test
    public void ohemReadsTheProbabilitiesOfFloat64Logits() {
        // pixel 0: p = 1/2 (kept, below 0.7); pixel 1: p = e^2 / (e^2 + 1) = 0.88 (easy)
        NDArray logits =
                manager.create(new double[] {0, 2, 0, 0}, new Shape(1, 2, 2)); // (N, C, pixels)
        NDArray labels = manager.create(new long[] {0, 0}, new Shape(1, 2));
        Loss ohem = OhemCrossEntropyLoss.builder().optMinKept(0).build();
        NDArray value = ohem.evaluate(new NDList(labels), new NDList(logits));
        assertEquals(value.getDataType(), DataType.FLOAT64);
        assertEquals(value.getDouble(), Math.log(2), 1e-9);
    }

    /** Every loss, built for logits of shape (N, 3, ...) and given labels for them. */
    private record EmptyCase(String name, Loss loss, Function<Shape, NDList> labels) {}

    private NDList classLabels(Shape logits) {
        return new NDList(
                manager.zeros(logits.slice(0, 1).addAll(logits.slice(2)), DataType.INT64));
    }

    private NDList sameShape(Shape logits) {
        return new NDList(manager.zeros(logits));
    }

    private EmptyCase[] emptyCases() {
        SegmentationMode multiclass = SegmentationMode.MULTICLASS;
        return new EmptyCase[] {
            new EmptyCase(
                    "cross-entropy", PixelCrossEntropyLoss.builder().build(), this::classLabels),
            new EmptyCase("OHEM", OhemCrossEntropyLoss.builder().build(), this::classLabels),
            new EmptyCase("BCE", BinaryCrossEntropyLoss.builder().build(), this::sameShape),
            new EmptyCase(
                    "sigmoid focal",
                    FocalLoss.builder().setMode(multiclass).build(),
                    this::classLabels),
            new EmptyCase(
                    "softmax focal",
                    FocalLoss.builder().setMode(multiclass).optSoftmax(true).build(),
                    this::classLabels),
            new EmptyCase(
                    "Dice", DiceLoss.builder().setMode(multiclass).build(), this::classLabels),
            new EmptyCase(
                    "Jaccard per image",
                    JaccardLoss.builder().setMode(multiclass).optPerImage(true).build(),
                    this::classLabels),
            new EmptyCase(
                    "Tversky multilabel",
                    TverskyLoss.builder().setMode(SegmentationMode.MULTILABEL).build(),
                    this::sameShape),
            new EmptyCase(
                    "Lovasz softmax",
                    LovaszLoss.builder().setMode(multiclass).build(),
                    this::classLabels),
            new EmptyCase(
                    "Lovasz hinge",
                    LovaszLoss.builder()
                            .setMode(SegmentationMode.MULTILABEL)
                            .optPerImage(true)
                            .build(),
                    this::sameShape),
            new EmptyCase("masked L2", new MaskedL2Loss(), this::sameShape)
        };
    }

    @Test
    public void emptyBatchesGiveZeroConnectedToTheGraph() {
        // PyTorch's mean of nothing is NaN; MXNet fails in activations, softmax and axis sums
        for (Shape shape : new Shape[] {new Shape(0, 3, 4, 4), new Shape(2, 3, 0, 4)}) {
            for (EmptyCase c : emptyCases()) {
                NDArray logits = manager.zeros(shape);
                NDList labels = c.labels().apply(shape);
                Gradients.Result result =
                        Gradients.of(
                                engine(),
                                Map.of("logits", logits),
                                () -> c.loss().evaluate(labels, new NDList(logits)));
                String what = c.name() + " on " + shape;
                assertEquals(result.value(), 0.0, what);
                assertEquals(result.result().getShape(), new Shape(), what);
                assertEquals(result.result().getDataType(), DataType.FLOAT32, what);
                assertEquals(result.grads().get("logits").length, 0, what);
            }
        }
    }

    @Test
    public void maskLossOfEmptyMasksIsZero() {
        NDArray logits = manager.zeros(new Shape(2, 3, 0, 0));
        NDList labels =
                new NDList(manager.create(new long[] {0, 2}), manager.zeros(new Shape(2, 0, 0)));
        Gradients.Result result =
                Gradients.of(
                        engine(),
                        Map.of("logits", logits),
                        () ->
                                MaskRcnnMaskLoss.builder()
                                        .build()
                                        .evaluate(labels, new NDList(logits)));
        assertEquals(result.value(), 0.0);
    }

    @Test
    public void allZeroClassWeightsGiveZeroInsteadOfNaN() {
        NDArray logits = manager.create(new float[] {1, -1, 0.5f, 2, 0, -3}, new Shape(2, 3));
        NDList labels = new NDList(manager.create(new long[] {0, 2}));
        Loss focal =
                FocalLoss.builder()
                        .setMode(SegmentationMode.MULTICLASS)
                        .optClassWeights(0, 0, 0)
                        .build();
        Loss dice =
                DiceLoss.builder()
                        .setMode(SegmentationMode.MULTICLASS)
                        .optClassWeights(0, 0, 0)
                        .build();
        Loss selectedWithoutWeight =
                JaccardLoss.builder()
                        .setMode(SegmentationMode.MULTICLASS)
                        .optClasses(1)
                        .optClassWeights(1, 0, 1)
                        .build();
        for (Loss loss : new Loss[] {focal, dice, selectedWithoutWeight}) {
            assertEquals(loss.evaluate(labels, new NDList(logits)).getFloat(), 0f, loss.getName());
        }
    }

    @Test
    public void softmaxFocalLossOfHugeLogitsIsFinite() {
        // MXNet's log_softmax gives log p = +1.4e-6 for the largest logit, so 1 - p < 0 and
        // (1 - p)^3.5 was NaN
        NDArray logits =
                manager.create(new float[] {9000, -3000, 2000, -8000, 100}, new Shape(1, 5));
        Loss focal =
                FocalLoss.builder()
                        .setMode(SegmentationMode.MULTICLASS)
                        .optSoftmax(true)
                        .optGamma(3.5f)
                        .build();
        float right =
                focal.evaluate(new NDList(manager.create(new long[] {0})), new NDList(logits))
                        .getFloat();
        float wrong =
                focal.evaluate(new NDList(manager.create(new long[] {1})), new NDList(logits))
                        .getFloat();
        assertEquals(right, 0f, 1e-3f); // p_y = 1
        assertEquals(wrong, 12000f, 1e-2f); // -log p_y = 9000 + 3000, (1 - p_y)^3.5 = 1
    }

    @Test
    public void safePowOfARoundedZeroIsZero() {
        NDArray base = manager.create(new float[] {-1e-6f, 0f, 0.25f});
        float[] power = SafeMath.safePow(base, 2.5f).toFloatArray();
        assertEquals(power[0], 0f);
        assertEquals(power[1], 0f);
        assertEquals(power[2], (float) Math.pow(0.25, 2.5), 1e-7f);
    }

    @Test
    public void binaryCrossEntropyOfConfidentNegativesIsAccurate() {
        // MXNet's softrelu gave softplus(-20) = -1.9e-6 and softplus(-44.9) = 3.8e-6
        float[] logits = {-44.883f, -20f, -18f, -16f, -12f, -10f, -5f, 0f, 30f};
        Loss bce = BinaryCrossEntropyLoss.builder().build();
        for (float x : logits) {
            double exact = Math.log1p(Math.exp(x)); // target 0: softplus(x)
            float value =
                    bce.evaluate(
                                    new NDList(manager.create(new float[] {0f})),
                                    new NDList(manager.create(new float[] {x})))
                            .getFloat();
            assertTrue(value >= 0, "BCE of logit " + x + " is " + value);
            assertEquals(value, exact, 2e-7 + 1e-6 * exact, "BCE of logit " + x);
        }
    }

    @Test
    public void finiteChecksWorkWhateverTheThreadsErrno() {
        // MXNet parses a +Infinity scalar as out of range while errno is ERANGE, which any
        // overflowing exp of a C library on this thread leaves behind
        NDArray logits = manager.create(new float[] {0.5f, -1f, 2f, 0f}, new Shape(1, 2, 2));
        NDList targets =
                new NDList(manager.zeros(new Shape(1, 2, 2)), manager.ones(new Shape(1, 2, 2)));
        Loss bce = BinaryCrossEntropyLoss.builder().optCheckFinite(true).build();
        Native.setLastError(ERANGE);
        float value = bce.evaluate(targets, new NDList(logits)).getFloat();
        assertTrue(Float.isFinite(value));
        Native.setLastError(ERANGE);
        Expect.illegalArgument(
                () ->
                        bce.evaluate(
                                new NDList(
                                        manager.zeros(new Shape(1, 2, 2)),
                                        manager.create(
                                                new float[] {1, Float.POSITIVE_INFINITY, 1, 1},
                                                new Shape(1, 2, 2))),
                                new NDList(logits)),
                "weights must be finite and >= 0, got Infinity at [0, 0, 1]");
    }

    @Test
    public void int8LabelMinusOneIsNotTheIgnoreIndex255() {
        // int8 comparisons wrapped the scalar 255 to -1
        NDArray logits = manager.zeros(new Shape(3, 2));
        Loss ce = PixelCrossEntropyLoss.builder().optIgnoreIndex(255).build();
        Expect.illegalArgument(
                () ->
                        ce.evaluate(
                                new NDList(int8((byte) 0, (byte) -1, (byte) 1)),
                                new NDList(logits)),
                "labels",
                "got -1 at [1]");
        Loss dice = DiceLoss.builder().setMode(SegmentationMode.BINARY).optIgnoreIndex(255).build();
        Expect.illegalArgument(
                () ->
                        dice.evaluate(
                                new NDList(int8((byte) 0, (byte) -1, (byte) 1)),
                                new NDList(manager.zeros(new Shape(3, 1)))),
                "labels",
                "got -1");
    }

    @Test
    public void uint8Label255IsNotTheIgnoreIndexMinusOne() {
        // uint8 comparisons wrapped the scalar -1 to 255; the loss then picked class 255
        NDArray logits = manager.zeros(new Shape(3, 4));
        Loss ce = PixelCrossEntropyLoss.builder().optIgnoreIndex(-1).build();
        Expect.illegalArgument(
                () -> ce.evaluate(new NDList(uint8(0, 255, 3)), new NDList(logits)),
                "labels",
                "got 255 at [1]");
    }

    @Test
    public void pixelAccuracyReadsInt8Labels() {
        // int8 comparisons wrapped the bound 2^31 - 1 to -1, so every label was out of range
        PixelAccuracy accuracy = new PixelAccuracy("accuracy", 255);
        NDArray value =
                accuracy.evaluate(
                        new NDList(int8((byte) 0, (byte) 1, (byte) 2)),
                        new NDList(int8((byte) 0, (byte) 1, (byte) 1)));
        assertEquals(value.getFloat(), 2f / 3, 1e-6f);
    }

    @Test
    public void withoutIgnoreIndexTheSentinelIsABadLabel() {
        // NO_IGNORE is Integer.MIN_VALUE: a label of exactly -2^31 was silently ignored
        Loss focal = FocalLoss.builder().setMode(SegmentationMode.MULTICLASS).build();
        NDArray labels = manager.create(new double[] {0, Integer.MIN_VALUE});
        Expect.illegalArgument(
                () ->
                        focal.evaluate(
                                new NDList(labels), new NDList(manager.zeros(new Shape(2, 3)))),
                "labels",
                "got -2147483648");
    }

    @Test
    public void roiAlignWithoutRoisStaysConnectedToTheFeatures() {
        NDArray features = manager.ones(new Shape(2, 3, 5, 5));
        RoiAlign align = RoiAlign.builder().setOutputSize(2, 2).build();
        NDArray[] output = new NDArray[1];
        Gradients.Result result =
                Gradients.of(
                        engine(),
                        Map.of("features", features),
                        () -> {
                            output[0] =
                                    align.apply(
                                            features,
                                            manager.zeros(new Shape(0, 4)),
                                            manager.zeros(new Shape(0), DataType.INT64));
                            return output[0].sum();
                        });
        assertEquals(output[0].getShape(), new Shape(0, 3, 2, 2));
        assertEquals(result.value(), 0.0);
        assertEquals(result.grads().get("features"), new float[2 * 3 * 5 * 5]);
    }

    @Test
    public void meanIoUNamesTheLabelsWhenClassIdsDoNotMatchTheirShape() {
        MeanIoU iou = new MeanIoU("mIoU", 1, 255);
        Expect.illegalArgument(
                () ->
                        iou.evaluate(
                                new NDList(manager.zeros(new Shape(3), DataType.INT64)),
                                new NDList(manager.zeros(new Shape(3, 3)))),
                "class ids of the labels' shape (3)",
                "C = numClasses = 1");
    }
}
