package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import java.util.Map;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link PixelCrossEntropyLoss} on this engine: its reference cases (class
 * weights, ignore index, label smoothing, all ignored, class-probability targets), its label types
 * and layouts, empty input and bad input (also bad probabilities). The reference values and
 * gradients come from torch 1.13's {@code cross_entropy} in float64 ({@code
 * golden-public-core.json}, {@code generated.json} and, for probability targets, {@code
 * generated-soft.json}); {@link ReferenceCaseRunner} checks them.
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

    /** Class probabilities (2, 3, 2, 2), each pixel's summing to 1. */
    private NDArray probabilities() {
        float[] values = new float[24];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (0.1 + 0.8 * Math.abs(Math.sin(1.3 * i)));
        }
        NDArray raw = manager.create(values, new Shape(2, 3, 2, 2));
        return raw.div(raw.sum(new int[] {1}, true));
    }

    @Test
    public void oneHotProbabilitiesGiveTheClassIndexLoss() {
        NDArray logits = LossCatalog.values(manager, new Shape(2, 3, 4, 4), 0);
        NDArray labels = LossCatalog.classLabels(manager).head();
        NDArray noIgnored = labels.mul(labels.neq(255).toType(DataType.INT64, false));
        NDArray oneHot = noIgnored.oneHot(3).transpose(0, 3, 1, 2).toType(DataType.FLOAT32, false);
        PixelCrossEntropyLoss loss = smoothed();
        double byIndex = loss.evaluate(new NDList(noIgnored), new NDList(logits)).getFloat();
        double byProbability = loss.evaluate(new NDList(oneHot), new NDList(logits)).getFloat();
        Tolerance.assertValue(engine, "ce_one_hot_vs_index", "loss", byProbability, byIndex);
    }

    @Test
    public void probabilityTargetsIgnoreNoPixel() {
        NDArray logits = LossCatalog.values(manager, new Shape(2, 3, 2, 2), 1);
        NDArray targets = probabilities();
        // an ignore index, even one inside the classes, leaves probability targets unchanged
        float plain =
                PixelCrossEntropyLoss.builder()
                        .build()
                        .evaluate(new NDList(targets), new NDList(logits))
                        .getFloat();
        float ignoringClass0 =
                PixelCrossEntropyLoss.builder()
                        .optIgnoreIndex(0)
                        .build()
                        .evaluate(new NDList(targets), new NDList(logits))
                        .getFloat();
        assertEquals(ignoringClass0, plain);
    }

    @Test
    public void allZeroProbabilitiesGiveZeroWithZeroGradient() {
        NDArray logits = LossCatalog.values(manager, new Shape(2, 3, 2, 2), 2);
        NDArray targets = manager.zeros(new Shape(2, 3, 2, 2));
        Gradients.Result result =
                Gradients.of(
                        engine(),
                        Map.of("logits", logits),
                        () ->
                                PixelCrossEntropyLoss.builder()
                                        .optClassWeights(0.5f, 2f, 1f)
                                        .build()
                                        .evaluate(new NDList(targets), new NDList(logits)));
        assertEquals(result.value(), 0.0);
        assertEquals(result.grads().get("logits"), new float[24]);
    }

    @Test
    public void probabilityTargetsOfNoPixelGiveZero() {
        NDArray logits = manager.zeros(new Shape(0, 3, 2, 2));
        NDArray targets = manager.zeros(new Shape(0, 3, 2, 2));
        NDArray value = smoothed().evaluate(new NDList(targets), new NDList(logits));
        assertEquals(value.getShape(), new Shape());
        assertEquals(value.getFloat(), 0f);
    }

    @Test
    public void probabilitiesOfEveryFloatTypeGiveTheSameLoss() {
        NDArray logits = LossCatalog.values(manager, new Shape(2, 3, 2, 2), 3);
        // float16-exact probabilities, so that every type holds the same numbers
        NDArray targets = probabilities().toType(DataType.FLOAT16, false);
        PixelCrossEntropyLoss loss = smoothed();
        float expected =
                loss.evaluate(
                                new NDList(targets.toType(DataType.FLOAT32, false)),
                                new NDList(logits))
                        .getFloat();
        for (DataType type : new DataType[] {DataType.FLOAT16, DataType.FLOAT64}) {
            float value =
                    loss.evaluate(new NDList(targets.toType(type, false)), new NDList(logits))
                            .getFloat();
            assertEquals(value, expected, 1e-6f * Math.abs(expected), "labels " + type);
        }
    }

    @Test
    public void rejectsNegativeProbability() {
        NDArray logits = manager.ones(new Shape(2, 3, 2, 2));
        NDArray targets = probabilities();
        targets.set(new NDIndex(1, 2, 0, 1), -0.25f);
        Expect.illegalArgument(
                () -> weighted().evaluate(new NDList(targets), new NDList(logits)),
                "PixelCrossEntropyLoss",
                "labels (class probabilities)",
                "finite and >= 0",
                "got -0.25",
                "at [1, 2, 0, 1]");
    }

    @Test
    public void rejectsNaNProbability() {
        NDArray logits = manager.ones(new Shape(2, 3));
        NDArray targets =
                manager.create(new float[] {0.5f, 0.5f, 0, Float.NaN, 1, 0}, new Shape(2, 3));
        Expect.illegalArgument(
                () -> smoothed().evaluate(new NDList(targets), new NDList(logits)),
                "labels (class probabilities)",
                "got NaN",
                "at [1, 0]");
    }

    @Test
    public void rejectsIntegerProbabilities() {
        NDArray logits = manager.ones(new Shape(2, 3, 2, 2));
        NDArray targets = manager.zeros(new Shape(2, 3, 2, 2), DataType.INT32);
        Expect.illegalArgument(
                () -> smoothed().evaluate(new NDList(targets), new NDList(logits)),
                "labels",
                "(2, 3, 2, 2)",
                "class probabilities",
                "floating-point",
                "int32");
    }

    @Test
    public void rejectsProbabilitiesOfAnotherShape() {
        NDArray logits = manager.ones(new Shape(2, 3, 2, 2));
        NDArray targets = manager.zeros(new Shape(2, 3, 2, 3));
        Expect.illegalArgument(
                () -> smoothed().evaluate(new NDList(targets), new NDList(logits)),
                "labels of class probabilities",
                "logits' shape",
                "(2, 3, 2, 2)",
                "got (2, 3, 2, 3)");
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
