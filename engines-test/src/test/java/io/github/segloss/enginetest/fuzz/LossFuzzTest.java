package io.github.segloss.enginetest.fuzz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
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
import io.github.segloss.loss.OverlapLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.loss.TverskyLoss;
import io.github.segloss.loss.WeightedLoss;
import io.github.segloss.loss.WeightedSumLoss;
import java.util.ArrayList;
import java.util.List;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Randomized robustness test of every loss: seeded cases of random shapes, ranks, types, label
 * values and settings (see {@link Inputs}). Valid input must give a finite value of the
 * predictions' type equal to the float64 reference of the loss's formula within float32 rounding,
 * with a finite gradient (compared to the exact gradient where the reference has one); invalid
 * input must raise an {@link IllegalArgumentException} naming the argument. See {@link Fuzz} to
 * rerun a case.
 */
public class LossFuzzTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public LossFuzzTest(String engine) {
        super(engine);
    }

    /** Runs a case's loss on valid or invalid input and checks the outcome. */
    private static void expectInvalid(FuzzCase c, Loss loss, NDList labels, NDList predictions) {
        Check.illegalArgument(() -> loss.evaluate(labels, predictions), c.invalidArgument());
    }

    /**
     * With probability 0.05, for input that is valid so far, puts NaN, +∞ or −∞ at a random
     * position of the predictions: the loss is then built with {@code optCheckFinite(true)} (see
     * {@link #checkFinite}) and must reject them, naming the argument.
     *
     * @param c the case
     * @param predictions the predictions
     * @param name the argument's name in the loss's message
     * @return the predictions, possibly with one non-finite value
     */
    private static HostArray nonFinite(FuzzCase c, HostArray predictions, String name) {
        if (c.isInvalid() || predictions.size() == 0 || !c.chance(0.05)) {
            return predictions;
        }
        double bad = c.pick(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        double[] values = predictions.values().clone();
        values[c.intIn(0, values.length - 1)] = bad;
        c.markInvalid(name + " must be finite", "value " + bad);
        return new HostArray(values, predictions.shape());
    }

    /** The finite check: on for non-finite predictions, else drawn (off by default). */
    private static boolean checkFinite(FuzzCase c) {
        boolean needed = c.isInvalid() && c.invalidArgument().endsWith("must be finite");
        boolean on = needed || c.chance(0.5);
        c.describe("checkFinite", on);
        return on;
    }

    @Test
    public void crossEntropy() {
        Fuzz.run(engine, manager, "crossEntropy", 400, LossFuzzTest::crossEntropyCase);
    }

    private static void crossEntropyCase(FuzzCase c) {
        Shape shape = Inputs.logitShape(c, 2, 5, 1, 5);
        int n = (int) shape.get(0);
        int classes = (int) shape.get(1);
        DataType type = Inputs.floatType(c);
        HostArray logits = Inputs.logits(c, shape, type);
        int ignore = Inputs.ignoreIndex(c, classes, false);
        Inputs.Labels labels = Inputs.classLabels(c, shape, ignore, 0.25);
        logits = nonFinite(c, logits, "logits");
        PixelCrossEntropyLoss.Builder builder =
                PixelCrossEntropyLoss.builder()
                        .optIgnoreIndex(ignore)
                        .optCheckFinite(checkFinite(c));
        float[] weights = c.chance(0.4) ? Inputs.classWeights(c, classes, "classWeights") : null;
        if (weights != null) {
            builder.optClassWeights(weights);
        }
        float smoothing = c.chance(0.3) ? c.pick(0.05f, 0.1f, 0.5f, 1f) : 0f;
        c.describe("labelSmoothing", smoothing);
        Loss loss = builder.optLabelSmoothing(smoothing).build();
        NDArray x = logits.create(c.manager(), type);
        NDList y = new NDList(labels.create(c.manager()));
        if (c.isInvalid()) {
            expectInvalid(c, loss, y, new NDList(x));
            return;
        }
        CrossEntropyReference.Result reference =
                CrossEntropyReference.crossEntropy(
                        logits.values(),
                        labels.values().values(),
                        n,
                        classes,
                        ignore,
                        weights,
                        smoothing);
        Check.Evaluated result = Check.withGradients(c, () -> loss.evaluate(y, new NDList(x)), x);
        Check.value(c, result.result(), type, reference.value());
        Check.gradient("logits", result.grads()[0], reference.grad());
    }

    @Test
    public void ohemCrossEntropy() {
        Fuzz.run(engine, manager, "ohemCrossEntropy", 200, LossFuzzTest::ohemCase);
    }

    private static void ohemCase(FuzzCase c) {
        Shape shape = Inputs.logitShape(c, 2, 5, 1, 5);
        int n = (int) shape.get(0);
        int classes = (int) shape.get(1);
        DataType type = Inputs.floatType(c);
        HostArray logits = Inputs.logits(c, shape, type);
        int ignore = Inputs.ignoreIndex(c, classes, false);
        Inputs.Labels labels = Inputs.classLabels(c, shape, ignore, 0.2);
        logits = nonFinite(c, logits, "logits");
        float threshold = c.pick(0.7f, 0.3f, 0.9f, 1f);
        int minKept = c.pick(0, 1, 5, 100_000);
        c.describe("threshold", threshold).describe("minKept", minKept);
        OhemCrossEntropyLoss.Builder builder =
                OhemCrossEntropyLoss.builder()
                        .optIgnoreIndex(ignore)
                        .optThreshold(threshold)
                        .optMinKept(minKept)
                        .optCheckFinite(checkFinite(c));
        float[] weights = c.chance(0.3) ? Inputs.classWeights(c, classes, "classWeights") : null;
        if (weights != null) {
            builder.optClassWeights(weights);
        }
        Loss loss = builder.build();
        NDArray x = logits.create(c.manager(), type);
        NDList y = new NDList(labels.create(c.manager()));
        if (c.isInvalid()) {
            expectInvalid(c, loss, y, new NDList(x));
            return;
        }
        CrossEntropyReference.Result reference =
                CrossEntropyReference.ohem(
                        logits.values(),
                        labels.values().values(),
                        n,
                        classes,
                        ignore,
                        weights,
                        threshold,
                        minKept);
        Check.Evaluated result = Check.withGradients(c, () -> loss.evaluate(y, new NDList(x)), x);
        Check.value(c, result.result(), type, reference.value());
        Check.finite("logits", result.grads()[0]);
    }

    /** Evaluates a loss on the case's valid input and checks the value and a finite gradient. */
    private static void checkValue(
            FuzzCase c,
            Loss loss,
            NDList labels,
            HostArray predictions,
            DataType type,
            Bounded reference) {
        NDArray x = predictions.create(c.manager(), type);
        Check.Evaluated result =
                Check.withGradients(c, () -> loss.evaluate(labels, new NDList(x)), x);
        Check.value(c, result.result(), type, reference);
        Check.finite("predictions", result.grads()[0]);
    }

    @Test
    public void focal() {
        Fuzz.run(engine, manager, "focal", 300, LossFuzzTest::focalCase);
    }

    private static void focalCase(FuzzCase c) {
        String mode = c.pick("BINARY", "MULTICLASS", "MULTILABEL");
        boolean softmax = mode.equals("MULTICLASS") && c.chance(0.3);
        boolean fromLogits = c.chance(0.8);
        Inputs.Segmentation input = Inputs.segmentation(c, mode, fromLogits, 0.2);
        Float alpha = c.chance(0.4) ? c.pick(0.25f, 0.5f, 0.75f, 0f, 1f) : null;
        float gamma = c.pick(0f, 0.5f, 1f, 2f, 2f, 3.5f);
        boolean normalized = c.chance(0.3);
        Float reduced = c.chance(0.2) ? c.pick(0.5f, 0.3f, 0.9f, 1f) : null;
        float eps = fromLogits ? 1e-7f : c.pick(1e-7f, 1e-4f, 0.01f);
        float[] weights =
                !softmax && !mode.equals("BINARY") && c.chance(0.3)
                        ? Inputs.classWeights(c, input.classes(), "classWeights")
                        : null;
        c.describe("softmax", softmax).describe("fromLogits", fromLogits).describe("alpha", alpha);
        c.describe("gamma", gamma).describe("normalized", normalized).describe("reduced", reduced);
        c.describe("eps", eps);
        HostArray predictions = nonFinite(c, input.predictions(), "logits");
        FocalLoss.Builder builder =
                FocalLoss.builder()
                        .setMode(SegmentationMode.valueOf(mode))
                        .optSoftmax(softmax)
                        .optFromLogits(fromLogits)
                        .optGamma(gamma)
                        .optNormalized(normalized)
                        .optEps(eps)
                        .optCheckFinite(checkFinite(c));
        if (input.ignore() != Inputs.NO_IGNORE) {
            builder.optIgnoreIndex(input.ignore());
        }
        if (alpha != null) {
            builder.optAlpha(alpha);
        }
        if (reduced != null) {
            builder.optReducedThreshold(reduced);
        }
        if (weights != null) {
            builder.optClassWeights(weights);
        }
        Loss loss = builder.build();
        NDList labels = new NDList(input.labels().create(c.manager()));
        if (c.isInvalid()) {
            expectInvalid(
                    c, loss, labels, new NDList(predictions.create(c.manager(), input.type())));
            return;
        }
        FocalReference.Settings settings =
                new FocalReference.Settings(
                        mode,
                        fromLogits,
                        input.ignore(),
                        alpha,
                        gamma,
                        normalized,
                        reduced,
                        weights,
                        eps);
        Bounded reference =
                softmax
                        ? FocalReference.softmax(
                                predictions.values(),
                                input.labels().values().values(),
                                input.n(),
                                input.classes(),
                                settings)
                        : FocalReference.sigmoid(predictions.values(), input.targets(), settings);
        checkValue(c, loss, labels, predictions, input.type(), reference);
    }

    @Test
    public void overlap() {
        Fuzz.run(engine, manager, "overlap", 400, LossFuzzTest::overlapCase);
    }

    private static void overlapCase(FuzzCase c) {
        String mode = c.pick("BINARY", "MULTICLASS", "MULTILABEL");
        boolean fromLogits = c.chance(0.8);
        Inputs.Segmentation input = Inputs.segmentation(c, mode, fromLogits, 0.2);
        String kind = c.pick("Dice", "Jaccard", "Tversky");
        float alpha =
                kind.equals("Dice")
                        ? 0.5f
                        : kind.equals("Jaccard") ? 1f : c.pick(0f, 0.3f, 0.5f, 0.7f, 1f, 2f);
        float beta =
                kind.equals("Dice")
                        ? 0.5f
                        : kind.equals("Jaccard") ? 1f : c.pick(0f, 0.3f, 0.5f, 0.7f, 1f, 2f);
        float gamma = kind.equals("Tversky") ? c.pick(1f, 1f, 0.75f, 1.5f, 2f) : 1f;
        float smooth = c.pick(0f, 0f, 1e-5f, 0.5f, 1f);
        float eps = c.pick(1e-7f, 1e-7f, 1e-3f);
        boolean logLoss = c.chance(0.3);
        boolean perImage = c.chance(0.3);
        boolean squared = c.chance(0.3);
        boolean binary = mode.equals("BINARY");
        int[] classes = binary ? null : Inputs.selectedClasses(c, input.classes());
        float[] weights =
                !binary && c.chance(0.3)
                        ? Inputs.classWeights(c, input.classes(), "classWeights")
                        : null;
        c.describe("loss", kind)
                .describe("alpha", alpha)
                .describe("beta", beta)
                .describe("gamma", gamma);
        c.describe("smooth", smooth).describe("eps", eps).describe("logLoss", logLoss);
        c.describe("perImage", perImage)
                .describe("squared", squared)
                .describe("fromLogits", fromLogits);
        HostArray predictions = nonFinite(c, input.predictions(), "logits");
        OverlapLoss.BaseBuilder<?> builder =
                switch (kind) {
                    case "Dice" -> DiceLoss.builder();
                    case "Jaccard" -> JaccardLoss.builder();
                    default -> TverskyLoss.builder().optAlpha(alpha).optBeta(beta).optGamma(gamma);
                };
        builder.setMode(SegmentationMode.valueOf(mode))
                .optFromLogits(fromLogits)
                .optSmooth(smooth)
                .optEps(eps)
                .optLogLoss(logLoss)
                .optPerImage(perImage)
                .optSquaredDenominator(squared)
                .optCheckFinite(checkFinite(c));
        if (input.ignore() != Inputs.NO_IGNORE) {
            builder.optIgnoreIndex(input.ignore());
        }
        if (classes != null) {
            builder.optClasses(classes);
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
        NDList labels = new NDList(input.labels().create(c.manager()));
        if (c.isInvalid()) {
            expectInvalid(
                    c, loss, labels, new NDList(predictions.create(c.manager(), input.type())));
            return;
        }
        OverlapReference.Settings settings =
                new OverlapReference.Settings(
                        mode,
                        fromLogits,
                        smooth,
                        eps,
                        logLoss,
                        classes,
                        weights,
                        perImage,
                        squared,
                        alpha,
                        beta,
                        gamma);
        Bounded reference = OverlapReference.loss(predictions.values(), input.targets(), settings);
        checkValue(c, loss, labels, predictions, input.type(), reference);
    }

    @Test
    public void generalizedDice() {
        Fuzz.run(engine, manager, "generalizedDice", 200, LossFuzzTest::generalizedDiceCase);
    }

    private static void generalizedDiceCase(FuzzCase c) {
        String mode = c.pick("BINARY", "MULTICLASS", "MULTILABEL");
        boolean fromLogits = c.chance(0.8);
        Inputs.Segmentation input = Inputs.segmentation(c, mode, fromLogits, 0.2);
        boolean binary = mode.equals("BINARY");
        String weightType = c.pick("SQUARE", "SQUARE", "SIMPLE", "UNIFORM");
        boolean perImage = c.chance(0.6);
        boolean includeBackground = binary || input.classes() < 2 || c.chance(0.6);
        float smoothNumerator = c.pick(1e-5f, 1e-5f, 0f, 1e-3f, 0.5f);
        float smoothDenominator = c.pick(1e-5f, 1e-5f, 0f, 1e-2f, 1f);
        float[] weights =
                !binary && c.chance(0.3)
                        ? Inputs.classWeights(c, input.classes(), "classWeights")
                        : null;
        c.describe("weightType", weightType).describe("perImage", perImage);
        c.describe("includeBackground", includeBackground).describe("fromLogits", fromLogits);
        c.describe("smoothNumerator", smoothNumerator)
                .describe("smoothDenominator", smoothDenominator);
        HostArray predictions = nonFinite(c, input.predictions(), "logits");
        GeneralizedDiceLoss.Builder builder =
                GeneralizedDiceLoss.builder()
                        .setMode(SegmentationMode.valueOf(mode))
                        .optFromLogits(fromLogits)
                        .optWeightType(GeneralizedDiceLoss.WeightType.valueOf(weightType))
                        .optPerImage(perImage)
                        .optIncludeBackground(includeBackground)
                        .optSmoothNumerator(smoothNumerator)
                        .optSmoothDenominator(smoothDenominator)
                        .optCheckFinite(checkFinite(c));
        if (input.ignore() != Inputs.NO_IGNORE) {
            builder.optIgnoreIndex(input.ignore());
        }
        if (weights != null) {
            builder.optClassWeights(weights);
        }
        Loss loss = builder.build();
        NDList labels = new NDList(input.labels().create(c.manager()));
        if (c.isInvalid()) {
            expectInvalid(
                    c, loss, labels, new NDList(predictions.create(c.manager(), input.type())));
            return;
        }
        RegionReference.DiceSettings settings =
                new RegionReference.DiceSettings(
                        mode,
                        fromLogits,
                        weightType,
                        perImage,
                        includeBackground,
                        smoothNumerator,
                        smoothDenominator,
                        weights);
        Bounded reference =
                RegionReference.generalizedDice(predictions.values(), input.targets(), settings);
        checkValue(c, loss, labels, predictions, input.type(), reference);
    }

    @Test
    public void mcc() {
        Fuzz.run(engine, manager, "mcc", 200, LossFuzzTest::mccCase);
    }

    private static void mccCase(FuzzCase c) {
        String mode = c.pick("BINARY", "MULTICLASS", "MULTILABEL");
        boolean fromLogits = c.chance(0.8);
        Inputs.Segmentation input = Inputs.segmentation(c, mode, fromLogits, 0.2);
        float eps = c.pick(1e-5f, 1e-5f, 1e-7f, 1e-3f, 1f);
        float[] weights =
                !mode.equals("BINARY") && c.chance(0.3)
                        ? Inputs.classWeights(c, input.classes(), "classWeights")
                        : null;
        c.describe("eps", eps).describe("fromLogits", fromLogits);
        HostArray predictions = nonFinite(c, input.predictions(), "logits");
        MccLoss.Builder builder =
                MccLoss.builder()
                        .setMode(SegmentationMode.valueOf(mode))
                        .optFromLogits(fromLogits)
                        .optEps(eps)
                        .optCheckFinite(checkFinite(c));
        if (input.ignore() != Inputs.NO_IGNORE) {
            builder.optIgnoreIndex(input.ignore());
        }
        if (weights != null) {
            builder.optClassWeights(weights);
        }
        Loss loss = builder.build();
        NDList labels = new NDList(input.labels().create(c.manager()));
        if (c.isInvalid()) {
            expectInvalid(
                    c, loss, labels, new NDList(predictions.create(c.manager(), input.type())));
            return;
        }
        Bounded reference =
                RegionReference.mcc(
                        predictions.values(),
                        input.targets(),
                        new RegionReference.MccSettings(mode, fromLogits, eps, weights));
        checkValue(c, loss, labels, predictions, input.type(), reference);
    }

    @Test
    public void lovasz() {
        Fuzz.run(engine, manager, "lovasz", 250, LossFuzzTest::lovaszCase);
    }

    private static void lovaszCase(FuzzCase c) {
        String mode = c.pick("BINARY", "MULTICLASS", "MULTILABEL");
        boolean fromLogits = !mode.equals("MULTICLASS") || c.chance(0.8);
        boolean perImage = c.chance(0.4);
        Inputs.Segmentation input = Inputs.segmentation(c, mode, fromLogits, 0.2);
        c.describe("perImage", perImage).describe("fromLogits", fromLogits);
        HostArray predictions = nonFinite(c, input.predictions(), "logits");
        LovaszLoss.Builder builder =
                LovaszLoss.builder()
                        .setMode(SegmentationMode.valueOf(mode))
                        .optFromLogits(fromLogits)
                        .optPerImage(perImage)
                        .optCheckFinite(checkFinite(c));
        if (input.ignore() != Inputs.NO_IGNORE) {
            builder.optIgnoreIndex(input.ignore());
        }
        Loss loss = builder.build();
        NDList labels = new NDList(input.labels().create(c.manager()));
        if (c.isInvalid()) {
            expectInvalid(
                    c, loss, labels, new NDList(predictions.create(c.manager(), input.type())));
            return;
        }
        Bounded reference =
                mode.equals("MULTICLASS")
                        ? LovaszReference.softmax(
                                predictions.values(), input.targets(), fromLogits, perImage)
                        : LovaszReference.hinge(predictions.values(), input.targets(), perImage);
        checkValue(c, loss, labels, predictions, input.type(), reference);
    }

    @Test
    public void binaryCrossEntropy() {
        Fuzz.run(engine, manager, "binaryCrossEntropy", 300, LossFuzzTest::binaryCrossEntropyCase);
    }

    /** A shape of rank 1 to 4 with N in 0..3 (0 rarely) and other axes 0..5 (0 rarely). */
    private static Shape anyShape(FuzzCase c, int minRank, int maxRank) {
        int rank = c.intIn(minRank, maxRank);
        long[] dims = new long[rank];
        for (int axis = 0; axis < rank; axis++) {
            dims[axis] = c.chance(0.04) ? 0 : c.intIn(1, axis == 0 ? 3 : 5);
        }
        return new Shape(dims);
    }

    /** A shape that broadcasts to {@code shape}: each axis the same or 1. */
    private static Shape broadcastShape(FuzzCase c, Shape shape) {
        long[] dims = shape.getShape().clone();
        for (int axis = 0; axis < dims.length; axis++) {
            if (c.chance(0.4)) {
                dims[axis] = 1;
            }
        }
        return new Shape(dims);
    }

    /**
     * Draws non-negative weights of a shape that broadcasts to {@code shape} (0, 0.5, 1, 2 or a
     * fraction), sometimes invalid (a negative, NaN or infinite weight, or a shape that does not
     * broadcast) unless the case is invalid already.
     */
    private static HostArray elementWeights(FuzzCase c, Shape shape, String name) {
        Shape weightShape = broadcastShape(c, shape);
        if (!c.isInvalid() && c.chance(0.1) && shape.dimension() > 0) {
            long[] dims = weightShape.getShape().clone();
            int axis = c.intIn(0, dims.length - 1);
            dims[axis] = shape.get(axis) + 2; // neither the axis's size nor 1
            weightShape = new Shape(dims);
            c.markInvalid(name, "shape " + weightShape + " for " + shape);
        }
        double[] values = new double[(int) weightShape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = c.pick(0.0, 0.5, 1.0, 2.0, c.uniform(0, 3));
        }
        if (!c.isInvalid() && values.length > 0 && c.chance(0.1)) {
            double bad = c.pick(-1.0, -1e-3, Double.NaN, Double.POSITIVE_INFINITY);
            values[c.intIn(0, values.length - 1)] = bad;
            c.markInvalid(name, "value " + bad);
        }
        c.describe(name, weightShape);
        return new HostArray(values, weightShape).roundedTo(DataType.FLOAT32);
    }

    private static void binaryCrossEntropyCase(FuzzCase c) {
        Shape shape = anyShape(c, 1, 4);
        DataType type = Inputs.floatType(c);
        HostArray logits = Inputs.logits(c, shape, type);
        int ignore = c.chance(0.3) ? c.pick(255, -1, 2) : Inputs.NO_IGNORE;
        c.describe("ignoreIndex", ignore == Inputs.NO_IGNORE ? "none" : ignore);
        Inputs.Labels targets = Inputs.softTargets(c, shape, ignore, 0.2);
        int classes = shape.dimension() > 1 ? (int) shape.get(1) : 1;
        // no posWeight for an empty class axis: the builder needs at least one weight
        float[] posWeight =
                classes > 0 && c.chance(0.3) ? Inputs.classWeights(c, classes, "posWeight") : null;
        HostArray weights = c.chance(0.3) ? elementWeights(c, shape, "weights") : null;
        float smooth = c.chance(0.3) ? c.pick(0.05f, 0.1f, 0.45f) : 0f;
        logits = nonFinite(c, logits, "logits");
        c.describe("smoothFactor", smooth);
        BinaryCrossEntropyLoss.Builder builder =
                BinaryCrossEntropyLoss.builder()
                        .optSmoothFactor(smooth)
                        .optCheckFinite(checkFinite(c));
        if (ignore != Inputs.NO_IGNORE) {
            builder.optIgnoreIndex(ignore);
        }
        if (posWeight != null) {
            builder.optPosWeight(posWeight);
        }
        Loss loss = builder.build();
        NDList labels = new NDList(targets.create(c.manager()));
        if (weights != null) {
            labels.add(weights.create(c.manager(), DataType.FLOAT32));
        }
        NDArray x = logits.create(c.manager(), type);
        if (c.isInvalid()) {
            expectInvalid(c, loss, labels, new NDList(x));
            return;
        }
        CrossEntropyReference.Result reference =
                ElementwiseReference.binaryCrossEntropy(
                        logits.values(),
                        shape,
                        targets.values().values(),
                        weights == null ? null : weights.values(),
                        weights == null ? null : weights.shape(),
                        posWeight,
                        smooth,
                        ignore);
        Check.Evaluated result =
                Check.withGradients(c, () -> loss.evaluate(labels, new NDList(x)), x);
        Check.value(c, result.result(), type, reference.value());
        Check.gradient("logits", result.grads()[0], reference.grad());
    }

    @Test
    public void maskRcnnMask() {
        Fuzz.run(engine, manager, "maskRcnnMask", 250, LossFuzzTest::maskCase);
    }

    private static void maskCase(FuzzCase c) {
        Inputs.MaskInput input = Inputs.maskInput(c, true, null);
        HostArray logits = nonFinite(c, input.logits(), "maskLogits");
        Loss loss =
                MaskRcnnMaskLoss.builder()
                        .optClassAgnostic(input.agnostic())
                        .optCheckFinite(checkFinite(c))
                        .build();
        NDList labels =
                new NDList(
                        input.classIds().create(c.manager()), input.targets().create(c.manager()));
        NDArray x = logits.create(c.manager(), input.type());
        if (c.isInvalid()) {
            expectInvalid(c, loss, labels, new NDList(x));
            return;
        }
        Shape shape = input.shape();
        CrossEntropyReference.Result reference =
                ElementwiseReference.maskLoss(
                        input.logits().values(),
                        input.classIds().values().values(),
                        input.targets().values().values(),
                        (int) shape.get(0),
                        (int) shape.get(1),
                        (int) (shape.get(2) * shape.get(3)));
        Check.Evaluated result =
                Check.withGradients(c, () -> loss.evaluate(labels, new NDList(x)), x);
        Check.value(c, result.result(), input.type(), reference.value());
        Check.gradient("maskLogits", result.grads()[0], reference.grad());
    }

    @Test
    public void maskedL2() {
        Fuzz.run(engine, manager, "maskedL2", 200, LossFuzzTest::maskedL2Case);
    }

    private static void maskedL2Case(FuzzCase c) {
        Shape shape = anyShape(c, 0, 4);
        DataType type = Inputs.floatType(c);
        HostArray prediction = Inputs.logits(c, shape, type);
        Shape targetShape = shape;
        if (c.chance(0.05)) {
            targetShape = shape.add(2);
            c.markInvalid("target", "shape " + targetShape);
        }
        DataType targetType = c.pick(DataType.FLOAT32, DataType.FLOAT64, DataType.INT32);
        double scale = c.pick(1.0, 100.0, 1e4);
        double[] targetValues = new double[(int) targetShape.size()];
        for (int i = 0; i < targetValues.length; i++) {
            targetValues[i] =
                    targetType == DataType.INT32 ? c.intIn(-3, 3) : scale * c.uniform(-1, 1);
        }
        HostArray target = new HostArray(targetValues, targetShape).roundedTo(targetType);
        HostArray mask = c.chance(0.5) ? elementWeights(c, shape, "mask") : null;
        prediction = nonFinite(c, prediction, "prediction");
        c.describe("target", targetType + " x " + scale);
        Loss loss =
                c.chance(0.5) && !c.isInvalid()
                        ? new MaskedL2Loss()
                        : MaskedL2Loss.builder().optCheckFinite(checkFinite(c)).build();
        NDList labels = new NDList(target.create(c.manager(), targetType));
        if (mask != null) {
            labels.add(mask.create(c.manager(), DataType.FLOAT32));
        }
        NDArray x = prediction.create(c.manager(), type);
        if (c.isInvalid()) {
            expectInvalid(c, loss, labels, new NDList(x));
            return;
        }
        CrossEntropyReference.Result reference =
                ElementwiseReference.maskedL2(
                        prediction.values(),
                        shape,
                        target.values(),
                        mask == null ? null : mask.values(),
                        mask == null ? null : mask.shape());
        Check.Evaluated result =
                Check.withGradients(c, () -> loss.evaluate(labels, new NDList(x)), x);
        Check.value(c, result.result(), type, reference.value());
        Check.gradient("prediction", result.grads()[0], reference.grad());
    }

    @Test
    public void composites() {
        Fuzz.run(engine, manager, "composites", 200, LossFuzzTest::compositeCase);
    }

    /**
     * DeepSupervisionLoss (1 to 3 cross-entropy heads, some absent in the output), WeightedSumLoss
     * (cross-entropy plus Dice) and WeightedLoss: the weighted sum of the references of their
     * parts, with the gradient of every head.
     */
    private static void compositeCase(FuzzCase c) {
        String kind = c.pick("deepSupervision", "weightedSum", "weighted");
        c.describe("composite", kind);
        Shape shape = Inputs.logitShape(c, 2, 5, 1, 5);
        int n = (int) shape.get(0);
        int classes = (int) shape.get(1);
        DataType type = Inputs.floatType(c);
        int ignore = Inputs.ignoreIndex(c, classes, false);
        boolean check = c.chance(0.5);
        int heads = kind.equals("deepSupervision") ? c.intIn(1, 3) : 1;
        int present = kind.equals("deepSupervision") ? c.intIn(c.chance(0.05) ? 0 : 1, heads) : 1;
        if (present == 0) {
            // checked before the labels, so marked first
            c.markInvalid("predictions", "no head in the output");
        }
        Inputs.Labels labels = Inputs.classLabels(c, shape, ignore, 0.15);
        double[] y = labels.values().values();
        float[] weights = new float[heads];
        List<HostArray> logits = new ArrayList<>();
        // MONAI-style heads below (or above) the labels' size, scored on nearest-exact labels
        boolean resize = kind.equals("deepSupervision") && c.chance(0.4);
        List<Shape> headShapes = new ArrayList<>();
        for (int h = 0; h < heads; h++) {
            weights[h] = c.pick(1f, 0.4f, 0f, 2.5f);
            Shape headShape = h > 0 && resize ? resizedShape(c, shape) : shape;
            headShapes.add(headShape);
            logits.add(Inputs.logits(c, headShape, type));
        }
        c.describe("weights", java.util.Arrays.toString(weights)).describe("present", present);
        c.describe("resize", resize).describe("headShapes", headShapes);
        Loss loss;
        List<Bounded> parts = new ArrayList<>();
        switch (kind) {
            case "deepSupervision" -> {
                DeepSupervisionLoss.Builder builder =
                        DeepSupervisionLoss.builder().optCheckFinite(check).optResizeLabels(resize);
                for (int h = 0; h < heads; h++) {
                    builder.addHead(
                            PixelCrossEntropyLoss.builder().optIgnoreIndex(ignore).build(),
                            weights[h]);
                }
                loss = builder.build();
                for (int h = 0; h < present && !c.isInvalid(); h++) {
                    double[] headLabels = nearestExact(y, shape, headShapes.get(h));
                    parts.add(
                            CrossEntropyReference.crossEntropy(
                                            logits.get(h).values(),
                                            headLabels,
                                            n,
                                            classes,
                                            ignore,
                                            null,
                                            0f)
                                    .value()
                                    .times(weights[h]));
                }
            }
            case "weightedSum" -> {
                float dice = c.pick(1f, 0.5f, 0f);
                c.describe("diceWeight", dice);
                loss =
                        WeightedSumLoss.builder()
                                .add(
                                        PixelCrossEntropyLoss.builder()
                                                .optIgnoreIndex(ignore)
                                                .build(),
                                        weights[0])
                                .add(
                                        DiceLoss.builder()
                                                .setMode(SegmentationMode.MULTICLASS)
                                                .optIgnoreIndex(ignore)
                                                .build(),
                                        dice)
                                .optCheckFinite(check)
                                .build();
                if (!c.isInvalid()) {
                    parts.add(
                            CrossEntropyReference.crossEntropy(
                                            logits.get(0).values(), y, n, classes, ignore, null, 0f)
                                    .value()
                                    .times(weights[0]));
                    int pixels = CrossEntropyReference.pixels(logits.get(0).size(), n, classes);
                    Targets targets = Targets.of("MULTICLASS", y, n, classes, pixels, ignore);
                    OverlapReference.Settings settings =
                            new OverlapReference.Settings(
                                    "MULTICLASS",
                                    true,
                                    0f,
                                    1e-7f,
                                    false,
                                    null,
                                    null,
                                    false,
                                    false,
                                    0.5f,
                                    0.5f,
                                    1f);
                    parts.add(
                            OverlapReference.loss(logits.get(0).values(), targets, settings)
                                    .times(dice));
                }
            }
            default -> {
                loss =
                        WeightedLoss.builder()
                                .setLoss(
                                        PixelCrossEntropyLoss.builder()
                                                .optIgnoreIndex(ignore)
                                                .build())
                                .optWeight(weights[0])
                                .optCheckFinite(check)
                                .build();
                if (!c.isInvalid()) {
                    parts.add(
                            CrossEntropyReference.crossEntropy(
                                            logits.get(0).values(), y, n, classes, ignore, null, 0f)
                                    .value()
                                    .times(weights[0]));
                }
            }
        }
        NDList predictions = new NDList();
        for (int h = 0; h < present; h++) {
            predictions.add(logits.get(h).create(c.manager(), type));
        }
        NDList labelList = new NDList(labels.create(c.manager()));
        if (c.isInvalid()) {
            expectInvalid(c, loss, labelList, predictions);
            return;
        }
        Check.Evaluated result =
                Check.withGradients(
                        c,
                        () -> loss.evaluate(labelList, predictions),
                        predictions.toArray(new NDArray[0]));
        Check.value(c, result.result(), type, Bounded.sum(parts));
        for (int h = 0; h < present; h++) {
            Check.finite("predictions[" + h + "]", result.grads()[h]);
        }
    }

    /**
     * A head's shape: the batch and classes of {@code shape}, each spatial axis 1 to 2x it (an
     * empty axis stays empty: nothing resizes from 0 pixels, in PyTorch either).
     */
    private static Shape resizedShape(FuzzCase c, Shape shape) {
        long[] dims = shape.getShape().clone();
        for (int a = 2; a < dims.length; a++) {
            dims[a] = dims[a] == 0 ? 0 : c.intIn(1, (int) (2 * dims[a]));
        }
        return new Shape(dims);
    }

    /**
     * Labels {@code (N, d1..dk)} of logits {@code from} resized to the spatial size of {@code to}:
     * output index i of an axis of size m reads input index min(floor((i + 0.5) n / m), n - 1)
     * (PyTorch's nearest-exact), written out here per element.
     */
    private static double[] nearestExact(double[] labels, Shape from, Shape to) {
        if (from.equals(to)) {
            return labels;
        }
        int rank = from.dimension();
        long outPixels = to.slice(2).size();
        long inPixels = from.slice(2).size();
        long n = from.get(0);
        double[] out = new double[Math.toIntExact(n * outPixels)];
        for (int b = 0; b < n; b++) {
            for (long o = 0; o < outPixels; o++) {
                long rest = o;
                long source = 0;
                long stride = 1;
                for (int a = rank - 1; a >= 2; a--) {
                    long outSize = to.get(a);
                    long inSize = from.get(a);
                    long i = rest % outSize;
                    rest /= outSize;
                    long s = Math.min((long) Math.floor((i + 0.5) * inSize / outSize), inSize - 1);
                    source += s * stride;
                    stride *= inSize;
                }
                out[(int) (b * outPixels + o)] = labels[(int) (b * inPixels + source)];
            }
        }
        return out;
    }
}
