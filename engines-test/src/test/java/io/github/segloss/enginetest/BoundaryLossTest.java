package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.loss.BoundaryLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.target.DistanceMaps;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link BoundaryLoss} on this engine: its reference cases ({@code
 * generated-distance.json}: boundary-loss's {@code one_hot2dist} maps and {@code SurfaceLoss}
 * formula in float64, checked against {@code SurfaceLoss} itself, in MULTICLASS, BINARY and 3-D
 * MULTILABEL mode, with maps computed by the loss or given as a second label, chosen classes, class
 * weights, an ignore label, spacing, probabilities and an all-ignored batch), checked by {@link
 * ReferenceCaseRunner}; that maps from the host method give the loss's own numbers; and its bad
 * input.
 */
public class BoundaryLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public BoundaryLossTest(String engine) {
        super(engine, "BoundaryLoss");
    }

    private static BoundaryLoss multiclass() {
        return BoundaryLoss.builder().setMode(SegmentationMode.MULTICLASS).build();
    }

    private NDArray labels() {
        return manager.create(new long[] {0, 1, 1, 2, 2, 2, 0, 0, 1, 1, 2, 0}, new Shape(1, 3, 4));
    }

    @Test
    public void mapsFromTheHostMethodGiveTheComputedLoss() {
        int[] image = {0, 1, 1, 2, 2, 2, 0, 0, 1, 1, 2, 0};
        float[] maps = DistanceMaps.signedPerClass(image, new int[] {3, 4}, 3, 255);
        NDArray logits = LossCatalog.values(manager, new Shape(1, 3, 3, 4), 1);
        float computed = multiclass().evaluate(new NDList(labels()), new NDList(logits)).getFloat();
        NDArray given = manager.create(maps, new Shape(1, 3, 3, 4));
        float fromHost =
                multiclass().evaluate(new NDList(labels(), given), new NDList(logits)).getFloat();
        assertEquals(fromHost, computed, 1e-6f);
    }

    @Test
    public void rejectsMapsOfAnotherShapeTypeOrWithNaN() {
        NDArray logits = zeros(1, 3, 3, 4);
        Expect.illegalArgument(
                () ->
                        multiclass()
                                .evaluate(
                                        new NDList(labels(), zeros(1, 2, 3, 4)),
                                        new NDList(logits)),
                "BoundaryLoss",
                "labels[1] (the signed distance maps)",
                "(1, 3, 3, 4)",
                "got (1, 2, 3, 4)");
        Expect.illegalArgument(
                () ->
                        multiclass()
                                .evaluate(
                                        new NDList(
                                                labels(),
                                                manager.zeros(
                                                        new Shape(1, 3, 3, 4), DataType.INT32)),
                                        new NDList(logits)),
                "labels[1]",
                "floating-point",
                "int32");
        NDArray nan = manager.full(new Shape(1, 3, 3, 4), Float.NaN);
        Expect.illegalArgument(
                () -> multiclass().evaluate(new NDList(labels(), nan), new NDList(logits)),
                "labels[1]",
                "must be finite",
                "36 of 36");
    }

    @Test
    public void rejectsBadClassesAndSampling() {
        Expect.illegalArgument(
                () ->
                        BoundaryLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optClasses(1, 5)
                                .build()
                                .evaluate(new NDList(labels()), new NDList(zeros(1, 3, 3, 4))),
                "classes",
                "[0, 3)",
                "got 5");
        Expect.illegalArgument(
                () -> BoundaryLoss.builder().optClasses(1, 1), "classes", "distinct", "[1, 1]");
        Expect.illegalArgument(
                () -> BoundaryLoss.builder().setMode(SegmentationMode.BINARY).optClasses(0).build(),
                "classes",
                "BINARY");
        Expect.illegalArgument(
                () -> BoundaryLoss.builder().optSampling(1, -2), "sampling", "> 0", "-2.0");
        Expect.illegalArgument(
                () ->
                        BoundaryLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optSampling(1, 1, 1)
                                .build()
                                .evaluate(new NDList(labels()), new NDList(zeros(1, 3, 3, 4))),
                "sampling",
                "(1, 3, 3, 4): 2, got 3");
        Expect.illegalArgument(() -> BoundaryLoss.builder().build(), "BoundaryLoss", "setMode");
    }

    @Test
    public void rejectsBadLabelsAndLogits() {
        NDArray bad = manager.create(new long[] {0, 1, 255, 2}, new Shape(1, 2, 2));
        Expect.illegalArgument(
                () -> evaluate(multiclass(), bad, zeros(1, 3, 2, 2)),
                "BoundaryLoss \"BoundaryLoss\"",
                "labels",
                "got 255",
                "optIgnoreIndex(255)");
        Expect.illegalArgument(
                () -> evaluate(multiclass(), labels(), zeros(1, 3, 4, 3)),
                "labels",
                "(1, 4, 3)",
                "got (1, 3, 4)");
        Expect.illegalArgument(
                () -> evaluate(multiclass(), manager.zeros(new Shape(2)), zeros(2, 3)),
                "logits",
                "k >= 1",
                "(2, 3)");
    }
}
