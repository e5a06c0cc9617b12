package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.loss.MaskRcnnMaskLoss;
import java.util.Map;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link MaskRcnnMaskLoss} on this engine: its reference cases (class-specific and
 * class-agnostic, and with targets projected by {@code MaskTargets}), class id types, zero RoIs and
 * bad input. The reference values and gradients come from torchvision 0.14's {@code maskrcnn_loss}
 * and detectron2's {@code mask_rcnn_loss} in float64 ({@code golden-public-core.json} and {@code
 * generated.json}); {@link ReferenceCaseRunner} checks them.
 */
public class MaskRcnnMaskLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public MaskRcnnMaskLossTest(String engine) {
        super(engine, "MaskRcnnMaskLoss", "MaskRcnnMaskLoss+MaskTargets.project");
    }

    private static MaskRcnnMaskLoss loss() {
        return MaskRcnnMaskLoss.builder().build();
    }

    @Test
    public void classIdTypesGiveTheTorchvisionResult() {
        ReferenceCase c = ReferenceCase.named("mask_class_specific");
        for (DataType type : new DataType[] {DataType.INT32, DataType.INT64, DataType.FLOAT32}) {
            NDArray logits = c.input("logits").toFloat(manager);
            NDList labels =
                    new NDList(
                            c.input("classIds").toType(manager, type),
                            c.input("targets").toFloat(manager));
            Gradients.Result result =
                    Gradients.of(
                            engine(),
                            Map.of("logits", logits),
                            () -> loss().evaluate(labels, new NDList(logits)));
            Tolerance.assertValue(
                    engine, c.name(), "loss, classIds " + type, result.value(), c.expectedLoss());
            Tolerance.assertArray(
                    engine,
                    c.name(),
                    "grad_logits, classIds " + type,
                    result.grads().get("logits"),
                    c.expected("grad_logits").data());
        }
    }

    @Test
    public void zeroRoisGiveZeroConnectedToTheGraph() {
        NDArray logits = manager.zeros(new Shape(0, 3, 5, 5));
        NDList labels =
                new NDList(
                        manager.zeros(new Shape(0), DataType.INT64),
                        manager.zeros(new Shape(0, 5, 5)));
        Gradients.Result result =
                Gradients.of(
                        engine(),
                        Map.of("logits", logits),
                        () -> loss().evaluate(labels, new NDList(logits)));
        assertEquals(result.value(), 0.0);
        assertEquals(result.result().getShape(), new Shape());
        assertEquals(result.grads().get("logits").length, 0);
    }

    private NDList labels(long rois, long[] classIds, int m) {
        return new NDList(manager.create(classIds), manager.zeros(new Shape(rois, m, m)));
    }

    @Test
    public void rejectsClassIdsOfAnotherRoiCount() {
        NDArray logits = manager.zeros(new Shape(3, 2, 4, 4));
        Expect.illegalArgument(
                () -> loss().evaluate(labels(3, new long[] {0, 1}, 4), new NDList(logits)),
                "classIds",
                "(3)",
                "got (2)");
    }

    @Test
    public void rejectsTargetsOfAnotherSize() {
        NDArray logits = manager.zeros(new Shape(2, 2, 4, 4));
        Expect.illegalArgument(
                () -> loss().evaluate(labels(2, new long[] {0, 1}, 5), new NDList(logits)),
                "targets",
                "(2, 4, 4)",
                "got (2, 5, 5)");
    }

    @Test
    public void rejectsClassIdBeyondTheChannels() {
        NDArray logits = manager.zeros(new Shape(2, 2, 4, 4));
        Expect.illegalArgument(
                () -> loss().evaluate(labels(2, new long[] {0, 2}, 4), new NDList(logits)),
                "classIds",
                "[0, 2)",
                "got 2");
    }

    @Test
    public void rejectsTargetsOutsideZeroOne() {
        NDArray logits = manager.zeros(new Shape(1, 1, 2, 2));
        NDList labels =
                new NDList(
                        manager.create(new long[] {0}),
                        manager.create(new float[] {0, 1, 1.5f, 0}, new Shape(1, 2, 2)));
        Expect.illegalArgument(
                () -> loss().evaluate(labels, new NDList(logits)), "targets", "[0, 1]", "got 1.5");
    }

    @Test
    public void rejectsClassAgnosticLogitsWithSeveralChannels() {
        NDArray logits = manager.zeros(new Shape(2, 3, 4, 4));
        Expect.illegalArgument(
                () ->
                        MaskRcnnMaskLoss.builder()
                                .optClassAgnostic(true)
                                .build()
                                .evaluate(labels(2, new long[] {0, 1}, 4), new NDList(logits)),
                "class-agnostic",
                "K = 1",
                "(2, 3, 4, 4)");
    }

    @Test
    public void rejectsLabelsWithoutTargets() {
        NDArray logits = manager.zeros(new Shape(2, 3, 4, 4));
        Expect.illegalArgument(
                () ->
                        loss().evaluate(
                                        new NDList(manager.create(new long[] {0, 1})),
                                        new NDList(logits)),
                "labels",
                "NDList(classIds (R), targets (R, M, M))",
                "got 1");
    }

    @Test
    public void rejectsLogitsOfRankThree() {
        NDArray logits = manager.zeros(new Shape(2, 4, 4));
        Expect.illegalArgument(
                () -> loss().evaluate(labels(2, new long[] {0, 1}, 4), new NDList(logits)),
                "maskLogits",
                "(R, K, M, M)",
                "got (2, 4, 4)");
    }
}
