package io.github.segloss.enginetest.fuzz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
import io.github.segloss.inference.InstanceMasks;
import io.github.segloss.inference.SemanticPredictions;
import java.util.ArrayList;
import java.util.List;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Randomized test of the inference helpers against {@link InferenceReference}: {@link
 * SemanticPredictions#classMaps} on random logits (scales, ties, spikes) and a random size per
 * image, and {@link InstanceMasks} on random mask logits or probabilities, classes, mask sizes,
 * image sizes, thresholds and boxes (inside, across the border, wholly outside, of zero size,
 * reversed, the whole image, float32 or float64). A class id or mask pixel is compared exactly
 * wherever the float64 reference is not within float32 rounding of a tie (two classes, or the
 * probability and the threshold); the pasted probabilities within float32 rounding. Invalid input
 * must raise an {@link IllegalArgumentException} naming the argument.
 */
public class InferenceFuzzTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public InferenceFuzzTest(String engine) {
        super(engine);
    }

    @Test
    public void semanticClassMaps() {
        Fuzz.run(engine, manager, "semanticClassMaps", 120, InferenceFuzzTest::semanticCase);
    }

    private static void semanticCase(FuzzCase c) {
        int n = c.intIn(1, 3);
        int classes = c.chance(0.05) ? 0 : c.intIn(1, 5);
        int h = c.intIn(1, 6);
        int w = c.intIn(1, 6);
        List<Shape> sizes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sizes.add(new Shape(c.pick(h, c.intIn(1, 20)), c.pick(w, c.intIn(1, 20))));
        }
        c.describe("sizes", sizes);
        if (classes == 0) {
            c.markInvalid("logits", "C = 0");
        }
        if (!c.isInvalid() && c.chance(0.05)) {
            sizes.remove(sizes.size() - 1);
            c.markInvalid("sizes", "one size too few");
        }
        if (!c.isInvalid() && c.chance(0.05)) {
            sizes.set(0, new Shape(0, 3));
            c.markInvalid("sizes[0]", "height 0");
        }
        DataType type = Inputs.floatType(c);
        HostArray logits = Inputs.logits(c, new Shape(n, classes, h, w), type);
        NDArray x = logits.create(c.manager(), type);
        if (c.isInvalid()) {
            Check.illegalArgument(
                    () -> SemanticPredictions.classMaps(x, sizes), c.invalidArgument());
            return;
        }
        List<int[]> maps = SemanticPredictions.classMaps(x, sizes);
        double tie = 1e-5 * logits.maxAbs();
        int plane = h * w;
        for (int image = 0; image < n; image++) {
            int outH = (int) sizes.get(image).get(0);
            int outW = (int) sizes.get(image).get(1);
            double[][] up = new double[classes][];
            for (int k = 0; k < classes; k++) {
                double[] channel = new double[plane];
                System.arraycopy(logits.values(), (image * classes + k) * plane, channel, 0, plane);
                up[k] = InferenceReference.upsampled(channel, h, w, outH, outW);
            }
            int[] map = maps.get(image);
            if (map.length != outH * outW) {
                throw new AssertionError(
                        "image " + image + " has " + map.length + " ids, expected " + outH * outW);
            }
            for (int i = 0; i < map.length; i++) {
                int best = 0;
                for (int k = 1; k < classes; k++) {
                    best = up[k][i] > up[best][i] ? k : best;
                }
                boolean nearTie = false;
                for (int k = 0; k < classes; k++) {
                    nearTie |= k != best && up[best][i] - up[k][i] <= tie;
                }
                if (map[i] < 0 || map[i] >= classes || (!nearTie && map[i] != best)) {
                    throw new AssertionError(
                            "image "
                                    + image
                                    + " pixel "
                                    + i
                                    + ": class "
                                    + map[i]
                                    + ", expected "
                                    + best);
                }
            }
        }
    }

    @Test
    public void instanceMasks() {
        Fuzz.run(engine, manager, "instanceMasks", 150, InferenceFuzzTest::instanceCase);
    }

    /** Boxes of R detections on an H×W image: inside, across, outside, degenerate. */
    private static double[] boxes(FuzzCase c, int rois, int height, int width, boolean wide) {
        double[] boxes = new double[rois * 4];
        for (int r = 0; r < rois; r++) {
            String kind =
                    c.pick(
                            "inside",
                            "inside",
                            "across",
                            "across",
                            "outside",
                            "point",
                            "reversed",
                            "whole",
                            "subpixel");
            double x1 = c.uniform(0, width);
            double y1 = c.uniform(0, height);
            double bw = c.uniform(0.3, width);
            double bh = c.uniform(0.3, height);
            switch (kind) {
                case "across" -> {
                    x1 = c.uniform(-width, width);
                    y1 = c.uniform(-height, height);
                    bw = c.uniform(0.3, 2 * width);
                    bh = c.uniform(0.3, 2 * height);
                }
                case "outside" -> {
                    x1 = c.pick(c.uniform(-3 * width, -2 * width), c.uniform(width + 2, 3 * width));
                    y1 = c.uniform(-height, 2 * height);
                }
                case "point" -> {
                    bw = 0;
                    bh = 0;
                }
                case "reversed" -> {
                    bw = -bw / 2;
                    bh = -bh / 2;
                }
                case "whole" -> {
                    x1 = 0;
                    y1 = 0;
                    bw = width;
                    bh = height;
                }
                case "subpixel" -> {
                    bw = c.uniform(0, 0.9);
                    bh = c.uniform(0, 0.9);
                }
                default -> {}
            }
            double[] box = {x1, y1, x1 + bw, y1 + bh};
            for (int i = 0; i < 4; i++) {
                boxes[4 * r + i] = wide ? box[i] : (float) box[i];
            }
        }
        return boxes;
    }

    private static void instanceCase(FuzzCase c) {
        int rois = c.chance(0.1) ? 0 : c.intIn(1, 5);
        int classes = c.intIn(1, 3);
        int m = c.intIn(1, 8);
        int height = c.intIn(1, 20);
        int width = c.intIn(1, 20);
        boolean fromLogits = c.chance(0.7);
        boolean wide = c.chance(0.2);
        double threshold = c.pick(0.5, 0.5, 0.3, 0.9, 1.0);
        c.describe("rois", rois).describe("classes", classes).describe("m", m);
        c.describe("image", height + "x" + width).describe("fromLogits", fromLogits);
        c.describe("float64Boxes", wide).describe("threshold", threshold);
        Shape maskShape = new Shape(rois, classes, m, m);
        if (c.chance(0.04)) {
            maskShape = new Shape(rois, classes, m, m + 1);
            c.markInvalid(fromLogits ? "maskLogits" : "probabilities", "not square");
        }
        DataType type = Inputs.floatType(c);
        HostArray masks =
                fromLogits
                        ? Inputs.logits(c, maskShape, type)
                        : Inputs.probabilities(c, maskShape, false, type);
        double[] boxValues = boxes(c, rois, height, width, wide);
        Shape boxShape = new Shape(rois, 4);
        if (!c.isInvalid() && c.chance(0.04)) {
            boxShape = new Shape(rois, 5);
            boxValues = new double[rois * 5];
            c.markInvalid("boxes", "shape " + boxShape);
        }
        if (!c.isInvalid() && rois > 0 && c.chance(0.04)) {
            double bad = c.pick(Double.NaN, Double.NEGATIVE_INFINITY, 1e30);
            boxValues[c.intIn(0, boxValues.length - 1)] = bad;
            c.markInvalid("boxes", "value " + bad);
        }
        double[] ids = new double[rois];
        for (int r = 0; r < rois; r++) {
            ids[r] = c.intIn(0, classes - 1);
        }
        if (!c.isInvalid() && rois > 0 && classes > 1 && c.chance(0.05)) {
            double bad = c.pick((double) classes, -1.0, 0.5);
            ids[c.intIn(0, rois - 1)] = bad;
            c.markInvalid("classIds", "value " + bad);
        }
        DataType idType = c.pick(DataType.INT64, DataType.INT32, DataType.FLOAT32);
        if (ids.length > 0 && idType != DataType.FLOAT32) {
            boolean whole = true;
            for (double id : ids) {
                whole &= id == Math.rint(id) && id >= 0;
            }
            idType = whole ? idType : DataType.FLOAT32;
        }
        int imageHeight = height;
        if (!c.isInvalid() && c.chance(0.03)) {
            imageHeight = 0;
            c.markInvalid("height", "0");
        }
        if (fromLogits && !c.isInvalid() && c.chance(0.03)) {
            threshold = c.pick(0.0, 1.5, Double.NaN);
            c.markInvalid("threshold", String.valueOf(threshold));
        }
        NDArray x = masks.create(c.manager(), type);
        NDArray b =
                new HostArray(boxValues, boxShape)
                        .create(c.manager(), wide ? DataType.FLOAT64 : DataType.FLOAT32);
        NDArray classIds = new HostArray(ids, new Shape(rois)).create(c.manager(), idType);
        int finalHeight = imageHeight;
        double finalThreshold = threshold;
        if (c.isInvalid()) {
            Check.illegalArgument(
                    () -> run(x, b, classIds, finalHeight, width, finalThreshold, fromLogits),
                    c.invalidArgument());
            return;
        }
        NDArray[] out = run(x, b, classIds, height, width, threshold, fromLogits);
        Shape expectedShape = new Shape(rois, height, width);
        if (!out[0].getShape().equals(expectedShape)
                || !out[1].getShape().equals(expectedShape)
                || out[1].getDataType() != DataType.BOOLEAN) {
            throw new AssertionError(
                    "expected (R, H, W) probabilities and boolean masks, got "
                            + out[0].getShape()
                            + " and "
                            + out[1].getDataType()
                            + " "
                            + out[1].getShape());
        }
        double[] selected = new double[rois * m * m];
        for (int r = 0; r < rois; r++) {
            int k = classes == 1 ? 0 : (int) ids[r];
            for (int i = 0; i < m * m; i++) {
                double v = masks.values()[(r * classes + k) * m * m + i];
                selected[r * m * m + i] = fromLogits ? 1 / (1 + Math.exp(-v)) : v;
            }
        }
        double[] reference = InferenceReference.pasted(selected, m, boxValues, wide, height, width);
        double[] probabilities = out[0].toType(DataType.FLOAT64, false).toDoubleArray();
        Check.array("probabilities", probabilities, reference, 2e-6, 1e-5);
        boolean[] mask = out[1].toBooleanArray();
        for (int i = 0; i < reference.length; i++) {
            boolean nearThreshold = Math.abs(reference[i] - threshold) <= 1e-5;
            if (!nearThreshold && mask[i] != (reference[i] >= threshold)) {
                throw new AssertionError(
                        "mask pixel " + i + " is " + mask[i] + ", probability " + reference[i]);
            }
        }
    }

    /** The pasted probabilities and the masks, from logits or from probabilities. */
    private static NDArray[] run(
            NDArray x,
            NDArray boxes,
            NDArray classIds,
            int height,
            int width,
            double threshold,
            boolean fromLogits) {
        if (fromLogits) {
            NDArray masks = InstanceMasks.paste(x, boxes, classIds, height, width, threshold);
            // MXNet's sigmoid fails on an empty array (no detection)
            NDArray sigmoid = x.size() == 0 ? x : x.getNDArrayInternal().sigmoid();
            NDArray probabilities =
                    InstanceMasks.pasteProbabilities(sigmoid, boxes, classIds, height, width);
            return new NDArray[] {probabilities, masks};
        }
        NDArray probabilities = InstanceMasks.pasteProbabilities(x, boxes, classIds, height, width);
        return new NDArray[] {probabilities, probabilities.gte(threshold)};
    }
}
