package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.GeneralizedDiceLoss;
import io.github.segloss.loss.SegmentationMode;
import java.util.Map;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Everything about {@link GeneralizedDiceLoss} on this engine: its reference cases, its bad
 * settings and input, and its class weights. The reference values and gradients come from MONAI's
 * {@code GeneralizedDiceLoss} imported unchanged ({@code generated-gdl-mcc.json}, written by {@code
 * engines-test/reference/generate_gdl_mcc.py}): MONAI's own unit-test cases that map onto this API,
 * then every mode, weight type, per image and pooled, without background, separate smoothing terms,
 * an ignore index, absent classes (their infinite weights) and an image without a labelled pixel,
 * and the contract that an all-ignored batch gives 0 with a zero gradient.
 */
public class GeneralizedDiceLossTest extends ReferenceCaseTest {

    private static final SegmentationMode MULTICLASS = SegmentationMode.MULTICLASS;

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public GeneralizedDiceLossTest(String engine) {
        super(engine, "GeneralizedDiceLoss");
    }

    @Test
    public void rejectsBadSettings() {
        Expect.illegalArgument(
                () -> GeneralizedDiceLoss.builder().build(), "GeneralizedDiceLoss", "setMode");
        Expect.illegalArgument(
                () -> GeneralizedDiceLoss.builder().optWeightType(null),
                "weightType",
                "SQUARE, SIMPLE or UNIFORM",
                "null");
        Expect.illegalArgument(
                () -> GeneralizedDiceLoss.builder().optSmoothNumerator(-1e-5f),
                "smoothNumerator",
                ">= 0",
                "-1.0E-5");
        Expect.illegalArgument(
                () -> GeneralizedDiceLoss.builder().optSmoothDenominator(Float.NaN),
                "smoothDenominator",
                "finite",
                "NaN");
        Expect.illegalArgument(
                () ->
                        GeneralizedDiceLoss.builder()
                                .setMode(SegmentationMode.BINARY)
                                .optIncludeBackground(false)
                                .build(),
                "includeBackground(false)",
                "MULTICLASS or MULTILABEL",
                "BINARY");
        Expect.illegalArgument(
                () ->
                        GeneralizedDiceLoss.builder()
                                .setMode(SegmentationMode.BINARY)
                                .optClassWeights(2f)
                                .build(),
                "classWeights",
                "BINARY");
    }

    @Test
    public void leavingTheBackgroundOutNeedsTwoClasses() {
        Loss gdl =
                GeneralizedDiceLoss.builder()
                        .setMode(MULTICLASS)
                        .optIncludeBackground(false)
                        .build();
        Expect.illegalArgument(
                () ->
                        evaluate(
                                gdl,
                                manager.zeros(new Shape(2, 3, 3), DataType.INT64),
                                zeros(2, 1, 3, 3)),
                "GeneralizedDiceLoss",
                "includeBackground(false)",
                "at least 2 classes",
                "(2, 1, 3, 3)");
    }

    @Test
    public void classWeightsMatchTheClasses() {
        Loss gdl =
                GeneralizedDiceLoss.builder().setMode(MULTICLASS).optClassWeights(1f, 2f).build();
        Expect.illegalArgument(
                () ->
                        evaluate(
                                gdl,
                                manager.zeros(new Shape(1, 2, 2), DataType.INT64),
                                zeros(1, 3, 2, 2)),
                "classWeights",
                "3",
                "got 2");
    }

    @Test
    public void labelsOfAnotherShapeAreRefused() {
        // MONAI's test_ill_shape: input (1, 2, 3) against target (4, 5, 6)
        Loss gdl = GeneralizedDiceLoss.builder().setMode(SegmentationMode.MULTILABEL).build();
        Expect.illegalArgument(
                () ->
                        evaluate(
                                gdl,
                                manager.ones(new Shape(4, 5, 6)),
                                manager.ones(new Shape(1, 2, 3))),
                "GeneralizedDiceLoss",
                "labels",
                "(1, 2, 3)",
                "got (4, 5, 6)");
    }

    @Test
    public void labelsAreClasses() {
        Loss gdl = GeneralizedDiceLoss.builder().setMode(MULTICLASS).build();
        NDArray labels = manager.create(new long[] {0, 255}, new Shape(2, 1));
        Expect.illegalArgument(
                () -> evaluate(gdl, labels, zeros(2, 3, 1)),
                "GeneralizedDiceLoss",
                "labels",
                "[0, 3)",
                "got 255",
                "optIgnoreIndex(255)");
    }

    @Test
    public void aZeroDenominatorCountsZeroWithAZeroGradient() {
        // no class present and no denominator smoothing: MONAI's 0/0; here 0, and no NaN in the
        // gradient (MXNet's gradient of a division by a clamped 0 was NaN)
        NDArray logits = LossCatalog.values(manager, new Shape(2, 3, 4), 0);
        NDArray labels = manager.zeros(new Shape(2, 3, 4), DataType.INT32);
        Loss gdl =
                GeneralizedDiceLoss.builder()
                        .setMode(SegmentationMode.MULTILABEL)
                        .optSmoothNumerator(0.5f)
                        .optSmoothDenominator(0)
                        .build();
        Gradients.Result result =
                Gradients.of(
                        engine(),
                        Map.of("logits", logits),
                        () -> gdl.evaluate(new NDList(labels), new NDList(logits)));
        assertEquals(result.value(), 0.0);
        assertEquals(result.grads().get("logits"), new float[24]);
    }

    @Test
    public void classWeightsMultiplyTheVolumeWeights() {
        // every class present: SQUARE weighs class c by 1/G_c^2, which UNIFORM with these class
        // weights reproduces
        long[] labels = {0, 0, 0, 1, 1, 2, 0, 1, 2, 0, 0, 0};
        long[] volumes = new long[3];
        for (long label : labels) {
            volumes[(int) label]++;
        }
        float[] inverseSquares = new float[3];
        for (int c = 0; c < 3; c++) {
            inverseSquares[c] = 1f / (volumes[c] * volumes[c]);
        }
        NDArray y = manager.create(labels, new Shape(2, 6));
        NDArray logits = LossCatalog.values(manager, new Shape(2, 3, 6), 0);
        NDList l = new NDList(y);
        NDList x = new NDList(logits);
        float square =
                GeneralizedDiceLoss.builder()
                        .setMode(MULTICLASS)
                        .optPerImage(false)
                        .build()
                        .evaluate(l, x)
                        .getFloat();
        float weightedUniform =
                GeneralizedDiceLoss.builder()
                        .setMode(MULTICLASS)
                        .optPerImage(false)
                        .optWeightType(GeneralizedDiceLoss.WeightType.UNIFORM)
                        .optClassWeights(inverseSquares)
                        .build()
                        .evaluate(l, x)
                        .getFloat();
        float uniform =
                GeneralizedDiceLoss.builder()
                        .setMode(MULTICLASS)
                        .optPerImage(false)
                        .optWeightType(GeneralizedDiceLoss.WeightType.UNIFORM)
                        .build()
                        .evaluate(l, x)
                        .getFloat();
        assertEquals(weightedUniform, square, 1e-5f);
        // the weights change the value: the check above could fail
        assertEquals(Math.abs(uniform - square) > 1e-3, true, uniform + " vs " + square);
    }
}
