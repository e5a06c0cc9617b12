package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.BinaryCrossEntropyLoss;
import io.github.segloss.loss.BoundaryLoss;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.loss.DiceLoss;
import io.github.segloss.loss.FocalLoss;
import io.github.segloss.loss.GeneralizedDiceLoss;
import io.github.segloss.loss.HausdorffDTLoss;
import io.github.segloss.loss.LovaszLoss;
import io.github.segloss.loss.MaskRcnnMaskLoss;
import io.github.segloss.loss.MaskedL2Loss;
import io.github.segloss.loss.MccLoss;
import io.github.segloss.loss.OhemCrossEntropyLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.loss.TverskyLoss;
import io.github.segloss.target.MaskTargets;
import io.github.segloss.target.RoiAlign;
import java.util.Map;
import java.util.Random;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The same inputs give the same value and gradients on PyTorch and on MXNet, for inputs that no
 * reference file holds (built from a seeded {@link Random}, since the engines' own generators
 * differ).
 */
public class CrossEngineTest {

    /** One computation with gradients, run on a manager of each engine. */
    interface Scenario {
        Gradients.Result run(NDManager manager, Engine engine, Random random);
    }

    private static NDArray normal(NDManager manager, Random random, float scale, long... shape) {
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * scale;
        }
        return manager.create(values, new Shape(shape));
    }

    private static NDArray classes(
            NDManager manager, Random random, int numClasses, double ignored, long... shape) {
        long[] values = new long[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble() < ignored ? 255 : random.nextInt(numClasses);
        }
        return manager.create(values, new Shape(shape));
    }

    private static NDArray boxes(NDManager manager, Random random, int count, float size) {
        float[] values = new float[count * 4];
        for (int r = 0; r < count; r++) {
            float x1 = random.nextFloat() * size * 1.2f - size * 0.1f;
            float y1 = random.nextFloat() * size * 1.2f - size * 0.1f;
            values[4 * r] = x1;
            values[4 * r + 1] = y1;
            values[4 * r + 2] = x1 + 0.3f + random.nextFloat() * size * 0.7f;
            values[4 * r + 3] = y1 + 0.3f + random.nextFloat() * size * 0.7f;
        }
        return manager.create(values, new Shape(count, 4));
    }

    /**
     * A loss of logits (2, 4, 5, 6) against soft per-class targets (uniform in [0, 1), each pixel's
     * normalised to sum 1) with 15% of the pixels set to the ignore index 255.
     */
    private static Scenario softTargets(Loss loss) {
        return (m, e, rnd) -> {
            NDArray logits = normal(m, rnd, 2, 2, 4, 5, 6);
            int classes = 4;
            int pixels = 30;
            float[] values = new float[2 * classes * pixels];
            for (int n = 0; n < 2; n++) {
                for (int p = 0; p < pixels; p++) {
                    boolean ignored = rnd.nextDouble() < 0.15;
                    float[] row = new float[classes];
                    float sum = 0;
                    for (int c = 0; c < classes; c++) {
                        row[c] = rnd.nextFloat() + 0.01f;
                        sum += row[c];
                    }
                    for (int c = 0; c < classes; c++) {
                        values[(n * classes + c) * pixels + p] = ignored ? 255 : row[c] / sum;
                    }
                }
            }
            NDArray labels = m.create(values, new Shape(2, classes, 5, 6));
            return Gradients.of(
                    e,
                    Map.of("logits", logits),
                    () -> loss.evaluate(new NDList(labels), new NDList(logits)));
        };
    }

    /** A multiclass loss of logits (3, 5, 7, 9) against labels with 20% ignored pixels. */
    private static Scenario logitsOnly(Loss loss) {
        return (m, e, rnd) -> {
            NDArray logits = normal(m, rnd, 2, 3, 5, 7, 9);
            NDArray labels = classes(m, rnd, 5, 0.2, 3, 7, 9);
            return Gradients.of(
                    e,
                    Map.of("logits", logits),
                    () -> loss.evaluate(new NDList(labels), new NDList(logits)));
        };
    }

    @DataProvider(name = "scenarios")
    public Object[][] scenarios() {
        return new Object[][] {
            {
                "cross-entropy 4-d, weights, smoothing, ignore",
                (Scenario)
                        (m, e, rnd) -> {
                            NDArray logits = normal(m, rnd, 3, 3, 5, 7, 9);
                            NDArray labels = classes(m, rnd, 5, 0.2, 3, 7, 9);
                            PixelCrossEntropyLoss loss =
                                    PixelCrossEntropyLoss.builder()
                                            .optClassWeights(1f, 2f, 0.5f, 0.1f, 3f)
                                            .optLabelSmoothing(0.15f)
                                            .build();
                            return Gradients.of(
                                    e,
                                    Map.of("logits", logits),
                                    () -> loss.evaluate(new NDList(labels), new NDList(logits)));
                        }
            },
            {
                "pspnet main and aux",
                (Scenario)
                        (m, e, rnd) -> {
                            NDArray main = normal(m, rnd, 2, 2, 6, 8, 8);
                            NDArray aux = normal(m, rnd, 2, 2, 6, 8, 8);
                            NDArray labels = classes(m, rnd, 6, 0.1, 2, 1, 8, 8);
                            return Gradients.of(
                                    e,
                                    Map.of("main", main, "aux", aux),
                                    () ->
                                            DeepSupervisionLoss.pspnet()
                                                    .evaluate(
                                                            new NDList(labels),
                                                            new NDList(main, aux)));
                        }
            },
            {
                "mask loss on projected targets",
                (Scenario)
                        (m, e, rnd) -> {
                            NDArray logits = normal(m, rnd, 2, 6, 4, 8, 8);
                            NDArray masks = normal(m, rnd, 1, 3, 20, 16).gt(0);
                            NDArray targets =
                                    MaskTargets.project(
                                            masks,
                                            boxes(m, rnd, 6, 16),
                                            m.create(new long[] {2, 0, 1, 1, 0, 2}),
                                            8,
                                            false);
                            NDArray classIds = m.create(new long[] {3, 1, 0, 2, 3, 1});
                            return Gradients.of(
                                    e,
                                    Map.of("logits", logits),
                                    () ->
                                            MaskRcnnMaskLoss.builder()
                                                    .build()
                                                    .evaluate(
                                                            new NDList(classIds, targets),
                                                            new NDList(logits)));
                        }
            },
            {
                "RoI Align gradient to the features",
                (Scenario)
                        (m, e, rnd) -> {
                            NDArray features = normal(m, rnd, 1, 2, 3, 10, 12);
                            NDArray rois = boxes(m, rnd, 7, 20);
                            NDArray image = m.create(new long[] {1, 0, 1, 1, 0, 0, 1});
                            NDArray upstream = normal(m, rnd, 1, 7, 3, 4, 4);
                            RoiAlign align =
                                    RoiAlign.builder()
                                            .setOutputSize(4, 4)
                                            .optSpatialScale(0.5)
                                            .optAligned(true)
                                            .build();
                            return Gradients.of(
                                    e,
                                    Map.of("features", features),
                                    () -> align.apply(features, rois, image).mul(upstream).sum());
                        }
            },
            {
                "masked L2 with a broadcast mask",
                (Scenario)
                        (m, e, rnd) -> {
                            NDArray prediction = normal(m, rnd, 1, 2, 3, 5, 5);
                            NDArray target = normal(m, rnd, 1, 2, 3, 5, 5);
                            NDArray mask =
                                    normal(m, rnd, 1, 2, 1, 5, 5)
                                            .gt(0)
                                            .toType(prediction.getDataType(), false);
                            return Gradients.of(
                                    e,
                                    Map.of("prediction", prediction),
                                    () ->
                                            new MaskedL2Loss()
                                                    .evaluate(
                                                            new NDList(target, mask),
                                                            new NDList(prediction)));
                        }
            },
            {
                "Dice per image, squared, ignore",
                logitsOnly(
                        DiceLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optPerImage(true)
                                .optSquaredDenominator(true)
                                .optIgnoreIndex(255)
                                .build())
            },
            {
                "cross-entropy, class probabilities, weights, smoothing",
                (Scenario)
                        (m, e, rnd) -> {
                            NDArray logits = normal(m, rnd, 2, 3, 4, 5, 6);
                            NDArray targets = normal(m, rnd, 1, 3, 4, 5, 6).softmax(1);
                            PixelCrossEntropyLoss loss =
                                    PixelCrossEntropyLoss.builder()
                                            .optClassWeights(1f, 2f, 0.5f, 0.1f)
                                            .optLabelSmoothing(0.15f)
                                            .build();
                            return Gradients.of(
                                    e,
                                    Map.of("logits", logits),
                                    () -> loss.evaluate(new NDList(targets), new NDList(logits)));
                        }
            },
            {
                "Dice, soft targets, per image, MONAI smoothing, ignore",
                softTargets(
                        DiceLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optSoftLabels(true)
                                .optPerImage(true)
                                .optSmoothNumerator(1e-5f)
                                .optSmoothDenominator(1e-3f)
                                .optIgnoreIndex(255)
                                .build())
            },
            {
                "Tversky, soft multilabel targets, squared, ignore",
                softTargets(
                        TverskyLoss.builder()
                                .setMode(SegmentationMode.MULTILABEL)
                                .optSoftLabels(true)
                                .optAlpha(0.7f)
                                .optBeta(0.3f)
                                .optSquaredDenominator(true)
                                .optSmoothNumerator(0.5f)
                                .optSmoothDenominator(1f)
                                .optIgnoreIndex(255)
                                .build())
            },
            {
                "Tversky multiclass, classes, weights",
                logitsOnly(
                        TverskyLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optAlpha(0.3f)
                                .optBeta(0.7f)
                                .optGamma(1.5f)
                                .optClasses(1, 2, 4)
                                .optClassWeights(1f, 1f, 2f, 1f, 3f)
                                .optIgnoreIndex(255)
                                .build())
            },
            {
                "focal one-vs-rest, normalized, ignore",
                logitsOnly(
                        FocalLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optNormalized(true)
                                .optAlpha(0.25f)
                                .optIgnoreIndex(255)
                                .build())
            },
            {
                "focal softmax, reduced",
                logitsOnly(
                        FocalLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optSoftmax(true)
                                .optReducedThreshold(0.4f)
                                .optIgnoreIndex(255)
                                .build())
            },
            {
                "Lovász-softmax per image, ignore",
                logitsOnly(
                        LovaszLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optPerImage(true)
                                .optIgnoreIndex(255)
                                .build())
            },
            {
                "generalized Dice per image, square, no background, ignore",
                logitsOnly(
                        GeneralizedDiceLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIncludeBackground(false)
                                .optSmoothNumerator(1e-3f)
                                .optIgnoreIndex(255)
                                .build())
            },
            {
                "boundary, maps computed, classes, weights, ignore",
                logitsOnly(
                        BoundaryLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optClasses(1, 2, 4)
                                .optClassWeights(1f, 1f, 2f, 1f, 3f)
                                .optIgnoreIndex(255)
                                .build())
            },
            {
                "MCC multiclass, class weights, ignore",
                logitsOnly(
                        MccLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optClassWeights(1f, 2f, 0.5f, 1f, 3f)
                                .optIgnoreIndex(255)
                                .build())
            },
            {
                "Hausdorff DT, alpha, spacing, ignore",
                logitsOnly(
                        HausdorffDTLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optAlpha(1.5f)
                                .optSampling(1.5, 0.5)
                                .optIgnoreIndex(255)
                                .build())
            },
            {
                "OHEM, minKept 20",
                logitsOnly(OhemCrossEntropyLoss.builder().optMinKept(20).optThreshold(0.5f).build())
            },
            {
                "Lovász hinge, binary, ignore",
                (Scenario)
                        (m, e, rnd) -> {
                            NDArray logits = normal(m, rnd, 2, 2, 1, 6, 7);
                            NDArray labels = classes(m, rnd, 2, 0.2, 2, 1, 6, 7);
                            Loss loss =
                                    LovaszLoss.builder()
                                            .setMode(SegmentationMode.BINARY)
                                            .optIgnoreIndex(255)
                                            .build();
                            return Gradients.of(
                                    e,
                                    Map.of("logits", logits),
                                    () -> loss.evaluate(new NDList(labels), new NDList(logits)));
                        }
            },
            {
                "binary cross-entropy, ignore, smoothing, weights",
                (Scenario)
                        (m, e, rnd) -> {
                            NDArray logits = normal(m, rnd, 3, 2, 3, 4, 5);
                            NDArray targets = classes(m, rnd, 2, 0.2, 2, 3, 4, 5);
                            NDArray weights = normal(m, rnd, 1, 2, 1, 4, 5).abs();
                            Loss loss =
                                    BinaryCrossEntropyLoss.builder()
                                            .optIgnoreIndex(255)
                                            .optSmoothFactor(0.05f)
                                            .optPosWeight(1f, 3f, 0.5f)
                                            .build();
                            return Gradients.of(
                                    e,
                                    Map.of("logits", logits),
                                    () ->
                                            loss.evaluate(
                                                    new NDList(targets, weights),
                                                    new NDList(logits)));
                        }
            },
        };
    }

    @Test(dataProvider = "scenarios")
    public void pyTorchAndMxNetAgree(String name, Scenario scenario) {
        try (NDManager pt = NDManager.newBaseManager("PyTorch");
                NDManager mx = NDManager.newBaseManager("MXNet")) {
            Gradients.Result a = scenario.run(pt, Engine.getEngine("PyTorch"), new Random(7));
            Gradients.Result b = scenario.run(mx, Engine.getEngine("MXNet"), new Random(7));
            Tolerance.assertValue("PyTorch-MXNet", name, "value", a.value(), b.value());
            assertEquals(a.grads().keySet(), b.grads().keySet());
            for (String input : a.grads().keySet()) {
                float[] other = b.grads().get(input);
                double[] widened = new double[other.length];
                for (int i = 0; i < other.length; i++) {
                    widened[i] = other[i];
                }
                Tolerance.assertArray(
                        "PyTorch-MXNet", name, "grad " + input, a.grads().get(input), widened);
            }
        }
    }
}
