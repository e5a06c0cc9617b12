package io.github.segloss.enginetest.fuzz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
import io.github.segloss.target.BilinearResize;
import io.github.segloss.target.MaskTargets;
import io.github.segloss.target.PointSampling;
import io.github.segloss.target.RoiAlign;
import java.util.ArrayList;
import java.util.List;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Randomized robustness test of the target helpers ({@link RoiAlign}, {@link MaskTargets}, {@link
 * BilinearResize}): seeded cases of random feature maps, boxes (inside, across and outside the
 * image, degenerate, reversed), batch indices of every type, output sizes and options. Valid input
 * must give the float64 reference of torchvision's and PyTorch's kernels within float32 rounding,
 * with the exact gradient of the features; invalid input must raise an {@link
 * IllegalArgumentException} naming the argument.
 */
public class TargetFuzzTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public TargetFuzzTest(String engine) {
        super(engine);
    }

    /** Boxes of R RoIs on an H×W map: inside, overlapping the border, outside or degenerate. */
    private static double[] boxes(FuzzCase c, int rois, int height, int width, double scale) {
        double[] boxes = new double[rois * 4];
        for (int r = 0; r < rois; r++) {
            double x1 = c.uniform(-3, width + 3) / scale;
            double y1 = c.uniform(-3, height + 3) / scale;
            String kind = c.pick("normal", "normal", "normal", "point", "reversed", "whole");
            double w = c.uniform(0.2, width + 2) / scale;
            double h = c.uniform(0.2, height + 2) / scale;
            switch (kind) {
                case "point" -> {
                    w = 0;
                    h = 0;
                }
                case "reversed" -> {
                    w = -w / 2;
                    h = -h / 2;
                }
                case "whole" -> {
                    x1 = 0;
                    y1 = 0;
                    w = width / scale;
                    h = height / scale;
                }
                default -> {}
            }
            boxes[4 * r] = (float) x1;
            boxes[4 * r + 1] = (float) y1;
            boxes[4 * r + 2] = (float) (x1 + w);
            boxes[4 * r + 3] = (float) (y1 + h);
        }
        return boxes;
    }

    /**
     * Indices in [0, images) of a drawn type, sometimes broken (out of range, negative,
     * fractional).
     */
    private static Inputs.Labels indices(FuzzCase c, int rois, int images, String name) {
        double[] values = new double[rois];
        for (int r = 0; r < rois; r++) {
            values[r] = c.intIn(0, Math.max(0, images - 1));
        }
        if (!c.isInvalid() && rois > 0 && c.chance(0.12)) {
            double bad = c.pick((double) images, -1.0, 0.5, 1e10, Double.NaN);
            values[c.intIn(0, rois - 1)] = bad;
            c.markInvalid(name, "value " + bad);
        }
        HostArray host = new HostArray(values, new Shape(rois));
        List<DataType> types = new ArrayList<>(List.of(DataType.FLOAT32, DataType.FLOAT64));
        for (DataType t : new DataType[] {DataType.INT32, DataType.INT64, DataType.UINT8}) {
            if (host.fits(t)) {
                types.add(t);
            }
        }
        DataType type = c.pick(types);
        c.describe(name, type);
        return new Inputs.Labels(host.roundedTo(type), type);
    }

    /** The output weight G of the gradient check, uniform in [-1, 1]. */
    private static HostArray outputWeight(FuzzCase c, Shape shape) {
        double[] values = new double[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = c.uniform(-1, 1);
        }
        return new HostArray(values, shape).roundedTo(DataType.FLOAT32);
    }

    /**
     * Compares an output and the gradient with the reference: float32 products of weights that sum
     * to at most 1 with the input, so an error of a few ulps of the largest input.
     */
    private static void compare(
            NDArray output, double[] gradient, ResamplingReference.Result reference, double scale) {
        double[] actual = output.toType(DataType.FLOAT64, false).toDoubleArray();
        Check.array("output", actual, reference.output(), 1e-5 * (1 + scale), 1e-4);
        Check.gradient("features", gradient, reference.grad(), 1e-5, 1e-4, 1e-5);
    }

    @Test
    public void roiAlign() {
        Fuzz.run(engine, manager, "roiAlign", 250, TargetFuzzTest::roiAlignCase);
    }

    private static void roiAlignCase(FuzzCase c) {
        int rois = c.chance(0.1) ? 0 : c.intIn(1, 5);
        int images = rois == 0 && c.chance(0.3) ? 0 : c.intIn(1, 3);
        int channels = c.intIn(1, 3);
        int height = c.intIn(1, 8);
        int width = c.intIn(1, 8);
        int outH = c.intIn(1, 5);
        int outW = c.intIn(1, 5);
        double spatialScale = c.pick(1.0, 1.0, 0.5, 0.25, 2.0);
        int samplingRatio = c.pick(0, 0, 1, 2, -1);
        boolean aligned = c.chance(0.5);
        c.describe("features", "(" + images + ", " + channels + ", " + height + ", " + width + ")");
        c.describe("rois", rois)
                .describe("output", outH + "x" + outW)
                .describe("spatialScale", spatialScale);
        c.describe("samplingRatio", samplingRatio).describe("aligned", aligned);
        Shape featureShape = new Shape(images, channels, height, width);
        DataType type = Inputs.floatType(c);
        HostArray features = Inputs.logits(c, featureShape, type);
        double[] boxValues = boxes(c, rois, height, width, spatialScale);
        Shape boxShape = new Shape(rois, 4);
        if (!c.isInvalid() && c.chance(0.05)) {
            boxShape = new Shape(rois, 5);
            boxValues = new double[rois * 5];
            c.markInvalid("boxes", "shape " + boxShape);
        }
        if (!c.isInvalid() && rois > 0 && c.chance(0.05)) {
            double bad = c.pick(Double.NaN, Double.POSITIVE_INFINITY);
            boxValues[c.intIn(0, boxValues.length - 1)] = bad;
            c.markInvalid("boxes", "value " + bad);
        }
        Inputs.Labels batchIndices = indices(c, rois, images, "batchIndices");
        RoiAlign align =
                RoiAlign.builder()
                        .setOutputSize(outH, outW)
                        .optSpatialScale(spatialScale)
                        .optSamplingRatio(samplingRatio)
                        .optAligned(aligned)
                        .build();
        NDArray x = features.create(c.manager(), type);
        NDArray boxArray = new HostArray(boxValues, boxShape).create(c.manager(), DataType.FLOAT32);
        NDArray indexArray = batchIndices.create(c.manager());
        if (c.isInvalid()) {
            Check.illegalArgument(() -> align.apply(x, boxArray, indexArray), c.invalidArgument());
            return;
        }
        HostArray weight = outputWeight(c, new Shape(rois, channels, outH, outW));
        NDArray g = weight.create(c.manager(), type);
        NDArray[] output = new NDArray[1];
        Check.Evaluated result =
                Check.withGradients(
                        c,
                        () -> {
                            output[0] = align.apply(x, boxArray, indexArray);
                            return output[0].mul(g).sum();
                        },
                        x);
        if (!output[0].getShape().equals(new Shape(rois, channels, outH, outW))
                || output[0].getDataType() != type) {
            throw new AssertionError(
                    "output must be "
                            + type
                            + " (R, C, outH, outW), got "
                            + output[0].getDataType()
                            + " "
                            + output[0].getShape());
        }
        int[] image = new int[rois];
        for (int r = 0; r < rois; r++) {
            image[r] = (int) batchIndices.values().values()[r];
        }
        ResamplingReference.Result reference =
                ResamplingReference.roiAlign(
                        features.values(),
                        images,
                        channels,
                        height,
                        width,
                        new HostArray(boxValues, boxShape).roundedTo(DataType.FLOAT32).values(),
                        image,
                        outH,
                        outW,
                        spatialScale,
                        samplingRatio,
                        aligned,
                        weight.values());
        compare(output[0], result.grads()[0], reference, features.maxAbs());
    }

    @Test
    public void maskTargets() {
        Fuzz.run(engine, manager, "maskTargets", 150, TargetFuzzTest::maskTargetsCase);
    }

    private static void maskTargetsCase(FuzzCase c) {
        int masks = c.intIn(1, 3);
        int rois = c.chance(0.1) ? 0 : c.intIn(1, 4);
        int height = c.intIn(1, 8);
        int width = c.intIn(1, 8);
        int m = c.chance(0.05) ? 0 : c.intIn(1, 6);
        boolean aligned = c.chance(0.5);
        DataType maskType =
                c.pick(
                        DataType.UINT8,
                        DataType.INT32,
                        DataType.FLOAT32,
                        DataType.FLOAT64,
                        DataType.BOOLEAN);
        c.describe("gtMasks", maskType + " (" + masks + ", " + height + ", " + width + ")");
        c.describe("rois", rois).describe("m", m).describe("aligned", aligned);
        double[] values = new double[masks * height * width];
        boolean soft = maskType == DataType.FLOAT32 || maskType == DataType.FLOAT64;
        for (int i = 0; i < values.length; i++) {
            values[i] = soft && c.chance(0.3) ? c.uniform(0, 1) : c.pick(0, 1);
        }
        HostArray gt = new HostArray(values, new Shape(masks, height, width)).roundedTo(maskType);
        double[] boxValues = boxes(c, rois, height, width, 1.0);
        Inputs.Labels matched = indices(c, rois, masks, "matchedIdxs");
        if (m < 1) {
            c.markInvalid("outputSize", "m = " + m);
        }
        NDArray gtArray = gt.create(c.manager(), maskType);
        NDArray boxArray =
                new HostArray(boxValues, new Shape(rois, 4)).create(c.manager(), DataType.FLOAT32);
        NDArray matchedArray = matched.create(c.manager());
        if (c.isInvalid()) {
            Check.illegalArgument(
                    () -> MaskTargets.project(gtArray, boxArray, matchedArray, m, aligned),
                    c.invalidArgument());
            return;
        }
        NDArray targets = MaskTargets.project(gtArray, boxArray, matchedArray, m, aligned);
        DataType expectedType = soft ? maskType : DataType.FLOAT32;
        if (!targets.getShape().equals(new Shape(rois, m, m))
                || targets.getDataType() != expectedType) {
            throw new AssertionError(
                    "targets must be "
                            + expectedType
                            + " (R, m, m), got "
                            + targets.getDataType()
                            + " "
                            + targets.getShape());
        }
        int[] image = new int[rois];
        for (int r = 0; r < rois; r++) {
            image[r] = (int) matched.values().values()[r];
        }
        ResamplingReference.Result reference =
                ResamplingReference.roiAlign(
                        gt.values(),
                        masks,
                        1,
                        height,
                        width,
                        new HostArray(boxValues, new Shape(rois, 4))
                                .roundedTo(DataType.FLOAT32)
                                .values(),
                        image,
                        m,
                        m,
                        1.0,
                        0,
                        aligned,
                        new double[rois * m * m]);
        double[] actual = targets.toType(DataType.FLOAT64, false).toDoubleArray();
        Check.array("targets", actual, reference.output(), 1e-5, 1e-4);
    }

    @Test
    public void bilinearResize() {
        Fuzz.run(engine, manager, "bilinearResize", 150, TargetFuzzTest::bilinearResizeCase);
    }

    private static void bilinearResizeCase(FuzzCase c) {
        int n = c.chance(0.1) ? 0 : c.intIn(1, 2);
        int channels = c.intIn(1, 3);
        int height = c.intIn(1, 7);
        int width = c.intIn(1, 7);
        int outH = c.chance(0.2) ? height : c.intIn(1, 9);
        int outW = c.chance(0.2) ? width : c.intIn(1, 9);
        boolean alignCorners = c.chance(0.5);
        c.describe("input", "(" + n + ", " + channels + ", " + height + ", " + width + ")");
        c.describe("output", outH + "x" + outW).describe("alignCorners", alignCorners);
        Shape shape = new Shape(n, channels, height, width);
        if (c.chance(0.05)) {
            shape = new Shape(n, channels, height);
            c.markInvalid("input", "rank 3");
        }
        if (!c.isInvalid() && c.chance(0.05)) {
            outH = 0;
            c.markInvalid("output size", "height 0");
        }
        DataType type = Inputs.floatType(c);
        HostArray input = Inputs.logits(c, shape, type);
        NDArray x = input.create(c.manager(), type);
        int height2 = outH;
        int width2 = outW;
        if (c.isInvalid()) {
            Check.illegalArgument(
                    () -> BilinearResize.resize(x, height2, width2, alignCorners),
                    c.invalidArgument());
            return;
        }
        HostArray weight = outputWeight(c, new Shape(n, channels, outH, outW));
        NDArray g = weight.create(c.manager(), type);
        NDArray[] output = new NDArray[1];
        Check.Evaluated result =
                Check.withGradients(
                        c,
                        () -> {
                            output[0] = BilinearResize.resize(x, height2, width2, alignCorners);
                            return output[0].mul(g).sum();
                        },
                        x);
        if (!output[0].getShape().equals(new Shape(n, channels, outH, outW))
                || output[0].getDataType() != type) {
            throw new AssertionError(
                    "output must be " + type + " (N, C, outH, outW), got " + output[0].getShape());
        }
        ResamplingReference.Result reference =
                ResamplingReference.bilinearResize(
                        input.values(),
                        n * channels,
                        height,
                        width,
                        outH,
                        outW,
                        alignCorners,
                        weight.values());
        compare(output[0], result.grads()[0], reference, input.maxAbs());
    }

    @Test
    public void pointSample() {
        Fuzz.run(engine, manager, "pointSample", 150, TargetFuzzTest::pointSampleCase);
    }

    private static void pointSampleCase(FuzzCase c) {
        int n = c.chance(0.1) ? 0 : c.intIn(1, 3);
        int channels = c.intIn(1, 3);
        int height = c.intIn(1, 7);
        int width = c.intIn(1, 7);
        int count = c.chance(0.1) ? 0 : c.intIn(1, 12);
        double spill = c.pick(0.0, 0.0, 0.3);
        c.describe("input", "(" + n + ", " + channels + ", " + height + ", " + width + ")");
        c.describe("points", count).describe("spill", spill);
        Shape shape = new Shape(n, channels, height, width);
        double[] xy = new double[n * count * 2];
        for (int i = 0; i < xy.length; i++) {
            // float32 values: the engine reads the points in float32
            xy[i] = (float) (double) c.pick(c.uniform(-spill, 1 + spill), 0.0, 1.0, 0.5);
        }
        Shape pointShape = new Shape(n, count, 2);
        if (c.chance(0.05)) {
            pointShape = new Shape(n, count, 3);
            xy = new double[n * count * 3];
            c.markInvalid("points", "shape " + pointShape);
        }
        if (!c.isInvalid() && xy.length > 0 && c.chance(0.05)) {
            double bad = c.pick(Double.NaN, Double.NEGATIVE_INFINITY);
            xy[c.intIn(0, xy.length - 1)] = bad;
            c.markInvalid("points", "value " + bad);
        }
        DataType type = Inputs.floatType(c);
        HostArray input = Inputs.logits(c, shape, type);
        NDArray x = input.create(c.manager(), type);
        NDArray points = new HostArray(xy, pointShape).create(c.manager(), DataType.FLOAT32);
        if (c.isInvalid()) {
            Check.illegalArgument(() -> PointSampling.sample(x, points), c.invalidArgument());
            return;
        }
        if (count == 0) {
            // nothing to sample: an empty result (MXNet records no empty array in its graph)
            NDArray empty = PointSampling.sample(x, points);
            if (!empty.getShape().equals(new Shape(n, channels, 0))
                    || empty.getDataType() != type) {
                throw new AssertionError("output must be " + type + " (N, C, 0), got " + empty);
            }
            return;
        }
        HostArray weight = outputWeight(c, new Shape(n, channels, count));
        NDArray g = weight.create(c.manager(), type);
        NDArray[] output = new NDArray[1];
        Check.Evaluated result =
                Check.withGradients(
                        c,
                        () -> {
                            output[0] = PointSampling.sample(x, points);
                            return output[0].mul(g).sum();
                        },
                        x);
        if (!output[0].getShape().equals(new Shape(n, channels, count))
                || output[0].getDataType() != type) {
            throw new AssertionError(
                    "output must be " + type + " (N, C, P), got " + output[0].getShape());
        }
        ResamplingReference.Result reference =
                ResamplingReference.pointSample(
                        input.values(), n, channels, height, width, xy, count, weight.values());
        compare(output[0], result.grads()[0], reference, input.maxAbs());
    }
}
