package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.DiceLoss;
import io.github.segloss.loss.SegmentationMode;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link DiceLoss} on this engine: its reference cases in every mode and setting
 * (smooth, eps, log loss, class subsets and weights, per image, squared denominator, probabilities,
 * soft targets, MONAI's separate smoothing terms, all ignored), and the soft targets' own input
 * checks. The reference values and gradients come from segmentation_models.pytorch 5006616 ({@code
 * golden-public-family.json} and {@code generated.json}), MONAI's DiceLoss formula in torch ops,
 * MONAI 1.5's {@code DiceLoss} itself ({@code generated-soft.json}, with the MONAI unit-test case
 * of {@code soft_label=True}), and the contract that an all-ignored batch gives 0 with a zero
 * gradient, computed in float64 and checked by {@link ReferenceCaseRunner}. The checks of bad input
 * it shares with Jaccard and Tversky are in {@link SegmentationLossInputTest}.
 */
public class DiceLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public DiceLossTest(String engine) {
        super(engine, "DiceLoss");
    }

    private static DiceLoss.Builder dice(SegmentationMode mode) {
        return DiceLoss.builder().setMode(mode);
    }

    private static float value(Loss loss, NDArray labels, NDArray logits) {
        return loss.evaluate(new NDList(labels), new NDList(logits)).getFloat();
    }

    @Test
    public void oneHotSoftTargetsGiveTheClassIndexLoss() {
        NDArray logits = LossCatalog.values(manager, LossCatalog.SHAPE, 0);
        NDArray labels = LossCatalog.classLabels(manager).head();
        NDArray index = labels.mul(labels.neq(255).toType(DataType.INT64, false));
        NDArray oneHot = index.oneHot(3).transpose(0, 3, 1, 2).toType(DataType.FLOAT32, false);
        Loss soft = dice(SegmentationMode.MULTICLASS).optSoftLabels(true).build();
        Loss hard = dice(SegmentationMode.MULTICLASS).build();
        Tolerance.assertValue(
                engine,
                "dice_one_hot_vs_index",
                "loss",
                value(soft, oneHot, logits),
                value(hard, index, logits));
        // class indices read the same with the option on
        assertEquals(value(soft, index, logits), value(hard, index, logits));
    }

    @Test
    public void softTargetsOfEveryFloatTypeGiveTheSameLoss() {
        NDArray logits = LossCatalog.values(manager, LossCatalog.SHAPE, 1);
        NDArray targets = LossCatalog.softTargets(manager).head().toType(DataType.FLOAT16, false);
        Loss soft = dice(SegmentationMode.MULTILABEL).optSoftLabels(true).build();
        float expected = value(soft, targets.toType(DataType.FLOAT32, false), logits);
        for (DataType type : new DataType[] {DataType.FLOAT16, DataType.FLOAT64}) {
            assertEquals(
                    value(soft, targets.toType(type, false), logits),
                    expected,
                    1e-6f * Math.abs(expected),
                    "labels " + type);
        }
    }

    @Test
    public void softTargetsNeedTheOption() {
        NDArray labels = manager.create(new float[] {0, 1, 0.5f, 1}, new Shape(1, 1, 2, 2));
        Expect.illegalArgument(
                () ->
                        value(
                                dice(SegmentationMode.BINARY).build(),
                                labels,
                                manager.zeros(new Shape(1, 1, 2, 2))),
                "labels",
                "got 0.5",
                "at [0, 0, 1, 0]",
                "optSoftLabels(true)");
    }

    @Test
    public void multiclassPerClassTargetsNeedTheOption() {
        Expect.illegalArgument(
                () ->
                        value(
                                dice(SegmentationMode.MULTICLASS).build(),
                                manager.zeros(new Shape(2, 3, 2, 2)),
                                manager.zeros(new Shape(2, 3, 2, 2))),
                "labels",
                "(2, 3, 2, 2)",
                "per-class targets",
                "optSoftLabels(true)");
    }

    @Test
    public void rejectsSoftTargetsOutsideZeroToOne() {
        Loss soft = dice(SegmentationMode.MULTILABEL).optSoftLabels(true).build();
        NDArray logits = manager.zeros(new Shape(1, 2, 2));
        Expect.illegalArgument(
                () ->
                        value(
                                soft,
                                manager.create(new float[] {0, 1.5f, 0.2f, 1}, new Shape(1, 2, 2)),
                                logits),
                "labels",
                "in [0, 1]",
                "got 1.5",
                "at [0, 0, 1]");
        Expect.illegalArgument(
                () ->
                        value(
                                soft,
                                manager.create(
                                        new float[] {0, 0.5f, -0.25f, 1}, new Shape(1, 2, 2)),
                                logits),
                "labels",
                "in [0, 1]",
                "got -0.25",
                "at [0, 1, 0]");
    }

    @Test
    public void softTargetsKeepTheIgnoreIndex() {
        Loss soft =
                dice(SegmentationMode.MULTICLASS).optSoftLabels(true).optIgnoreIndex(255).build();
        NDArray logits = manager.zeros(new Shape(1, 2, 2));
        Expect.illegalArgument(
                () ->
                        value(
                                soft,
                                manager.create(new float[] {0, 254, 0.2f, 1}, new Shape(1, 2, 2)),
                                logits),
                "labels",
                "in [0, 1] or the ignore index 255",
                "got 254");
        NDArray ignored = manager.create(new float[] {255, 255, 255, 255}, new Shape(1, 2, 2));
        assertEquals(value(soft, ignored, logits), 0f);
    }

    @Test
    public void smoothExcludesTheSeparateTerms() {
        Expect.illegalArgument(
                () ->
                        dice(SegmentationMode.MULTICLASS)
                                .optSmooth(1f)
                                .optSmoothDenominator(1e-5f)
                                .build(),
                "optSmooth",
                "got 1.0",
                "optSmoothNumerator/optSmoothDenominator",
                "null and 1.0E-5",
                "not both");
        Expect.illegalArgument(
                () -> DiceLoss.builder().optSmoothNumerator(-1f), "smoothNumerator", "-1.0");
        Expect.illegalArgument(
                () -> DiceLoss.builder().optSmoothDenominator(Float.NaN),
                "smoothDenominator",
                "NaN");
    }

    @Test
    public void smoothIsMonaisTwice() {
        NDArray logits = LossCatalog.values(manager, LossCatalog.SHAPE, 3);
        NDArray labels = LossCatalog.classLabels(manager).head();
        float smp =
                value(
                        dice(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(255)
                                .optSmooth(0.75f)
                                .build(),
                        labels,
                        logits);
        float monai =
                value(
                        dice(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(255)
                                .optSmoothNumerator(1.5f)
                                .optSmoothDenominator(1.5f)
                                .build(),
                        labels,
                        logits);
        Tolerance.assertValue(engine, "dice_smooth_vs_monai", "loss", monai, smp);
    }
}
