package io.github.segloss.enginetest.fuzz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
import io.github.segloss.loss.DiceLoss;
import io.github.segloss.loss.JaccardLoss;
import io.github.segloss.loss.OverlapLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.loss.TverskyLoss;
import java.util.ArrayList;
import java.util.List;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Randomized test of the soft targets: {@link PixelCrossEntropyLoss} with class-probability targets
 * and the Dice family with {@code optSoftLabels(true)} and MONAI's separate smoothing terms, on
 * seeded cases of random shapes, ranks, types and settings (see {@link Inputs}). Valid input must
 * give the float64 reference of the loss's formula within float32 rounding with a finite gradient;
 * invalid targets (negative, NaN, infinite, above 1 for the Dice family, integers or another shape
 * for probabilities) must raise an {@link IllegalArgumentException} naming the labels.
 */
public class SoftTargetFuzzTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public SoftTargetFuzzTest(String engine) {
        super(engine);
    }

    @Test
    public void crossEntropyProbabilities() {
        Fuzz.run(engine, manager, "crossEntropyProbabilities", 200, SoftTargetFuzzTest::ceCase);
    }

    @Test
    public void overlapSoftTargets() {
        Fuzz.run(engine, manager, "overlapSoftTargets", 200, SoftTargetFuzzTest::overlapCase);
    }

    /** Class probabilities: rows summing to 1, unnormalised rows up to 2, some all-zero rows. */
    private static double[] probabilities(FuzzCase c, Shape shape) {
        int n = (int) shape.get(0);
        int classes = (int) shape.get(1);
        int pixels = CrossEntropyReference.pixels((int) shape.size(), n, classes);
        double[] values = new double[(int) shape.size()];
        boolean normalised = c.chance(0.6);
        c.describe("probabilities", normalised ? "rows sum to 1" : "rows up to 2, some zero");
        for (int b = 0; b < n; b++) {
            for (int q = 0; q < pixels; q++) {
                boolean zero = !normalised && c.chance(0.2);
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    double v = zero ? 0 : c.pick(0.0, c.uniform(0, 1), c.uniform(0, 1));
                    values[(b * classes + k) * pixels + q] = v;
                    sum += v;
                }
                double scale = normalised ? (sum > 0 ? 1 / sum : 0) : c.uniform(0, 2);
                for (int k = 0; k < classes; k++) {
                    values[(b * classes + k) * pixels + q] *= scale;
                }
            }
        }
        return values;
    }

    /** Breaks the targets with probability 0.1 (a bad value, or a wrong shape or type). */
    private static Inputs.Labels maybeBroken(
            FuzzCase c, double[] values, Shape shape, DataType type, double... bad) {
        if (values.length > 0 && c.chance(0.1)) {
            double value = bad[c.intIn(0, bad.length - 1)];
            double[] copy = values.clone();
            copy[c.intIn(0, copy.length - 1)] = value;
            c.markInvalid("labels", "value " + value);
            return new Inputs.Labels(new HostArray(copy, shape).roundedTo(type), type);
        }
        if (values.length > 0 && c.chance(0.04)) {
            long[] dims = shape.getShape().clone();
            dims[dims.length - 1]++;
            Shape wrong = new Shape(dims);
            c.markInvalid("labels", "shape " + wrong);
            return new Inputs.Labels(new HostArray(new double[(int) wrong.size()], wrong), type);
        }
        return new Inputs.Labels(new HostArray(values, shape).roundedTo(type), type);
    }

    private static void ceCase(FuzzCase c) {
        Shape shape = Inputs.logitShape(c, 2, 5, 2, 5);
        int n = (int) shape.get(0);
        int classes = (int) shape.get(1);
        DataType type = Inputs.floatType(c);
        HostArray logits = Inputs.logits(c, shape, type);
        DataType targetType = c.pick(DataType.FLOAT32, DataType.FLOAT32, DataType.FLOAT64);
        c.describe("targetType", targetType);
        Inputs.Labels labels =
                maybeBroken(
                        c,
                        probabilities(c, shape),
                        shape,
                        targetType,
                        -0.25,
                        -1e-3,
                        Double.NaN,
                        Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY);
        if (!c.isInvalid() && shape.size() > 0 && c.chance(0.03)) {
            labels =
                    new Inputs.Labels(
                            new HostArray(new double[(int) shape.size()], shape), DataType.INT32);
            c.markInvalid("labels", "int32 probabilities");
        }
        float[] weights = c.chance(0.4) ? Inputs.classWeights(c, classes, "classWeights") : null;
        float smoothing = c.chance(0.4) ? c.pick(0.05f, 0.1f, 0.5f, 1f) : 0f;
        boolean checkFinite = c.chance(0.5);
        c.describe("labelSmoothing", smoothing).describe("checkFinite", checkFinite);
        PixelCrossEntropyLoss.Builder builder =
                PixelCrossEntropyLoss.builder()
                        .optLabelSmoothing(smoothing)
                        .optIgnoreIndex(c.pick(255, 0, -100))
                        .optCheckFinite(checkFinite);
        if (weights != null) {
            builder.optClassWeights(weights);
        }
        Loss loss = builder.build();
        NDArray x = logits.create(c.manager(), type);
        NDList y = new NDList(labels.create(c.manager()));
        if (c.isInvalid()) {
            Check.illegalArgument(() -> loss.evaluate(y, new NDList(x)), c.invalidArgument());
            return;
        }
        Bounded reference =
                crossEntropy(
                        logits.values(), labels.values().values(), n, classes, weights, smoothing);
        Check.Evaluated result = Check.withGradients(c, () -> loss.evaluate(y, new NDList(x)), x);
        Check.value(c, result.result(), type, reference);
        Check.finite("logits", result.grads()[0]);
    }

    /**
     * torch's cross-entropy of class probabilities: \( \frac{1}{P} \sum_i \sum_c w_c t'_{ic} (-\log
     * p_{ic}) \), \( t' = (1 - \varepsilon) t + \varepsilon / C \), 0 without pixels.
     */
    private static Bounded crossEntropy(
            double[] logits,
            double[] targets,
            int n,
            int classes,
            float[] weights,
            float smoothing) {
        int pixels = CrossEntropyReference.pixels(logits.length, n, classes);
        if (n * pixels == 0) {
            return Bounded.ZERO;
        }
        List<Bounded> terms = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            for (int q = 0; q < pixels; q++) {
                Bounded[] logp = CrossEntropyReference.logSoftmax(logits, b, q, classes, pixels);
                for (int k = 0; k < classes; k++) {
                    double t = targets[(b * classes + k) * pixels + q];
                    double smoothed = (1 - (double) smoothing) * t + (double) smoothing / classes;
                    double w = weights == null ? 1 : weights[k];
                    terms.add(logp[k].neg().times(w * smoothed));
                }
            }
        }
        return Bounded.sum(terms).div(Bounded.of((double) n * pixels));
    }

    private static void overlapCase(FuzzCase c) {
        String mode = c.pick("BINARY", "MULTICLASS", "MULTILABEL");
        c.describe("mode", mode);
        boolean binary = mode.equals("BINARY");
        boolean multiclass = mode.equals("MULTICLASS");
        boolean fromLogits = c.chance(0.8);
        Shape shape = Inputs.logitShape(c, 2, 5, binary ? 1 : 2, binary ? 1 : 5);
        int n = (int) shape.get(0);
        int classes = (int) shape.get(1);
        int pixels = CrossEntropyReference.pixels((int) shape.size(), n, classes);
        DataType type = Inputs.floatType(c);
        int ignore = c.chance(0.5) ? Inputs.NO_IGNORE : c.pick(255, -1, 2);
        c.describe("ignoreIndex", ignore);
        Shape labelShape =
                binary && c.chance(0.5) ? shape.slice(0, 1).addAll(shape.slice(2)) : shape;
        double ignoreShare = ignore == Inputs.NO_IGNORE ? 0 : c.pick(0.0, 0.2, 1.0);
        double[] values = new double[(int) labelShape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] =
                    c.chance(ignoreShare)
                            ? ignore
                            : c.pick(0.0, 1.0, c.uniform(0, 1), c.uniform(0, 1));
        }
        DataType targetType = c.pick(DataType.FLOAT32, DataType.FLOAT32, DataType.FLOAT64);
        c.describe("targets", labelShape + " ignored " + ignoreShare).describe("type", targetType);
        Inputs.Labels labels =
                maybeBroken(
                        c,
                        values,
                        labelShape,
                        targetType,
                        1.5,
                        -0.25,
                        1.0000001,
                        Double.NaN,
                        Double.POSITIVE_INFINITY);
        HostArray predictions =
                fromLogits
                        ? Inputs.logits(c, shape, type)
                        : Inputs.probabilities(c, shape, multiclass, type);
        String kind = c.pick("Dice", "Jaccard", "Tversky");
        float alpha = kind.equals("Dice") ? 0.5f : kind.equals("Jaccard") ? 1f : c.pick(0.3f, 0.7f);
        float beta = kind.equals("Dice") ? 0.5f : kind.equals("Jaccard") ? 1f : c.pick(0.3f, 0.7f);
        boolean separate = c.chance(0.7);
        float numerator = c.pick(0f, 1e-5f, 0.5f, 1f);
        float denominator = c.pick(0f, 1e-5f, 1e-3f, 1f);
        float smooth = c.pick(0f, 0.5f);
        boolean perImage = c.chance(0.3);
        boolean squared = c.chance(0.3);
        boolean logLoss = c.chance(0.2);
        float[] weights =
                !binary && c.chance(0.3) ? Inputs.classWeights(c, classes, "classWeights") : null;
        c.describe("loss", kind).describe("alpha", alpha).describe("beta", beta);
        c.describe("smooth", separate ? numerator + "/" + denominator : smooth);
        c.describe("perImage", perImage).describe("squared", squared).describe("log", logLoss);
        OverlapLoss.BaseBuilder<?> builder =
                switch (kind) {
                    case "Dice" -> DiceLoss.builder();
                    case "Jaccard" -> JaccardLoss.builder();
                    default -> TverskyLoss.builder().optAlpha(alpha).optBeta(beta);
                };
        builder.setMode(SegmentationMode.valueOf(mode))
                .optSoftLabels(true)
                .optFromLogits(fromLogits)
                .optPerImage(perImage)
                .optSquaredDenominator(squared)
                .optLogLoss(logLoss)
                .optCheckFinite(c.chance(0.5));
        if (separate) {
            builder.optSmoothNumerator(numerator).optSmoothDenominator(denominator);
        } else {
            builder.optSmooth(smooth);
        }
        if (ignore != Inputs.NO_IGNORE) {
            builder.optIgnoreIndex(ignore);
        }
        if (weights != null) {
            builder.optClassWeights(weights);
        }
        Loss loss =
                switch (kind) {
                    case "Dice" -> ((DiceLoss.Builder) builder).build();
                    case "Jaccard" -> ((JaccardLoss.Builder) builder).build();
                    default -> ((TverskyLoss.Builder) builder).build();
                };
        NDArray x = predictions.create(c.manager(), type);
        NDList y = new NDList(labels.create(c.manager()));
        if (c.isInvalid()) {
            Check.illegalArgument(() -> loss.evaluate(y, new NDList(x)), c.invalidArgument());
            return;
        }
        // MONAI's Dice and Jaccard scores carry a factor 2: their smoothing is twice the score's
        double scale = kind.equals("Tversky") ? 1 : 0.5;
        OverlapReference.Settings settings =
                new OverlapReference.Settings(
                        mode,
                        fromLogits,
                        separate ? scale * numerator : smooth,
                        separate ? scale * denominator : smooth,
                        1e-7f,
                        logLoss,
                        null,
                        weights,
                        perImage,
                        squared,
                        alpha,
                        beta,
                        1f);
        // per-class targets: every element its own target and validity, as in MULTILABEL
        Targets targets =
                Targets.of(
                        multiclass ? "MULTILABEL" : mode,
                        labels.values().values(),
                        n,
                        classes,
                        pixels,
                        ignore);
        Bounded reference = OverlapReference.loss(predictions.values(), targets, settings);
        Check.Evaluated result = Check.withGradients(c, () -> loss.evaluate(y, new NDList(x)), x);
        Check.value(c, result.result(), type, reference);
        Check.finite("predictions", result.grads()[0]);
    }
}
