package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.loss.BinaryCrossEntropyLoss;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.loss.DiceLoss;
import io.github.segloss.loss.FocalLoss;
import io.github.segloss.loss.GeneralizedDiceLoss;
import io.github.segloss.loss.JaccardLoss;
import io.github.segloss.loss.LovaszLoss;
import io.github.segloss.loss.MaskRcnnMaskLoss;
import io.github.segloss.loss.MaskedL2Loss;
import io.github.segloss.loss.MccLoss;
import io.github.segloss.loss.OhemCrossEntropyLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.loss.TverskyLoss;
import io.github.segloss.loss.WeightedLoss;
import io.github.segloss.loss.WeightedSumLoss;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * {@code optCheckFinite(true)} on every loss: NaN, +∞ and −∞ in the predictions raise an {@link
 * IllegalArgumentException} with the argument's name, the count and the position of the first bad
 * value; the check is off by default, where non-finite input passes through unchanged; and it does
 * not change the value of finite input.
 */
public class CheckFiniteTest extends EngineTest {

    /** Every prediction here is (2, 3, 4, 4): 96 values. */
    private static final Shape SHAPE = new Shape(2, 3, 4, 4);

    /** Flat positions of the bad values; the first is [1, 2, 0, 3]. */
    private static final int[] BAD = {83, 90, 95};

    private static final String FIRST = "[1, 2, 0, 3]";

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public CheckFiniteTest(String engine) {
        super(engine);
    }

    /**
     * A loss under test: how to build it with the check on or off, its labels, how many predictions
     * it reads and the name its message gives the bad one.
     */
    private record Subject(
            String name,
            Function<Boolean, Loss> build,
            Function<NDManager, NDList> labels,
            int heads,
            String argument) {}

    private static NDList classLabels(NDManager manager) {
        long[] labels = new long[2 * 4 * 4];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        return new NDList(manager.create(labels, new Shape(2, 4, 4)));
    }

    private static NDList sameShapeTargets(NDManager manager) {
        return new NDList(manager.zeros(SHAPE));
    }

    private static NDList maskLabels(NDManager manager) {
        return new NDList(manager.create(new long[] {0, 2}), manager.zeros(new Shape(2, 4, 4)));
    }

    /** Sets the check on the builder, or leaves the default when {@code on} is null. */
    private static <B> B check(B builder, Boolean on, BiFunction<B, Boolean, B> setter) {
        return on == null ? builder : setter.apply(builder, on);
    }

    private static List<Subject> subjects() {
        SegmentationMode multiclass = SegmentationMode.MULTICLASS;
        return List.of(
                new Subject(
                        "PixelCrossEntropyLoss",
                        on ->
                                check(
                                                PixelCrossEntropyLoss.builder(),
                                                on,
                                                PixelCrossEntropyLoss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::classLabels,
                        1,
                        "logits"),
                new Subject(
                        "PixelCrossEntropyLoss, class probabilities",
                        on ->
                                check(
                                                PixelCrossEntropyLoss.builder(),
                                                on,
                                                PixelCrossEntropyLoss.Builder::optCheckFinite)
                                        .build(),
                        LossCatalog::softTargets,
                        1,
                        "logits"),
                new Subject(
                        "DiceLoss, soft targets",
                        on ->
                                check(
                                                DiceLoss.builder()
                                                        .setMode(multiclass)
                                                        .optSoftLabels(true),
                                                on,
                                                DiceLoss.Builder::optCheckFinite)
                                        .build(),
                        LossCatalog::softTargets,
                        1,
                        "logits"),
                new Subject(
                        "OhemCrossEntropyLoss",
                        on ->
                                check(
                                                OhemCrossEntropyLoss.builder(),
                                                on,
                                                OhemCrossEntropyLoss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::classLabels,
                        1,
                        "logits"),
                new Subject(
                        "BinaryCrossEntropyLoss",
                        on ->
                                check(
                                                BinaryCrossEntropyLoss.builder(),
                                                on,
                                                BinaryCrossEntropyLoss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::sameShapeTargets,
                        1,
                        "logits"),
                new Subject(
                        "FocalLoss",
                        on ->
                                check(
                                                FocalLoss.builder().setMode(multiclass),
                                                on,
                                                FocalLoss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::classLabels,
                        1,
                        "logits"),
                new Subject(
                        "DiceLoss",
                        on ->
                                check(
                                                DiceLoss.builder().setMode(multiclass),
                                                on,
                                                DiceLoss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::classLabels,
                        1,
                        "logits"),
                new Subject(
                        "JaccardLoss",
                        on ->
                                check(
                                                JaccardLoss.builder().setMode(multiclass),
                                                on,
                                                JaccardLoss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::classLabels,
                        1,
                        "logits"),
                new Subject(
                        "TverskyLoss",
                        on ->
                                check(
                                                TverskyLoss.builder().setMode(multiclass),
                                                on,
                                                TverskyLoss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::classLabels,
                        1,
                        "logits"),
                new Subject(
                        "GeneralizedDiceLoss",
                        on ->
                                check(
                                                GeneralizedDiceLoss.builder().setMode(multiclass),
                                                on,
                                                GeneralizedDiceLoss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::classLabels,
                        1,
                        "logits"),
                new Subject(
                        "MccLoss",
                        on ->
                                check(
                                                MccLoss.builder().setMode(multiclass),
                                                on,
                                                MccLoss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::classLabels,
                        1,
                        "logits"),
                new Subject(
                        "LovaszLoss",
                        on ->
                                check(
                                                LovaszLoss.builder().setMode(multiclass),
                                                on,
                                                LovaszLoss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::classLabels,
                        1,
                        "logits"),
                new Subject(
                        "MaskRcnnMaskLoss",
                        on ->
                                check(
                                                MaskRcnnMaskLoss.builder(),
                                                on,
                                                MaskRcnnMaskLoss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::maskLabels,
                        1,
                        "maskLogits"),
                new Subject(
                        "MaskedL2Loss",
                        on ->
                                check(
                                                MaskedL2Loss.builder(),
                                                on,
                                                MaskedL2Loss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::sameShapeTargets,
                        1,
                        "prediction"),
                new Subject(
                        "WeightedLoss",
                        on ->
                                check(
                                                WeightedLoss.builder()
                                                        .setLoss(
                                                                PixelCrossEntropyLoss.builder()
                                                                        .build())
                                                        .optWeight(0.5f),
                                                on,
                                                WeightedLoss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::classLabels,
                        1,
                        "predictions[0]"),
                new Subject(
                        "WeightedSumLoss",
                        on ->
                                check(
                                                WeightedSumLoss.builder()
                                                        .add(
                                                                PixelCrossEntropyLoss.builder()
                                                                        .build(),
                                                                1f)
                                                        .add(
                                                                DiceLoss.builder()
                                                                        .setMode(multiclass)
                                                                        .build(),
                                                                0.5f),
                                                on,
                                                WeightedSumLoss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::classLabels,
                        1,
                        "predictions[0]"),
                new Subject(
                        "DeepSupervisionLoss",
                        on ->
                                check(
                                                DeepSupervisionLoss.builder()
                                                        .addHead(
                                                                "main",
                                                                PixelCrossEntropyLoss.builder()
                                                                        .build(),
                                                                1)
                                                        .addHead(
                                                                "aux",
                                                                PixelCrossEntropyLoss.builder()
                                                                        .build(),
                                                                0.4f),
                                                on,
                                                DeepSupervisionLoss.Builder::optCheckFinite)
                                        .build(),
                        CheckFiniteTest::classLabels,
                        2,
                        "predictions[1] of head aux"));
    }

    /** Finite predictions in (-1, 1), not all equal, one per head. */
    private NDList predictions(int heads, DataType type) {
        NDList list = new NDList();
        for (int h = 0; h < heads; h++) {
            float[] values = new float[(int) SHAPE.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) Math.sin(0.7 * i + h);
            }
            list.add(manager.create(values, SHAPE).toType(type, false));
        }
        return list;
    }

    /** The predictions with {@code bad} at the {@link #BAD} positions of the last head. */
    private NDList withBadValues(int heads, float bad, DataType type) {
        NDList list = predictions(heads, DataType.FLOAT32);
        float[] values = list.get(heads - 1).toFloatArray();
        for (int position : BAD) {
            values[position] = bad;
        }
        list.set(heads - 1, manager.create(values, SHAPE));
        NDList typed = new NDList();
        for (NDArray array : list) {
            typed.add(array.toType(type, false));
        }
        return typed;
    }

    private void expectReported(float bad, String shown, DataType type) {
        for (Subject subject : subjects()) {
            Loss loss = subject.build().apply(true);
            NDList labels = subject.labels().apply(manager);
            NDList predictions = withBadValues(subject.heads(), bad, type);
            Expect.illegalArgument(
                    () -> loss.evaluate(labels, predictions),
                    subject.argument()
                            + " must be finite: 3 of 96 values are not (first: "
                            + shown
                            + " at "
                            + FIRST
                            + ")");
        }
    }

    @Test
    public void reportsNaNWithCountAndPosition() {
        expectReported(Float.NaN, "NaN", DataType.FLOAT32);
    }

    @Test
    public void reportsPositiveInfinity() {
        expectReported(Float.POSITIVE_INFINITY, "+Infinity", DataType.FLOAT32);
    }

    @Test
    public void reportsNegativeInfinity() {
        expectReported(Float.NEGATIVE_INFINITY, "-Infinity", DataType.FLOAT32);
    }

    @Test
    public void checksFloat64Predictions() {
        expectReported(Float.NaN, "NaN", DataType.FLOAT64);
    }

    /**
     * The fast path sums the values: finite values whose sum overflows (float32 near its largest
     * value, float16 beyond 65504 in total) are still finite and must pass, and a bad value among
     * them is still reported with its count and position.
     */
    @Test
    public void finiteValuesWhoseSumOverflowsPass() {
        NDArray huge = manager.create(new float[] {3e38f, 3e38f, 3e38f, -1f});
        FiniteCheck.requireFinite(true, huge, "huge");
        // PyTorch's sum overflows to +Infinity, MXNet's (compensated) to NaN: the exact test runs
        assertFalse(Float.isFinite(huge.sum().getFloat()), "the sum is not finite");
        NDArray half =
                manager.create(new float[] {60000f, 60000f, 1f}).toType(DataType.FLOAT16, false);
        FiniteCheck.requireFinite(true, half, "half");
        NDArray hugeAndNaN = manager.create(new float[] {3e38f, 3e38f, Float.NaN, 3e38f});
        Expect.illegalArgument(
                () -> FiniteCheck.requireFinite(true, hugeAndNaN, "logits"),
                "logits must be finite: 1 of 4 values are not (first: NaN at [2])");
        NDArray cancelling =
                manager.create(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f});
        Expect.illegalArgument(
                () -> FiniteCheck.requireFinite(true, cancelling, "logits"),
                "logits must be finite: 2 of 3 values are not (first: +Infinity at [0])");
    }

    @Test
    public void reportsASingleBadValueInTheSingular() {
        Loss loss = MaskedL2Loss.builder().optCheckFinite(true).build();
        NDArray prediction = manager.create(Float.NaN);
        Expect.illegalArgument(
                () -> loss.evaluate(new NDList(manager.create(0f)), new NDList(prediction)),
                "prediction must be finite: 1 of 1 value is not (first: NaN at [])");
    }

    @Test
    public void isOffByDefaultAndPassesNonFiniteInputThrough() {
        for (Subject subject : subjects()) {
            Loss loss = subject.build().apply(null);
            NDList labels = subject.labels().apply(manager);
            NDList predictions = withBadValues(subject.heads(), Float.NaN, DataType.FLOAT32);
            // no exception: the values reach the loss unchanged
            loss.evaluate(labels, predictions);
        }
        Loss crossEntropy = PixelCrossEntropyLoss.builder().build();
        float value =
                crossEntropy
                        .evaluate(
                                classLabels(manager), withBadValues(1, Float.NaN, DataType.FLOAT32))
                        .getFloat();
        assertTrue(
                Float.isNaN(value), "NaN logits give a NaN cross-entropy unchecked, got " + value);
    }

    @Test
    public void leavesTheValueOfFiniteInputUnchanged() {
        for (Subject subject : subjects()) {
            NDList labels = subject.labels().apply(manager);
            NDList predictions = predictions(subject.heads(), DataType.FLOAT32);
            float checked = subject.build().apply(true).evaluate(labels, predictions).getFloat();
            float unchecked = subject.build().apply(false).evaluate(labels, predictions).getFloat();
            assertFalse(Float.isNaN(checked), subject.name());
            assertEquals(checked, unchecked, 0f, subject.name());
        }
    }

    @Test
    public void namesTheMainHeadWhenTheAuxiliaryHeadIsAbsent() {
        Loss loss =
                DeepSupervisionLoss.builder()
                        .addHead("main", PixelCrossEntropyLoss.builder().build(), 1)
                        .addHead("aux", PixelCrossEntropyLoss.builder().build(), 0.4f)
                        .optCheckFinite(true)
                        .build();
        NDList mainOnly = withBadValues(1, Float.NaN, DataType.FLOAT32);
        Expect.illegalArgument(
                () -> loss.evaluate(classLabels(manager), mainOnly),
                "predictions[0] of head main must be finite: 3 of 96 values are not (first: NaN at "
                        + FIRST
                        + ")");
    }
}
