package io.github.segloss.enginetest.fuzz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
import io.github.segloss.metric.BoundaryIoU;
import io.github.segloss.target.MaskBoundary;
import java.util.Arrays;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Randomized test of {@link BoundaryIoU} and {@link MaskBoundary} against a brute-force reference
 * that does literally what boundary-iou-api does: pad the mask with one zero pixel, erode it {@code
 * d} times with a 3×3 minimum (the border beyond the padding never erodes, as in OpenCV) and
 * subtract, per class and image, in O(pixels · d) per class, with the width computed from Python's
 * rounding in {@link java.math.BigDecimal} arithmetic rather than {@link Math#rint}. Random image
 * sizes (1 to 13 pixels a side), 1 to 5 classes, ignored pixels, blocky or noisy labels,
 * predictions as logits or class ids, labels with and without the class axis, and ratios from 0 to
 * 0.6; the accumulation of two batches must equal the summed reference counts exactly. Invalid
 * labels must raise an {@link IllegalArgumentException} naming them and count nothing.
 */
public class BoundaryIoUFuzzTest extends EngineTest {

    private static final String KEY = "fuzz";

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public BoundaryIoUFuzzTest(String engine) {
        super(engine);
    }

    /** A batch with its labels and predicted classes on the host. */
    private record Batch(NDList labels, NDList predictions, int[] truth, int[] predicted) {}

    /** Python's {@code max(1, int(round(ratio * sqrt(h² + w²))))}, halves to even. */
    static int referenceDilation(int height, int width, double ratio) {
        double product = ratio * Math.sqrt((double) height * height + (double) width * width);
        long rounded =
                new java.math.BigDecimal(product)
                        .setScale(0, java.math.RoundingMode.HALF_EVEN)
                        .longValueExact();
        return (int) Math.max(1, rounded);
    }

    /** The API's mask_to_boundary by literal iterated 3×3 erosion of the padded mask. */
    static boolean[] referenceBoundary(boolean[] mask, int height, int width, int d) {
        int ph = height + 2;
        int pw = width + 2;
        boolean[] padded = new boolean[ph * pw];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                padded[(y + 1) * pw + x + 1] = mask[y * width + x];
            }
        }
        for (int iteration = 0; iteration < d; iteration++) {
            boolean[] eroded = new boolean[padded.length];
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    boolean all = true;
                    for (int dy = -1; dy <= 1 && all; dy++) {
                        for (int dx = -1; dx <= 1 && all; dx++) {
                            int yy = y + dy;
                            int xx = x + dx;
                            // outside the padded image counts as foreground (OpenCV's erode border)
                            boolean inside = yy >= 0 && yy < ph && xx >= 0 && xx < pw;
                            all = !inside || padded[yy * pw + xx];
                        }
                    }
                    eroded[y * pw + x] = all;
                }
            }
            padded = eroded;
        }
        boolean[] boundary = new boolean[mask.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boundary[y * width + x] = mask[y * width + x] && !padded[(y + 1) * pw + x + 1];
            }
        }
        return boundary;
    }

    /** Per-class boundary intersections [0] and unions [1] of a batch, by the reference. */
    private static long[][] referenceCounts(
            int[] truth, int[] predicted, int h, int w, int classes, int ignore, double ratio) {
        long[][] counts = new long[2][classes];
        int size = h * w;
        int d = referenceDilation(h, w, ratio);
        for (int start = 0; start < truth.length; start += size) {
            for (int c = 0; c < classes; c++) {
                boolean[] g = new boolean[size];
                boolean[] p = new boolean[size];
                for (int i = 0; i < size; i++) {
                    g[i] = truth[start + i] == c;
                    p[i] = predicted[start + i] == c;
                }
                boolean[] gb = referenceBoundary(g, h, w, d);
                boolean[] pb = referenceBoundary(p, h, w, d);
                for (int i = 0; i < size; i++) {
                    if (truth[start + i] != ignore) {
                        counts[0][c] += gb[i] && pb[i] ? 1 : 0;
                        counts[1][c] += gb[i] || pb[i] ? 1 : 0;
                    }
                }
            }
        }
        return counts;
    }

    /** Class maps: blocks of a random size filled with one class, or pixel noise. */
    private static int[] classMap(FuzzCase c, int n, int h, int w, int classes) {
        int[] map = new int[n * h * w];
        int block = c.pick(1, 2, 3, 4);
        int[] cells = new int[n * (h / block + 1) * (w / block + 1)];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = c.intIn(0, classes - 1);
        }
        int rows = h / block + 1;
        int cols = w / block + 1;
        for (int k = 0; k < n; k++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    map[(k * h + y) * w + x] = cells[(k * rows + y / block) * cols + x / block];
                }
            }
        }
        return map;
    }

    private static Batch batch(
            FuzzCase c,
            String name,
            int n,
            int h,
            int w,
            int classes,
            int ignore,
            boolean classAxis) {
        int[] truth = classMap(c, n, h, w, classes);
        int[] predicted = truth.clone();
        for (int i = 0; i < predicted.length; i++) {
            if (c.chance(0.2)) {
                predicted[i] = c.intIn(0, classes - 1);
            }
            if (c.chance(0.1)) {
                truth[i] = ignore;
            }
        }
        Shape labelShape = classAxis ? new Shape(n, 1, h, w) : new Shape(n, h, w);
        NDArray labels =
                c.manager().create(Arrays.stream(truth).asLongStream().toArray(), labelShape);
        NDArray predictions;
        // logits of the labels' shape (one class, labels with the class axis) read as class ids
        if (c.chance(0.5) || (classes == 1 && classAxis)) {
            c.describe(name, "class ids");
            predictions = c.manager().create(predicted, labelShape);
        } else {
            c.describe(name, "logits");
            // the predicted class leads by 2, the noise stays below 1: one argmax
            float[] logits = new float[n * classes * h * w];
            for (int k = 0; k < n; k++) {
                for (int cl = 0; cl < classes; cl++) {
                    for (int i = 0; i < h * w; i++) {
                        int pixel = k * h * w + i;
                        logits[(k * classes + cl) * h * w + i] =
                                (float) c.uniform(0, 1) + (predicted[pixel] == cl ? 2 : 0);
                    }
                }
            }
            predictions = c.manager().create(logits, new Shape(n, classes, h, w));
        }
        return new Batch(new NDList(labels), new NDList(predictions), truth, predicted);
    }

    @Test
    public void boundaryIoU() {
        Fuzz.run(engine, manager, "boundaryIoU", 120, BoundaryIoUFuzzTest::boundaryIoUCase);
    }

    private static void boundaryIoUCase(FuzzCase c) {
        int classes = c.intIn(1, 5);
        int h = c.intIn(1, 13);
        int w = c.intIn(1, 13);
        int ignore = c.pick(255, -1, classes - 1);
        double ratio = c.pick(0.0, 0.02, 0.1, 0.3, c.uniform(0, 0.6));
        boolean classAxis = c.chance(0.3);
        c.describe("classes", classes)
                .describe("size", h + "x" + w)
                .describe("ignore", ignore)
                .describe("ratio", ratio)
                .describe("classAxis", classAxis);
        BoundaryIoU metric = new BoundaryIoU("b", classes, ignore, ratio);
        metric.addAccumulator(KEY);
        if (c.chance(0.1)) {
            c.markInvalid("labels", "class " + classes);
            NDArray labels = c.manager().full(new Shape(1, h, w), classes + 7, DataType.INT64);
            Check.illegalArgument(
                    () ->
                            metric.updateAccumulator(
                                    KEY,
                                    new NDList(labels),
                                    new NDList(c.manager().zeros(new Shape(1, classes, h, w)))),
                    "labels");
            if (!Arrays.equals(metric.getUnion(KEY), new long[classes])) {
                throw new AssertionError(
                        "invalid labels counted " + Arrays.toString(metric.getUnion(KEY)));
            }
            return;
        }
        Batch first = batch(c, "first", c.intIn(1, 3), h, w, classes, ignore, classAxis);
        Batch second = batch(c, "second", c.intIn(1, 2), h, w, classes, ignore, classAxis);
        metric.updateAccumulator(KEY, first.labels(), first.predictions());
        metric.updateAccumulator(KEY, second.labels(), second.predictions());
        long[][] a =
                referenceCounts(first.truth(), first.predicted(), h, w, classes, ignore, ratio);
        long[][] b =
                referenceCounts(second.truth(), second.predicted(), h, w, classes, ignore, ratio);
        long[] intersection = new long[classes];
        long[] union = new long[classes];
        double sum = 0;
        int measured = 0;
        for (int k = 0; k < classes; k++) {
            intersection[k] = a[0][k] + b[0][k];
            union[k] = a[1][k] + b[1][k];
            if (union[k] > 0) {
                sum += (double) intersection[k] / union[k];
                measured++;
            }
        }
        if (!Arrays.equals(metric.getIntersection(KEY), intersection)
                || !Arrays.equals(metric.getUnion(KEY), union)) {
            throw new AssertionError(
                    "intersections "
                            + Arrays.toString(metric.getIntersection(KEY))
                            + " and unions "
                            + Arrays.toString(metric.getUnion(KEY))
                            + ", expected "
                            + Arrays.toString(intersection)
                            + " and "
                            + Arrays.toString(union));
        }
        float expected = measured == 0 ? Float.NaN : (float) (sum / measured);
        float actual = metric.getAccumulator(KEY);
        if (Float.compare(actual, expected) != 0) {
            throw new AssertionError("mean " + actual + ", expected " + expected);
        }
        // the public helper on one mask: the first image's class-0 mask
        boolean[] mask = new boolean[h * w];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = first.truth()[i] == 0;
        }
        boolean[] expectedBoundary = referenceBoundary(mask, h, w, referenceDilation(h, w, ratio));
        if (!Arrays.equals(MaskBoundary.of(mask, h, w, ratio), expectedBoundary)) {
            throw new AssertionError("boundary of the first image's class-0 mask differs");
        }
    }
}
