package io.github.segloss.enginetest.fuzz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
import io.github.segloss.loss.BoundaryLoss;
import io.github.segloss.loss.HausdorffDTLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.target.DistanceMaps;
import java.util.Arrays;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Randomized test of {@link DistanceMaps#euclidean(NDArray, double...)}, {@link BoundaryLoss} and
 * {@link HausdorffDTLoss} on hidden shapes (see {@link Inputs}): the transform against a
 * brute-force transform (ranks 1 to 3, batched images, spacing, empty, all-zero and all-nonzero
 * images), the losses' values and gradients against float64 references built on it ({@link
 * DistanceReference}), and invalid labels, settings and non-finite logits against the error that
 * must name them. See {@link Fuzz} to rerun a case.
 */
public class DistanceFuzzTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public DistanceFuzzTest(String engine) {
        super(engine);
    }

    @Test
    public void euclideanTransform() {
        Fuzz.run(engine, manager, "euclideanTransform", 200, DistanceFuzzTest::transformCase);
    }

    private static void transformCase(FuzzCase c) {
        int axes = c.intIn(1, 3);
        int leading = c.intIn(0, 2);
        long[] dims = new long[leading + axes];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = i < leading ? c.intIn(c.chance(0.05) ? 0 : 1, 3) : c.intIn(1, 6);
        }
        Shape shape = new Shape(dims);
        double density = c.pick(0.0, 0.1, 0.5, 0.9, 1.0);
        double[] values = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = c.chance(density) ? c.pick(1.0, -2.0, 0.5, 7.0) : 0.0;
        }
        double[] sampling = new double[axes];
        for (int k = 0; k < axes; k++) {
            sampling[k] = c.pick(1.0, 0.5, 1.5, 2.25, c.uniform(0.1, 3));
        }
        boolean given = leading > 0 || c.chance(0.5);
        c.describe("input", shape + " density " + density)
                .describe("sampling", given ? Arrays.toString(sampling) : "none");
        if (c.chance(0.08)) {
            sampling[c.intIn(0, axes - 1)] =
                    c.pick(0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY);
            c.markInvalid("sampling", "a bad spacing");
            given = true;
        }
        NDArray input = new HostArray(values, shape).create(c.manager(), DataType.FLOAT32);
        double[] spacing = given ? sampling : new double[0];
        if (c.isInvalid()) {
            Check.illegalArgument(() -> DistanceMaps.euclidean(input, spacing), "sampling");
            return;
        }
        float[] actual = DistanceMaps.euclidean(input, spacing).toFloatArray();
        int[] image = new int[axes];
        int size = 1;
        for (int k = 0; k < axes; k++) {
            image[k] = (int) dims[leading + k];
            size *= image[k];
        }
        boolean[] nonzero = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            nonzero[i] = values[i] != 0;
        }
        double[] unit = new double[axes];
        Arrays.fill(unit, 1);
        for (int start = 0; start < values.length; start += size) {
            double[] expected =
                    DistanceReference.euclidean(nonzero, start, image, given ? sampling : unit);
            for (int i = 0; i < size; i++) {
                Check.close(
                        "distance[" + (start + i) + "]",
                        actual[start + i],
                        expected[i],
                        1e-6 + 1e-6 * expected[i]);
            }
        }
    }

    @Test
    public void distanceLosses() {
        Fuzz.run(engine, manager, "distanceLosses", 250, DistanceFuzzTest::lossCase);
    }

    private static void lossCase(FuzzCase c) {
        String mode = c.pick("BINARY", "MULTICLASS", "MULTICLASS", "MULTILABEL");
        boolean fromLogits = c.chance(0.8);
        Inputs.Segmentation input = Inputs.segmentation(c, mode, fromLogits, 0.15);
        Shape shape = input.shape();
        boolean boundary = c.chance(0.5);
        c.describe("loss", boundary ? "BoundaryLoss" : "HausdorffDTLoss");
        boolean binary = mode.equals("BINARY");
        int classes = input.classes();
        int spatial = shape.dimension() - 2;
        double[] sampling = null;
        if (spatial > 0 && c.chance(0.3)) {
            sampling = new double[spatial];
            for (int k = 0; k < spatial; k++) {
                sampling[k] = c.pick(0.5, 1.5, 2.25);
            }
            c.describe("sampling", Arrays.toString(sampling));
        }
        float[] weights =
                !binary && c.chance(0.3) ? Inputs.classWeights(c, classes, "classWeights") : null;
        int[] chosen = boundary && !binary ? Inputs.selectedClasses(c, classes) : null;
        float alpha = boundary ? 2f : c.pick(2f, 2f, 1f, 0.5f, 0f);
        boolean background = !boundary && c.chance(0.5);
        boolean givenMaps = boundary && c.chance(0.3);
        c.describe("alpha", alpha).describe("includeBackground", background);
        c.describe("fromLogits", fromLogits).describe("givenMaps", givenMaps);
        HostArray predictions = input.predictions();
        if (!c.isInvalid() && spatial > 0 && predictions.size() > 0 && c.chance(0.05)) {
            double[] values = predictions.values().clone();
            values[c.intIn(0, values.length - 1)] = Double.NaN;
            predictions = new HostArray(values, shape);
            c.markInvalid("logits must be finite", "NaN");
        }
        Loss loss =
                build(
                        c,
                        boundary,
                        mode,
                        fromLogits,
                        input,
                        new Settings(sampling, weights, chosen, alpha, background));
        NDArray x = predictions.create(c.manager(), input.type());
        NDList labels = new NDList(input.labels().create(c.manager()));
        if (spatial == 0) { // (N, C) logits have no image to transform
            Check.illegalArgument(() -> loss.evaluate(labels, new NDList(x)), "logits", "k >= 1");
            return;
        }
        if (c.isInvalid()) {
            Check.illegalArgument(() -> loss.evaluate(labels, new NDList(x)), c.invalidArgument());
            return;
        }
        Targets targets = input.targets();
        int n = input.n();
        int pixels = targets.pixels();
        int[] image = new int[spatial];
        for (int k = 0; k < spatial; k++) {
            image[k] = (int) shape.get(2 + k);
        }
        double[] spacing = sampling;
        if (spacing == null) {
            spacing = new double[spatial];
            Arrays.fill(spacing, 1);
        }
        double[] p = probabilities(mode, fromLogits, predictions.values(), n, classes, pixels);
        double[] t = targets.target();
        boolean[] inTarget = new boolean[t.length];
        boolean[] inPrediction = new boolean[t.length];
        boolean ambiguous = false;
        for (int i = 0; i < t.length; i++) {
            inTarget[i] = t[i] > 0.5;
            inPrediction[i] = p[i] > 0.5;
            ambiguous |= Math.abs(p[i] - 0.5) < 1e-4;
        }
        double[] term = new double[t.length];
        double[] derivative = new double[t.length];
        double[] maps = new double[t.length];
        for (int start = 0; start < t.length; start += Math.max(1, pixels)) {
            if (pixels == 0) {
                break;
            }
            double[] a;
            double[] b = null;
            if (boundary) {
                a = DistanceReference.signed(inTarget, start, image, spacing);
            } else {
                a = DistanceReference.field(inTarget, start, image, spacing);
                b = DistanceReference.field(inPrediction, start, image, spacing);
            }
            for (int i = 0; i < pixels; i++) {
                int at = start + i;
                if (boundary) {
                    maps[at] = a[i];
                    term[at] = p[at] * a[i];
                    derivative[at] = a[i];
                } else {
                    double d = Math.pow(b[i], alpha) + Math.pow(a[i], alpha);
                    double e = p[at] - t[at];
                    term[at] = e * e * d;
                    derivative[at] = 2 * e * d;
                }
            }
        }
        if (givenMaps) {
            labels.add(new HostArray(maps, shape).create(c.manager(), DataType.FLOAT32));
        }
        double[] selection = new double[classes];
        for (int k = 0; k < classes; k++) {
            boolean counts;
            if (chosen != null) {
                int kk = k;
                counts = Arrays.stream(chosen).anyMatch(s -> s == kk);
            } else if (boundary) {
                counts = !(mode.equals("MULTICLASS") && classes > 1 && k == 0);
            } else {
                counts = background || classes == 1 || k > 0;
            }
            selection[k] = counts ? (weights == null ? 1 : weights[k]) : 0;
        }
        double[] reference =
                DistanceReference.classMean(
                        term, derivative, targets.valid(), selection, n, classes, pixels);
        double[] scale = new double[term.length];
        for (int i = 0; i < term.length; i++) {
            scale[i] = Math.abs(term[i]);
        }
        double bound =
                DistanceReference.classMean(
                                scale,
                                scale,
                                targets.valid(),
                                absolute(selection),
                                n,
                                classes,
                                pixels)[0]
                        * (64 + t.length)
                        * Bounded.U;
        Check.Evaluated result =
                Check.withGradients(c, () -> loss.evaluate(labels, new NDList(x)), x);
        if (!boundary && ambiguous && input.type() != DataType.FLOAT64) {
            c.markLoose(); // a probability within rounding of the 0.5 threshold
            Check.finite("logits", result.grads()[0]);
            return;
        }
        Check.value(c, result.result(), input.type(), new Bounded(reference[0], bound));
        double[] gradP = Arrays.copyOfRange(reference, 1, reference.length);
        Bounded[] grad = chain(mode, fromLogits, p, gradP, n, classes, pixels);
        Check.gradient("logits", result.grads()[0], grad);
    }

    private static double[] absolute(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.abs(values[i]);
        }
        return out;
    }

    /** The drawn settings of a loss. */
    private record Settings(
            double[] sampling, float[] weights, int[] chosen, float alpha, boolean background) {}

    private static Loss build(
            FuzzCase c,
            boolean boundary,
            String mode,
            boolean fromLogits,
            Inputs.Segmentation input,
            Settings settings) {
        double[] sampling = settings.sampling();
        float[] weights = settings.weights();
        boolean checkFinite =
                (c.isInvalid() && c.invalidArgument().endsWith("must be finite")) || c.chance(0.3);
        if (boundary) {
            BoundaryLoss.Builder builder =
                    BoundaryLoss.builder()
                            .setMode(SegmentationMode.valueOf(mode))
                            .optFromLogits(fromLogits)
                            .optCheckFinite(checkFinite);
            if (input.ignore() != Inputs.NO_IGNORE) {
                builder.optIgnoreIndex(input.ignore());
            }
            if (sampling != null) {
                builder.optSampling(sampling);
            }
            if (weights != null) {
                builder.optClassWeights(weights);
            }
            if (settings.chosen() != null) {
                builder.optClasses(settings.chosen());
            }
            return builder.build();
        }
        HausdorffDTLoss.Builder builder =
                HausdorffDTLoss.builder()
                        .setMode(SegmentationMode.valueOf(mode))
                        .optAlpha(settings.alpha())
                        .optIncludeBackground(settings.background())
                        .optFromLogits(fromLogits)
                        .optCheckFinite(checkFinite);
        if (input.ignore() != Inputs.NO_IGNORE) {
            builder.optIgnoreIndex(input.ignore());
        }
        if (sampling != null) {
            builder.optSampling(sampling);
        }
        if (weights != null) {
            builder.optClassWeights(weights);
        }
        return builder.build();
    }

    /** Softmax over the classes (MULTICLASS), sigmoid (otherwise), or the values as given. */
    private static double[] probabilities(
            String mode, boolean fromLogits, double[] x, int n, int classes, int pixels) {
        if (!fromLogits) {
            return x.clone();
        }
        double[] p = new double[x.length];
        if (!mode.equals("MULTICLASS")) {
            for (int i = 0; i < x.length; i++) {
                p[i] = 1 / (1 + Math.exp(-x[i]));
            }
            return p;
        }
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < pixels; s++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    max = Math.max(max, x[(b * classes + k) * pixels + s]);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    sum += Math.exp(x[(b * classes + k) * pixels + s] - max);
                }
                for (int k = 0; k < classes; k++) {
                    int at = (b * classes + k) * pixels + s;
                    p[at] = Math.exp(x[at] - max) / sum;
                }
            }
        }
        return p;
    }

    /** The gradient with respect to the predictions from the one with respect to p. */
    private static Bounded[] chain(
            String mode,
            boolean fromLogits,
            double[] p,
            double[] g,
            int n,
            int classes,
            int pixels) {
        Bounded[] out = new Bounded[g.length];
        if (!fromLogits) {
            for (int i = 0; i < g.length; i++) {
                out[i] = new Bounded(g[i], 8 * Bounded.U * Math.abs(g[i]));
            }
            return out;
        }
        if (!mode.equals("MULTICLASS")) {
            for (int i = 0; i < g.length; i++) {
                double v = g[i] * p[i] * (1 - p[i]);
                out[i] = new Bounded(v, 16 * Bounded.U * Math.abs(g[i]) * p[i]);
            }
            return out;
        }
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < pixels; s++) {
                double dot = 0;
                double abs = 0;
                for (int k = 0; k < classes; k++) {
                    int at = (b * classes + k) * pixels + s;
                    dot += p[at] * g[at];
                    abs += p[at] * Math.abs(g[at]);
                }
                for (int k = 0; k < classes; k++) {
                    int at = (b * classes + k) * pixels + s;
                    double v = p[at] * (g[at] - dot);
                    out[at] = new Bounded(v, 16 * Bounded.U * p[at] * (Math.abs(g[at]) + abs));
                }
            }
        }
        return out;
    }
}
