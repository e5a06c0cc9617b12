package io.github.segloss.enginetest.fuzz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
import io.github.segloss.metric.SurfaceDice;
import io.github.segloss.metric.SurfaceDistance;
import io.github.segloss.metric.SurfaceDistance.Measure;
import java.util.Arrays;
import java.util.List;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Randomized test of {@link SurfaceDistance} and {@link SurfaceDice} on hidden shapes: 1 to 3
 * spatial axes, 0 to 3 images, 1 to 4 classes, class ids or logits, labels with or without a unit
 * axis, spacing, with or without the background, every measure, against the brute-force {@link
 * SurfaceReference}; a second evaluator fed the images one by one and merged gives the same
 * per-image values; labels out of range and a spacing of the wrong length must be named. See {@link
 * Fuzz} to rerun a case.
 */
public class SurfaceFuzzTest extends EngineTest {

    private static final String KEY = "fuzz";

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public SurfaceFuzzTest(String engine) {
        super(engine);
    }

    @Test
    public void surfaceMetrics() {
        Fuzz.run(engine, manager, "surfaceMetrics", 120, SurfaceFuzzTest::surfaceCase);
    }

    private static void surfaceCase(FuzzCase c) {
        int axes = c.intIn(1, 3);
        int n = c.intIn(c.chance(0.05) ? 0 : 1, 3);
        int classes = c.intIn(1, 4);
        int[] image = new int[axes];
        int size = 1;
        for (int k = 0; k < axes; k++) {
            image[k] = c.intIn(1, axes == 3 ? 5 : 8);
            size *= image[k];
        }
        boolean logits = c.chance(0.4);
        boolean unitAxis = !logits && c.chance(0.2);
        boolean background = c.chance(0.4);
        double[] spacing = new double[axes];
        for (int k = 0; k < axes; k++) {
            spacing[k] = c.pick(1.0, 0.5, 1.2, 2.25, c.uniform(0.2, 3));
        }
        // class ids without a spacing: a leading spatial axis of 1 would read as the unit axis
        boolean given = c.chance(0.6) || (!logits && image[0] == 1);
        double[] unit = new double[axes];
        Arrays.fill(unit, 1);
        String measure = c.pick("HD", "HD95", "HDp", "ASD", "NSD");
        boolean symmetric = c.chance(0.7);
        double percentile = measure.equals("HD95") ? 95 : c.pick(50.0, 99.0, 100.0, 12.5);
        double tolerance = c.pick(0.0, 1.0, 1.5, c.uniform(0, 4));
        int[] truth = new int[n * size];
        int[] predicted = new int[n * size];
        double density = c.pick(0.2, 0.5, 0.8);
        for (int i = 0; i < truth.length; i++) {
            truth[i] = c.chance(density) ? c.intIn(0, classes - 1) : 0;
            predicted[i] = c.chance(0.7) ? truth[i] : c.intIn(0, classes - 1);
        }
        c.describe("image", Arrays.toString(image))
                .describe("n", n)
                .describe("classes", classes)
                .describe("logits", logits)
                .describe("unitAxis", unitAxis)
                .describe("background", background)
                .describe("spacing", given ? Arrays.toString(spacing) : "none")
                .describe("measure", measure)
                .describe("symmetric", symmetric)
                .describe("percentile", percentile)
                .describe("tolerance", tolerance);
        boolean badSpacing = c.chance(0.05);
        if (badSpacing) {
            c.markInvalid("spacing's length", "a spacing of one axis too many");
        } else if (n > 0 && c.chance(0.05)) {
            truth[c.intIn(0, truth.length - 1)] = classes;
            c.markInvalid("labels", "a label out of range");
        }
        long[] labelDims = new long[axes + (unitAxis ? 2 : 1)];
        labelDims[0] = n;
        if (unitAxis) {
            labelDims[1] = 1;
        }
        for (int k = 0; k < axes; k++) {
            labelDims[labelDims.length - axes + k] = image[k];
        }
        NDArray labels =
                c.manager().create(truth, new Shape(labelDims)).toType(DataType.INT64, false);
        NDArray predictions;
        if (logits) {
            float[] values = new float[n * classes * size];
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < classes; k++) {
                    for (int i = 0; i < size; i++) {
                        boolean top = predicted[b * size + i] == k;
                        values[(b * classes + k) * size + i] =
                                (float) (c.uniform(-1, 1) + (top ? 4 : 0));
                    }
                }
            }
            long[] dims = new long[axes + 2];
            dims[0] = n;
            dims[1] = classes;
            for (int k = 0; k < axes; k++) {
                dims[2 + k] = image[k];
            }
            predictions = c.manager().create(values, new Shape(dims));
        } else {
            predictions =
                    c.manager()
                            .create(predicted, new Shape(labelDims))
                            .toType(DataType.INT32, false);
        }
        double[] used = given ? spacing : unit;
        double[] passed = badSpacing ? Arrays.copyOf(spacing, axes + 1) : spacing;
        if (badSpacing) {
            passed[axes] = 1;
        }
        Metric metric =
                metric(
                        measure,
                        classes,
                        background,
                        given || badSpacing ? passed : null,
                        symmetric,
                        percentile,
                        tolerance);
        metric.add(KEY);
        if (c.isInvalid()) {
            Check.illegalArgument(
                    () -> metric.update(KEY, labels, predictions), c.invalidArgument());
            return;
        }
        metric.update(KEY, labels, predictions);
        double[][] actual = metric.perImage(KEY);
        if (actual.length != n) {
            throw new AssertionError("images: " + actual.length + ", expected " + n);
        }
        int first = background || classes == 1 ? 0 : 1;
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < classes; k++) {
                double expected = Double.NaN;
                if (k >= first) {
                    List<int[]> p = SurfaceReference.surface(predicted, b * size, image, k);
                    List<int[]> t = SurfaceReference.surface(truth, b * size, image, k);
                    float[] pt = SurfaceReference.distances(p, t, used);
                    float[] tp = SurfaceReference.distances(t, p, used);
                    expected = reference(measure, pt, tp, symmetric, percentile, tolerance);
                }
                same("value[" + b + "][" + k + "]", actual[b][k], expected);
            }
        }
        // images one by one into another evaluator, merged: the same state
        Metric parts =
                metric(
                        measure,
                        classes,
                        background,
                        given ? spacing : null,
                        symmetric,
                        percentile,
                        tolerance);
        parts.add(KEY);
        for (int b = 0; b < n; b++) {
            Metric one =
                    metric(
                            measure,
                            classes,
                            background,
                            given ? spacing : null,
                            symmetric,
                            percentile,
                            tolerance);
            one.add(KEY);
            String at = b + ":" + (b + 1);
            one.update(KEY, labels.get(at), predictions.get(at));
            parts.merge(KEY, one.perImage(KEY));
        }
        if (!Arrays.deepEquals(parts.perImage(KEY), actual)) {
            throw new AssertionError("merged images differ from one update of all of them");
        }
    }

    private static double reference(
            String measure,
            float[] pt,
            float[] tp,
            boolean symmetric,
            double percentile,
            double tolerance) {
        switch (measure) {
            case "ASD":
                return symmetric ? SurfaceReference.mean(pt, tp) : SurfaceReference.mean(pt);
            case "NSD":
                return SurfaceReference.surfaceDice(pt, tp, tolerance);
            default:
                double p = measure.equals("HD") ? 0 : percentile;
                double a = SurfaceReference.hausdorff(pt, p);
                return symmetric ? Math.max(a, SurfaceReference.hausdorff(tp, p)) : a;
        }
    }

    private static void same(String what, double actual, double expected) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            if (Double.compare(actual, expected) != 0) {
                throw new AssertionError(what + " = " + actual + ", expected " + expected);
            }
            return;
        }
        Check.close(what, actual, expected, 1e-6 * Math.max(1, Math.abs(expected)));
    }

    /** The two evaluators behind one interface. */
    private interface Metric {
        void add(String key);

        void update(String key, NDArray labels, NDArray predictions);

        double[][] perImage(String key);

        void merge(String key, double[][] rows);
    }

    private static Metric metric(
            String measure,
            int classes,
            boolean background,
            double[] spacing,
            boolean symmetric,
            double percentile,
            double tolerance) {
        if (measure.equals("NSD")) {
            SurfaceDice.Builder builder =
                    SurfaceDice.builder()
                            .setNumClasses(classes)
                            .setTolerance(tolerance)
                            .optIncludeBackground(background);
            if (spacing != null) {
                builder.optSpacing(spacing);
            }
            SurfaceDice dice = builder.build();
            return new Metric() {
                public void add(String key) {
                    dice.addAccumulator(key);
                }

                public void update(String key, NDArray labels, NDArray predictions) {
                    dice.updateAccumulator(key, new NDList(labels), new NDList(predictions));
                }

                public double[][] perImage(String key) {
                    return dice.getPerImage(key);
                }

                public void merge(String key, double[][] rows) {
                    dice.mergePerImage(key, rows);
                }
            };
        }
        SurfaceDistance.Builder builder =
                SurfaceDistance.builder()
                        .setNumClasses(classes)
                        .optIncludeBackground(background)
                        .optSymmetric(symmetric);
        if (spacing != null) {
            builder.optSpacing(spacing);
        }
        if (measure.equals("ASD")) {
            builder.optMeasure(Measure.AVERAGE);
        } else if (!measure.equals("HD")) {
            builder.optPercentile(percentile);
        }
        SurfaceDistance distance = builder.build();
        return new Metric() {
            public void add(String key) {
                distance.addAccumulator(key);
            }

            public void update(String key, NDArray labels, NDArray predictions) {
                distance.updateAccumulator(key, new NDList(labels), new NDList(predictions));
            }

            public double[][] perImage(String key) {
                return distance.getPerImage(key);
            }

            public void merge(String key, double[][] rows) {
                distance.mergePerImage(key, rows);
            }
        };
    }
}
