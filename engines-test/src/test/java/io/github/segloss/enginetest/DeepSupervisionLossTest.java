package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.loss.DeepSupervisionLoss.WeightMode;
import io.github.segloss.loss.HeadLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import java.util.List;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link DeepSupervisionLoss} on this engine: its reference cases (the PSPNet main
 * and auxiliary heads, any number of weighted heads, and MONAI's deep supervision with labels
 * resized to each head and its weight modes), missing heads and per-head reporting. The reference
 * values and gradients come from torch 1.13's {@code cross_entropy} per head in float64 ({@code
 * golden-public-core.json} and {@code generated.json}) and from MONAI's {@code DeepSupervisionLoss}
 * imported from its source, with the cases of MONAI's own test ({@code generated-monai.json});
 * {@link ReferenceCaseRunner} checks them.
 */
public class DeepSupervisionLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public DeepSupervisionLossTest(String engine) {
        super(engine, "DeepSupervisionLoss.pspnet", "DeepSupervisionLoss");
    }

    private NDList labels(ReferenceCase c) {
        return new NDList(c.input("labels").toType(manager, DataType.INT64));
    }

    private float crossEntropy(ReferenceCase c, String head) {
        NDArray logits = c.input(head).toFloat(manager);
        return PixelCrossEntropyLoss.builder()
                .build()
                .evaluate(labels(c), new NDList(logits))
                .getFloat();
    }

    @Test
    public void pspnetHasMainAndAuxHeads() {
        List<HeadLoss> heads = DeepSupervisionLoss.pspnet().getHeads();
        assertEquals(heads.size(), 2);
        assertEquals(heads.get(0).getName(), "main");
        assertEquals(heads.get(0).getWeight(), 1f);
        assertEquals(heads.get(1).getName(), "aux");
        assertEquals(heads.get(1).getWeight(), 0.4f);
        assertEquals(
                ((PixelCrossEntropyLoss) heads.get(1).getLoss()).getIgnoreIndex(),
                PixelCrossEntropyLoss.DEFAULT_IGNORE_INDEX);
    }

    /**
     * In float64 the aux head is scaled by 0.4, as PyTorch's {@code 0.4 * cross_entropy(aux)}, not
     * by the float 0.4f = 0.4000000059604645 (1.5e-8 relative off, far above float64's 1e-16).
     */
    @Test
    public void float64AuxWeightIsTheDecimalWeight() {
        double[] values = new double[2 * 3 * 4 * 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((i * 37) % 101 - 50) / 25.0;
        }
        NDArray main = manager.create(values, new Shape(2, 3, 4, 4));
        NDArray aux = main.mul(-0.5);
        long[] classes = new long[2 * 4 * 4];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = (i * 7) % 3;
        }
        NDList labels = new NDList(manager.create(classes, new Shape(2, 4, 4)));
        Loss crossEntropy = PixelCrossEntropyLoss.builder().build();
        double mainLoss = crossEntropy.evaluate(labels, new NDList(main)).getDouble();
        double auxLoss = crossEntropy.evaluate(labels, new NDList(aux)).getDouble();
        NDArray total = DeepSupervisionLoss.pspnet().evaluate(labels, new NDList(main, aux));
        assertEquals(total.getDataType(), DataType.FLOAT64);
        double auxPart = total.getDouble() - mainLoss;
        assertEquals(auxPart / auxLoss, 0.4, 1e-13, "weight of the aux head in float64");
    }

    @Test
    public void missingAuxHeadIsSkipped() {
        ReferenceCase c = ReferenceCase.named("pspnet_aux");
        NDArray main = c.input("main").toFloat(manager);
        float value = DeepSupervisionLoss.pspnet().evaluate(labels(c), new NDList(main)).getFloat();
        Tolerance.assertValue(engine, "pspnet_main_only", "loss", value, crossEntropy(c, "main"));
    }

    @Test
    public void missingMainHeadIsAnError() {
        ReferenceCase c = ReferenceCase.named("pspnet_aux");
        Expect.illegalArgument(
                () -> DeepSupervisionLoss.pspnet().evaluate(labels(c), new NDList()),
                "predictions",
                "main",
                "index 0",
                "got 0");
    }

    @Test
    public void eachHeadReportsItsOwnWeightedLoss() {
        ReferenceCase c = ReferenceCase.named("pspnet_aux");
        DeepSupervisionLoss loss = DeepSupervisionLoss.pspnet();
        NDList predictions =
                new NDList(c.input("main").toFloat(manager), c.input("aux").toFloat(manager));
        loss.addAccumulator("train");
        loss.updateAccumulators(new String[] {"train"}, labels(c), predictions);
        List<Loss> components = loss.getComponents();
        float main = components.get(0).getAccumulator("train");
        float aux = components.get(1).getAccumulator("train");
        Tolerance.assertValue(engine, "pspnet_components", "main", main, crossEntropy(c, "main"));
        Tolerance.assertValue(
                engine, "pspnet_components", "aux", aux, 0.4 * crossEntropy(c, "aux"));
        Tolerance.assertValue(
                engine, "pspnet_components", "total", loss.getAccumulator("train"), main + aux);
        Tolerance.assertValue(
                engine, "pspnet_components", "reference", main + aux, c.expectedLoss());
    }

    @Test
    public void absentAuxHeadLeavesTheTotalFinite() {
        ReferenceCase c = ReferenceCase.named("pspnet_aux");
        DeepSupervisionLoss loss = DeepSupervisionLoss.pspnet();
        loss.addAccumulator("validate");
        loss.updateAccumulators(
                new String[] {"validate"}, labels(c), new NDList(c.input("main").toFloat(manager)));
        HeadLoss aux = loss.getHeads().get(1);
        assertFalse(aux.isPresent(new NDList(c.input("main").toFloat(manager))));
        assertTrue(Float.isNaN(aux.getAccumulator("validate")), "aux was never measured");
        Tolerance.assertValue(
                engine,
                "pspnet_validation",
                "total",
                loss.getAccumulator("validate"),
                crossEntropy(c, "main"));
    }

    @Test
    public void rejectsBadHeads() {
        Expect.illegalArgument(() -> DeepSupervisionLoss.builder().build(), "at least one head");
        Expect.illegalArgument(
                () ->
                        DeepSupervisionLoss.builder()
                                .addHead(PixelCrossEntropyLoss.builder().build(), -1f),
                "weight",
                "head0",
                "-1.0");
        Expect.illegalArgument(
                () -> DeepSupervisionLoss.builder().addHead("x", null, 1f), "loss", "x");
    }

    @Test
    public void rejectsBadLevelsAndDuplicateHeadNames() {
        Loss ce = PixelCrossEntropyLoss.builder().build();
        Expect.illegalArgument(
                () -> DeepSupervisionLoss.builder().addHeads(ce, 0, WeightMode.EXP),
                "levels >= 1",
                "got levels 0");
        Expect.illegalArgument(
                () -> DeepSupervisionLoss.builder().addHeads(ce, 2, null), "weight mode", "null");
        Expect.illegalArgument(
                () ->
                        DeepSupervisionLoss.builder()
                                .addHead("a", ce, 1f)
                                .addHead("a", ce, 1f)
                                .build(),
                "head",
                "own name",
                "a twice");
    }

    @Test
    public void weightModesAreMonais() {
        float[] exp = {1f, 0.5f, 0.25f, 0.125f, 0.0625f, 0.0625f, 0.0625f};
        for (int level = 0; level < exp.length; level++) {
            assertEquals(WeightMode.EXP.weight(level), exp[level], "exp level " + level);
            assertEquals(WeightMode.SAME.weight(level), 1f, "same level " + level);
            assertEquals(WeightMode.TWO.weight(level), level == 0 ? 1f : 0.5f, "two " + level);
        }
        List<HeadLoss> heads =
                DeepSupervisionLoss.builder()
                        .addHeads(PixelCrossEntropyLoss.builder().build(), 3, WeightMode.TWO)
                        .build()
                        .getHeads();
        assertEquals(heads.size(), 3);
        assertEquals(heads.get(2).getName(), "head2");
        assertEquals(heads.get(2).getHeadIndex(), 2);
        assertEquals(heads.get(2).getWeight(), 0.5f);
    }

    /** Without optResizeLabels a smaller head is an error of that head, not a silent resize. */
    @Test
    public void smallerHeadNeedsResizeLabels() {
        ReferenceCase c = ReferenceCase.named("ds_resized_exp");
        NDList heads = new NDList();
        for (int i = 0; i < 3; i++) {
            heads.add(c.input("head" + i).toFloat(manager));
        }
        DeepSupervisionLoss plain =
                DeepSupervisionLoss.builder()
                        .addHeads(
                                PixelCrossEntropyLoss.builder().optIgnoreIndex(255).build(),
                                3,
                                WeightMode.EXP)
                        .build();
        Expect.illegalArgument(() -> plain.evaluate(labels(c), heads), "head1", "labels");
    }

    /** In evaluation mode a U-Net returns its full-size head only: that head alone counts. */
    @Test
    public void resizedHeadsAbsentInEvaluation() {
        ReferenceCase c = ReferenceCase.named("ds_resized_exp");
        DeepSupervisionLoss loss =
                DeepSupervisionLoss.builder()
                        .addHeads(
                                PixelCrossEntropyLoss.builder().optIgnoreIndex(255).build(),
                                3,
                                WeightMode.EXP)
                        .optResizeLabels(true)
                        .build();
        NDArray main = c.input("head0").toFloat(manager);
        float alone = loss.evaluate(labels(c), new NDList(main)).getFloat();
        float crossEntropy =
                PixelCrossEntropyLoss.builder()
                        .optIgnoreIndex(255)
                        .build()
                        .evaluate(labels(c), new NDList(main))
                        .getFloat();
        assertEquals(alone, crossEntropy, 0f);
    }
}
