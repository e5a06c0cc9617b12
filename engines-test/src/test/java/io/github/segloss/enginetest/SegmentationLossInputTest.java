package io.github.segloss.enginetest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.DiceLoss;
import io.github.segloss.loss.JaccardLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.loss.TverskyLoss;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Bad settings and bad input that the overlap losses (Dice, Jaccard, Tversky) check in their shared
 * base, shown on one of them each: each raises an {@link IllegalArgumentException} that names the
 * argument, the expected and the actual value. The checks of one loss alone live in that loss's
 * test class (e.g. {@link FocalLossTest}).
 */
public class SegmentationLossInputTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public SegmentationLossInputTest(String engine) {
        super(engine);
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
                () -> evaluate(dice, manager.zeros(new Shape(2, 2, 3, 3)), zeros(2, 2, 3, 3)),
                "logits",
                "(N, 1, d1..dk)",
                "(2, 2, 3, 3)");
    }

    @Test
    public void binaryTargetsAreZeroOrOne() {
        Loss dice = DiceLoss.builder().setMode(SegmentationMode.BINARY).build();
        NDArray labels = manager.create(new float[] {0, 1, 2, 1}, new Shape(1, 1, 2, 2));
        Expect.illegalArgument(
                () -> evaluate(dice, labels, zeros(1, 1, 2, 2)),
                "labels",
                "[0, 2)",
                "got 2",
                "at [0, 0, 1, 0]");
    }

    @Test
    public void multilabelTargetsHaveTheLogitsShape() {
        Loss dice = DiceLoss.builder().setMode(SegmentationMode.MULTILABEL).build();
        Expect.illegalArgument(
                () -> evaluate(dice, manager.zeros(new Shape(2, 3, 3)), zeros(2, 3, 3, 3)),
                "labels",
                "(2, 3, 3, 3)",
                "got (2, 3, 3)");
    }

    @Test
    public void multiclassLabelsAreClasses() {
        Loss tversky = TverskyLoss.builder().setMode(SegmentationMode.MULTICLASS).build();
        NDArray labels = manager.create(new long[] {0, 3}, new Shape(2, 1));
        Expect.illegalArgument(
                () -> evaluate(tversky, labels, zeros(2, 3, 1)), "labels", "[0, 3)", "got 3");
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
                                zeros(1, 3, 2, 2)),
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
                                zeros(1, 3, 2, 2)),
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
}
