package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
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
import io.github.segloss.loss.WeightedPixelLossBuilder;
import io.github.segloss.loss.WeightedSumLoss;
import java.util.List;
import java.util.function.Supplier;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * The settings every loss builder shares through {@link io.github.segloss.loss.LossBuilder} and its
 * subclasses: default names, per-loss ignore defaults, class-weight checks and the required mode.
 */
public class LossBuilderTest extends EngineTest {

    private static final SegmentationMode MULTICLASS = SegmentationMode.MULTICLASS;

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public LossBuilderTest(String engine) {
        super(engine);
    }

    @Test
    public void everyLossKeepsItsDefaultName() {
        Loss ce = PixelCrossEntropyLoss.builder().build();
        assertEquals(ce.getName(), "PixelCrossEntropyLoss");
        assertEquals(OhemCrossEntropyLoss.builder().build().getName(), "OhemCrossEntropyLoss");
        assertEquals(DiceLoss.builder().setMode(MULTICLASS).build().getName(), "DiceLoss");
        assertEquals(JaccardLoss.builder().setMode(MULTICLASS).build().getName(), "JaccardLoss");
        assertEquals(TverskyLoss.builder().setMode(MULTICLASS).build().getName(), "TverskyLoss");
        assertEquals(FocalLoss.builder().setMode(MULTICLASS).build().getName(), "FocalLoss");
        assertEquals(LovaszLoss.builder().setMode(MULTICLASS).build().getName(), "LovaszLoss");
        assertEquals(
                GeneralizedDiceLoss.builder().setMode(MULTICLASS).build().getName(),
                "GeneralizedDiceLoss");
        assertEquals(MccLoss.builder().setMode(MULTICLASS).build().getName(), "MccLoss");
        assertEquals(BinaryCrossEntropyLoss.builder().build().getName(), "BinaryCrossEntropyLoss");
        assertEquals(MaskRcnnMaskLoss.builder().build().getName(), "MaskRcnnMaskLoss");
        assertEquals(MaskedL2Loss.builder().build().getName(), "MaskedL2Loss");
        assertEquals(WeightedSumLoss.builder().add(ce, 1f).build().getName(), "WeightedSumLoss");
        assertEquals(
                DeepSupervisionLoss.builder().addHead(ce, 1f).build().getName(),
                "DeepSupervisionLoss");
        assertEquals(WeightedLoss.builder().setLoss(ce).build().getName(), ce.getName());
    }

    @Test
    public void optNameNamesEveryLoss() {
        Loss ce = PixelCrossEntropyLoss.builder().optName("ce").optLabelSmoothing(0.1f).build();
        List<Loss> losses =
                List.of(
                        ce,
                        OhemCrossEntropyLoss.builder().optName("ohem").optMinKept(1).build(),
                        DiceLoss.builder().optName("dice").setMode(MULTICLASS).build(),
                        TverskyLoss.builder()
                                .optName("tv")
                                .optAlpha(0.3f)
                                .setMode(MULTICLASS)
                                .build(),
                        FocalLoss.builder()
                                .optName("focal")
                                .optGamma(1f)
                                .setMode(MULTICLASS)
                                .build(),
                        LovaszLoss.builder().optName("lovasz").setMode(MULTICLASS).build(),
                        BinaryCrossEntropyLoss.builder().optName("bce").build(),
                        MaskRcnnMaskLoss.builder().optName("mask").build(),
                        MaskedL2Loss.builder().optName("l2").build(),
                        WeightedSumLoss.builder().optName("sum").add(ce, 1f).build(),
                        DeepSupervisionLoss.builder().optName("deep").addHead(ce, 1f).build(),
                        WeightedLoss.builder().optName("weighted").setLoss(ce).build());
        assertEquals(
                losses.stream().map(Loss::getName).toList(),
                List.of(
                        "ce",
                        "ohem",
                        "dice",
                        "tv",
                        "focal",
                        "lovasz",
                        "bce",
                        "mask",
                        "l2",
                        "sum",
                        "deep",
                        "weighted"));
    }

    @Test
    public void crossEntropyLossesIgnore255ByDefault() {
        NDArray logits = manager.randomNormal(new Shape(2, 3, 2, 2));
        NDList ignored = new NDList(manager.full(new Shape(2, 2, 2), 255));
        assertEquals(PixelCrossEntropyLoss.builder().build().getIgnoreIndex(), 255);
        assertEquals(evaluate(PixelCrossEntropyLoss.builder().build(), ignored, logits), 0f);
        assertEquals(evaluate(OhemCrossEntropyLoss.builder().build(), ignored, logits), 0f);
        Expect.illegalArgument(
                () ->
                        evaluate(
                                OhemCrossEntropyLoss.builder().optIgnoreIndex(-1).build(),
                                ignored,
                                logits),
                "OhemCrossEntropyLoss",
                "255");
    }

    @Test
    public void modeLossesIgnoreNothingByDefault() {
        NDArray logits = manager.randomNormal(new Shape(2, 3, 2, 2));
        NDList ignored = new NDList(manager.full(new Shape(2, 2, 2), 255));
        List<Supplier<Loss>> byDefault =
                List.of(
                        () -> DiceLoss.builder().setMode(MULTICLASS).build(),
                        () -> FocalLoss.builder().setMode(MULTICLASS).build(),
                        () -> LovaszLoss.builder().setMode(MULTICLASS).build(),
                        () -> GeneralizedDiceLoss.builder().setMode(MULTICLASS).build(),
                        () -> MccLoss.builder().setMode(MULTICLASS).build());
        for (Supplier<Loss> loss : byDefault) {
            Expect.illegalArgument(
                    () -> evaluate(loss.get(), ignored, logits), loss.get().getName(), "255");
        }
        Loss dice = DiceLoss.builder().setMode(MULTICLASS).optIgnoreIndex(255).build();
        assertEquals(evaluate(dice, ignored, logits), 0f);
    }

    @Test
    public void classWeightsAreCheckedAndCopiedByEveryWeightedLoss() {
        List<Supplier<WeightedPixelLossBuilder<?>>> builders =
                List.of(
                        PixelCrossEntropyLoss::builder,
                        OhemCrossEntropyLoss::builder,
                        DiceLoss::builder,
                        JaccardLoss::builder,
                        TverskyLoss::builder,
                        FocalLoss::builder,
                        GeneralizedDiceLoss::builder,
                        MccLoss::builder);
        for (Supplier<WeightedPixelLossBuilder<?>> builder : builders) {
            Expect.illegalArgument(
                    () -> builder.get().optClassWeights(1f, -1f),
                    "classWeights must be finite and >= 0, got -1.0 for class 1");
            Expect.illegalArgument(
                    () -> builder.get().optClassWeights(Float.NaN),
                    "classWeights",
                    "got NaN for class 0");
            Expect.illegalArgument(
                    () -> builder.get().optClassWeights(), "classWeights", "got none");
        }
        float[] weights = {1f, 2f};
        PixelCrossEntropyLoss.Builder ce = PixelCrossEntropyLoss.builder().optClassWeights(weights);
        weights[0] = 5f;
        assertEquals(ce.build().getClassWeights(), new float[] {1f, 2f});
    }

    @Test
    public void modeIsRequiredAndTheErrorNamesTheLoss() {
        Expect.illegalArgument(() -> DiceLoss.builder().build(), "DiceLoss needs setMode(mode)");
        Expect.illegalArgument(
                () -> JaccardLoss.builder().optName("iou").build(), "iou needs setMode(mode)");
        Expect.illegalArgument(
                () -> TverskyLoss.builder().build(), "TverskyLoss needs setMode(mode)");
        Expect.illegalArgument(() -> FocalLoss.builder().build(), "FocalLoss needs setMode(mode)");
        Expect.illegalArgument(
                () -> LovaszLoss.builder().build(), "LovaszLoss needs setMode(mode)");
    }

    @Test
    public void binaryCrossEntropyRejectsATargetValueAsIgnoreIndex() {
        Expect.illegalArgument(
                () -> BinaryCrossEntropyLoss.builder().optIgnoreIndex(1),
                "ignoreIndex must not be a target value (0 or 1), got 1");
        NDArray logits = manager.randomNormal(new Shape(2, 3));
        NDList ignored = new NDList(manager.full(new Shape(2, 3), -1f));
        Loss bce = BinaryCrossEntropyLoss.builder().optIgnoreIndex(-1).build();
        assertEquals(evaluate(bce, ignored, logits), 0f);
    }

    private static float evaluate(Loss loss, NDList labels, NDArray logits) {
        return loss.evaluate(labels, new NDList(logits)).getFloat();
    }
}
