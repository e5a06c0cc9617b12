package io.github.segloss.enginetest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.BinaryCrossEntropyLoss;
import io.github.segloss.loss.DiceLoss;
import io.github.segloss.loss.FocalLoss;
import io.github.segloss.loss.JaccardLoss;
import io.github.segloss.loss.LovaszLoss;
import io.github.segloss.loss.OhemCrossEntropyLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.loss.TverskyLoss;
import io.github.segloss.loss.WeightedSumLoss;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Bad settings and bad input of the segmentation loss family (Dice, Jaccard, Tversky, focal,
 * Lovász, OHEM, binary cross-entropy, weighted sum): each raises an {@link
 * IllegalArgumentException} that names the argument, the expected and the actual value.
 */
public class SegmentationLossInputTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public SegmentationLossInputTest(String engine) {
        super(engine);
    }

    private NDArray logits(long... shape) {
        return manager.zeros(new Shape(shape));
    }

    private void evaluate(Loss loss, NDArray labels, NDArray logits) {
        loss.evaluate(new NDList(labels), new NDList(logits));
    }

    @Test
    public void overlapLossNeedsAMode() {
        Expect.illegalArgument(() -> DiceLoss.builder().build(), "DiceLoss", "setMode");
    }

    @Test
    public void binaryModeTakesNoClassWeights() {
        Expect.illegalArgument(
                () ->
                        JaccardLoss.builder()
                                .setMode(SegmentationMode.BINARY)
                                .optClassWeights(1f)
                                .build(),
                "classWeights",
                "BINARY");
    }

    @Test
    public void binaryModeNeedsOneChannel() {
        Loss dice = DiceLoss.builder().setMode(SegmentationMode.BINARY).build();
        Expect.illegalArgument(
                () -> evaluate(dice, manager.zeros(new Shape(2, 2, 3, 3)), logits(2, 2, 3, 3)),
                "logits",
                "(N, 1, d1..dk)",
                "(2, 2, 3, 3)");
    }

    @Test
    public void binaryTargetsAreZeroOrOne() {
        Loss dice = DiceLoss.builder().setMode(SegmentationMode.BINARY).build();
        NDArray labels = manager.create(new float[] {0, 1, 2, 1}, new Shape(1, 1, 2, 2));
        Expect.illegalArgument(
                () -> evaluate(dice, labels, logits(1, 1, 2, 2)),
                "labels",
                "[0, 2)",
                "got 2",
                "at [0, 0, 1, 0]");
    }

    @Test
    public void multilabelTargetsHaveTheLogitsShape() {
        Loss dice = DiceLoss.builder().setMode(SegmentationMode.MULTILABEL).build();
        Expect.illegalArgument(
                () -> evaluate(dice, manager.zeros(new Shape(2, 3, 3)), logits(2, 3, 3, 3)),
                "labels",
                "(2, 3, 3, 3)",
                "got (2, 3, 3)");
    }

    @Test
    public void multiclassLabelsAreClasses() {
        Loss tversky = TverskyLoss.builder().setMode(SegmentationMode.MULTICLASS).build();
        NDArray labels = manager.create(new long[] {0, 3}, new Shape(2, 1));
        Expect.illegalArgument(
                () -> evaluate(tversky, labels, logits(2, 3, 1)), "labels", "[0, 3)", "got 3");
    }

    @Test
    public void overlapClassWeightsMatchTheClasses() {
        Loss dice =
                DiceLoss.builder()
                        .setMode(SegmentationMode.MULTICLASS)
                        .optClassWeights(1f, 2f)
                        .build();
        Expect.illegalArgument(
                () ->
                        evaluate(
                                dice,
                                manager.zeros(new Shape(1, 2, 2), DataType.INT64),
                                logits(1, 3, 2, 2)),
                "classWeights",
                "3",
                "got 2");
    }

    @Test
    public void selectedClassesExist() {
        Loss dice =
                DiceLoss.builder().setMode(SegmentationMode.MULTICLASS).optClasses(0, 5).build();
        Expect.illegalArgument(
                () ->
                        evaluate(
                                dice,
                                manager.zeros(new Shape(1, 2, 2), DataType.INT64),
                                logits(1, 3, 2, 2)),
                "classes",
                "[0, 3)",
                "got 5");
    }

    @Test
    public void rejectsBadOverlapSettings() {
        Expect.illegalArgument(
                () -> DiceLoss.builder().optClasses(1, 1), "classes", "distinct", "[1, 1]");
        Expect.illegalArgument(() -> DiceLoss.builder().optEps(0), "eps", "> 0", "0.0");
        Expect.illegalArgument(() -> DiceLoss.builder().optSmooth(-1), "smooth", "-1.0");
        Expect.illegalArgument(() -> TverskyLoss.builder().optGamma(0), "gamma", "> 0", "0.0");
        Expect.illegalArgument(() -> TverskyLoss.builder().optAlpha(-0.5f), "alpha", "-0.5");
    }

    @Test
    public void rejectsBadFocalSettings() {
        Expect.illegalArgument(() -> FocalLoss.builder().build(), "FocalLoss", "setMode");
        Expect.illegalArgument(
                () -> FocalLoss.builder().setMode(SegmentationMode.BINARY).optSoftmax(true).build(),
                "softmax",
                "MULTICLASS",
                "BINARY");
        Expect.illegalArgument(
                () ->
                        FocalLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optSoftmax(true)
                                .optAlpha(0.25f)
                                .build(),
                "alpha",
                "sigmoid");
        Expect.illegalArgument(() -> FocalLoss.builder().optAlpha(1.5f), "alpha", "[0, 1]", "1.5");
        Expect.illegalArgument(
                () -> FocalLoss.builder().optReducedThreshold(0), "reducedThreshold", "(0, 1]");
    }

    @Test
    public void focalLabelsAreClasses() {
        Loss focal =
                FocalLoss.builder().setMode(SegmentationMode.MULTICLASS).optSoftmax(true).build();
        NDArray labels = manager.create(new long[] {0, -1});
        Expect.illegalArgument(
                () -> evaluate(focal, labels, logits(2, 3)), "labels", "[0, 3)", "got -1");
    }

    @Test
    public void lovaszHingeNeedsLogits() {
        Expect.illegalArgument(
                () ->
                        LovaszLoss.builder()
                                .setMode(SegmentationMode.BINARY)
                                .optFromLogits(false)
                                .build(),
                "hinge",
                "BINARY",
                "logits");
    }

    @Test
    public void lovaszLabelsMatchTheLogits() {
        Loss lovasz = LovaszLoss.builder().setMode(SegmentationMode.MULTICLASS).build();
        Expect.illegalArgument(
                () ->
                        evaluate(
                                lovasz,
                                manager.zeros(new Shape(2, 4, 4), DataType.INT64),
                                logits(2, 3, 4, 5)),
                "labels",
                "(2, 4, 5)",
                "got (2, 4, 4)");
    }

    @Test
    public void binaryCrossEntropyTargetsLieInZeroOne() {
        Loss bce = BinaryCrossEntropyLoss.builder().optIgnoreIndex(255).build();
        NDArray targets = manager.create(new float[] {0, 0.5f, 255, 1.5f});
        Expect.illegalArgument(
                () -> evaluate(bce, targets, logits(4)),
                "targets",
                "[0, 1] or the ignore index 255",
                "got 1.5",
                "at [3]");
    }

    @Test
    public void binaryCrossEntropyTargetsHaveTheLogitsShape() {
        Loss bce = BinaryCrossEntropyLoss.builder().build();
        Expect.illegalArgument(
                () -> evaluate(bce, manager.zeros(new Shape(2, 3)), logits(2, 1, 3)),
                "targets",
                "(2, 1, 3)",
                "got (2, 3)");
    }

    @Test
    public void positiveWeightsMatchTheClassAxis() {
        Loss bce = BinaryCrossEntropyLoss.builder().optPosWeight(1f, 2f).build();
        Expect.illegalArgument(
                () -> evaluate(bce, manager.zeros(new Shape(2, 3, 4)), logits(2, 3, 4)),
                "posWeight",
                "3",
                "got 2");
    }

    @Test
    public void elementWeightsBroadcastAndAreNonNegative() {
        Loss bce = BinaryCrossEntropyLoss.builder().build();
        NDArray targets = manager.zeros(new Shape(2, 3));
        Expect.illegalArgument(
                () ->
                        bce.evaluate(
                                new NDList(targets, manager.ones(new Shape(3, 2))),
                                new NDList(logits(2, 3))),
                "weights",
                "(2, 3)",
                "got (3, 2)");
        Expect.illegalArgument(
                () ->
                        bce.evaluate(
                                new NDList(
                                        targets,
                                        manager.create(new float[] {1, -1, 1}, new Shape(1, 3))),
                                new NDList(logits(2, 3))),
                "weights",
                "finite and >= 0",
                "got -1");
    }

    @Test
    public void rejectsBadBinaryCrossEntropySettings() {
        Expect.illegalArgument(
                () -> BinaryCrossEntropyLoss.builder().optIgnoreIndex(1), "ignoreIndex", "got 1");
        Expect.illegalArgument(
                () -> BinaryCrossEntropyLoss.builder().optSmoothFactor(1f),
                "smoothFactor",
                "[0, 1)");
    }

    @Test
    public void rejectsBadOhemSettingsAndLabels() {
        Expect.illegalArgument(
                () -> OhemCrossEntropyLoss.builder().optThreshold(0), "threshold", "(0, 1]");
        Expect.illegalArgument(
                () -> OhemCrossEntropyLoss.builder().optMinKept(-1), "minKept", "-1");
        Loss ohem = OhemCrossEntropyLoss.builder().build();
        Expect.illegalArgument(
                () -> evaluate(ohem, manager.create(new long[] {0, 7}), logits(2, 3)),
                "labels",
                "[0, 3)",
                "ignore index 255",
                "got 7");
    }

    @Test
    public void weightedSumTermsNeedDistinctNames() {
        Expect.illegalArgument(
                () ->
                        WeightedSumLoss.builder()
                                .add(PixelCrossEntropyLoss.builder().build(), 1f)
                                .add(PixelCrossEntropyLoss.builder().build(), 1f),
                "PixelCrossEntropyLoss",
                "twice");
        Expect.illegalArgument(() -> WeightedSumLoss.builder().build(), "at least one");
    }
}
