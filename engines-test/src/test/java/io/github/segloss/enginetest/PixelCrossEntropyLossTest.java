package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import java.util.Map;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link PixelCrossEntropyLoss} on this engine: its reference cases (class
 * weights, ignore index, label smoothing, all ignored), its label types and layouts, empty input
 * and bad input. The reference values and gradients come from torch 1.13's {@code cross_entropy} in
 * float64 ({@code golden-public-core.json} and {@code generated.json}); {@link ReferenceCaseRunner}
 * checks them.
 */
public class PixelCrossEntropyLossTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public PixelCrossEntropyLossTest(String engine) {
        super(engine, "PixelCrossEntropyLoss");
    }

    private static PixelCrossEntropyLoss weighted() {
        return PixelCrossEntropyLoss.builder()
                .optClassWeights(0.5f, 1.0f, 1.5f, 2.0f)
                .optIgnoreIndex(255)
                .build();
    }

    @Test
    public void labelTypesAndLayoutsGiveTheTorchResult() {
        ReferenceCase c = ReferenceCase.named("ce_weights_ignore");
        Shape logitShape = c.input("logits").shape();
        Shape withClassAxis = new Shape(logitShape.get(0), 1, logitShape.get(2), logitShape.get(3));
        for (DataType type : new DataType[] {DataType.INT32, DataType.INT64, DataType.FLOAT32}) {
            for (boolean keepAxis : new boolean[] {false, true}) {
                NDArray logits = c.input("logits").toFloat(manager);
                NDArray labels = c.input("labels").toType(manager, type);
                NDArray shaped = keepAxis ? labels.reshape(withClassAxis) : labels;
                Gradients.Result result =
                        Gradients.of(
                                engine(),
                                Map.of("logits", logits),
                                () -> weighted().evaluate(new NDList(shaped), new NDList(logits)));
                String what = "labels " + type + " " + shaped.getShape();
                Tolerance.assertValue(
                        engine, c.name(), "loss, " + what, result.value(), c.expectedLoss());
                Tolerance.assertArray(
                        engine,
                        c.name(),
                        "grad_logits, " + what,
                        result.grads().get("logits"),
                        c.expected("grad_logits").data());
            }
        }
    }

    @Test
    public void allIgnoredGivesZeroWithZeroGradient() {
        NDArray logits = manager.create(new float[] {1, -2, 3, 0.5f, 7, -1}, new Shape(2, 3));
        NDArray labels = manager.create(new long[] {255, 255});
        Gradients.Result result =
                Gradients.of(
                        engine(),
                        Map.of("logits", logits),
                        () -> smoothed().evaluate(new NDList(labels), new NDList(logits)));
        assertEquals(result.value(), 0.0);
        assertEquals(result.grads().get("logits"), new float[6]);
    }

    private static PixelCrossEntropyLoss smoothed() {
        return PixelCrossEntropyLoss.builder().optLabelSmoothing(0.1f).build();
    }

    @Test
    public void ignoreIndexInsideTheClassRangeIgnoresThatClass() {
        NDArray logits = manager.create(new float[] {2, 0, 0, 0, 3, 1}, new Shape(2, 3));
        NDArray labels = manager.create(new long[] {0, 2});
        float value =
                PixelCrossEntropyLoss.builder()
                        .optIgnoreIndex(0)
                        .build()
                        .evaluate(new NDList(labels), new NDList(logits))
                        .getFloat();
        // only the second row counts: -log softmax([0, 3, 1])[2]
        double expected = -(1 - Math.log(1 + Math.exp(3) + Math.exp(1)));
        Tolerance.assertValue(engine, "ce_ignore_class_inside_range", "loss", value, expected);
    }

    @Test
    public void rejectsLogitsWithoutClassAxis() {
        NDArray logits = manager.ones(new Shape(4));
        NDArray labels = manager.zeros(new Shape(4), DataType.INT64);
        Expect.illegalArgument(
                () -> weighted().evaluate(new NDList(labels), new NDList(logits)),
                "logits",
                "(N, C)",
                "(4)");
    }

    @Test
    public void rejectsIntegerLogits() {
        NDArray logits = manager.ones(new Shape(2, 4), DataType.INT32);
        NDArray labels = manager.zeros(new Shape(2), DataType.INT64);
        Expect.illegalArgument(
                () -> weighted().evaluate(new NDList(labels), new NDList(logits)),
                "logits",
                "floating-point",
                "int32");
    }

    @Test
    public void rejectsLabelsOfAnotherBatchSize() {
        NDArray logits = manager.ones(new Shape(2, 4, 3, 3));
        NDArray labels = manager.zeros(new Shape(3, 3, 3), DataType.INT64);
        Expect.illegalArgument(
                () -> weighted().evaluate(new NDList(labels), new NDList(logits)),
                "labels",
                "(2, 3, 3)",
                "(2, 1, 3, 3)",
                "got (3, 3, 3)");
    }

    @Test
    public void rejectsLabelsOfAnotherSpatialSize() {
        NDArray logits = manager.ones(new Shape(2, 4, 3, 3));
        NDArray labels = manager.zeros(new Shape(2, 1, 3, 4), DataType.INT64);
        Expect.illegalArgument(
                () -> weighted().evaluate(new NDList(labels), new NDList(logits)),
                "labels",
                "(2, 3, 3)",
                "got (2, 1, 3, 4)");
    }

    @Test
    public void rejectsClassWeightsOfTheWrongLength() {
        NDArray logits = manager.ones(new Shape(2, 3));
        NDArray labels = manager.zeros(new Shape(2), DataType.INT64);
        Expect.illegalArgument(
                () -> weighted().evaluate(new NDList(labels), new NDList(logits)),
                "classWeights",
                "3",
                "got 4");
    }

    @Test
    public void rejectsLabelBeyondTheClasses() {
        NDArray logits = manager.ones(new Shape(2, 4));
        NDArray labels = manager.create(new long[] {1, 4});
        Expect.illegalArgument(
                () -> weighted().evaluate(new NDList(labels), new NDList(logits)),
                "labels",
                "[0, 4)",
                "ignore index 255",
                "got 4",
                "at [1]");
    }

    @Test
    public void rejectsNegativeLabel() {
        NDArray logits = manager.ones(new Shape(3, 4));
        NDArray labels = manager.create(new int[] {-1, 0, 255});
        Expect.illegalArgument(
                () -> weighted().evaluate(new NDList(labels), new NDList(logits)),
                "labels",
                "got -1",
                "at [0]");
    }

    @Test
    public void rejectsFractionalFloatLabel() {
        NDArray logits = manager.ones(new Shape(3, 4));
        NDArray labels = manager.create(new float[] {0, 1.5f, 2});
        Expect.illegalArgument(
                () -> weighted().evaluate(new NDList(labels), new NDList(logits)),
                "labels",
                "whole numbers",
                "got 1.5");
    }

    @Test
    public void rejectsNaNLabel() {
        NDArray logits = manager.ones(new Shape(2, 4));
        NDArray labels = manager.create(new float[] {Float.NaN, 1});
        Expect.illegalArgument(
                () -> weighted().evaluate(new NDList(labels), new NDList(logits)),
                "labels",
                "got NaN");
    }

    @Test
    public void rejectedLabelsLeaveNoArrayBehind() {
        NDArray logits = manager.ones(new Shape(2, 4));
        NDArray labels = manager.create(new long[] {1, 9});
        int before = manager.getManagedArrays().size();
        Expect.illegalArgument(
                () -> weighted().evaluate(new NDList(labels), new NDList(logits)), "labels");
        assertEquals(manager.getManagedArrays().size(), before);
    }

    @Test
    public void rejectsBadSettings() {
        Expect.illegalArgument(
                () -> PixelCrossEntropyLoss.builder().optClassWeights(1f, -0.5f),
                "classWeights",
                "-0.5",
                "class 1");
        Expect.illegalArgument(
                () -> PixelCrossEntropyLoss.builder().optClassWeights(), "classWeights", "none");
        Expect.illegalArgument(
                () -> PixelCrossEntropyLoss.builder().optLabelSmoothing(1.5f),
                "labelSmoothing",
                "[0, 1]",
                "1.5");
    }
}
