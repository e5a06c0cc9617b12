package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.metric.IouType;
import io.github.segloss.metric.MaskApResult;
import io.github.segloss.metric.MaskAveragePrecision;
import io.github.segloss.target.MaskBoundary;

/**
 * The datasets of the mask AP reference cases (generate_mask_ap.py, generate_boundary_ap.py):
 * images decoded from row-major run lengths, evaluations built from them, and the comparison with
 * COCOeval's numbers.
 */
public final class MaskApCases {

    /** numpy's mean sums pairwise, this one in order: only the last bits may differ. */
    public static final double TOLERANCE = 1e-12;

    private MaskApCases() {}

    /**
     * One image of a case.
     *
     * @param height the image height
     * @param width the image width
     * @param dtMasks the detections' masks, row-major
     * @param scores the detections' scores
     * @param dtClasses the detections' classes
     * @param gtMasks the ground truths' masks, row-major
     * @param gtClasses the ground truths' classes
     * @param gtCrowd the ground truths' iscrowd flags
     */
    public record Image(
            int height,
            int width,
            boolean[][] dtMasks,
            double[] scores,
            int[] dtClasses,
            boolean[][] gtMasks,
            int[] gtClasses,
            boolean[] gtCrowd) {

        /**
         * Adds this image to an evaluation from host arrays.
         *
         * @param ap the evaluation
         */
        public void addTo(MaskAveragePrecision ap) {
            ap.addImage(height, width, dtMasks, scores, dtClasses, gtMasks, gtClasses, gtCrowd);
        }

        /**
         * Adds this image to an evaluation from arrays of an engine (float masks and classes for
         * the detections, boolean masks and float classes for the ground truths).
         *
         * @param ap the evaluation
         * @param manager the engine's manager
         */
        public void addTo(MaskAveragePrecision ap, NDManager manager) {
            ap.addImage(
                    stack(manager, dtMasks).toType(DataType.FLOAT32, false),
                    manager.create(scores),
                    manager.create(dtClasses),
                    stack(manager, gtMasks),
                    manager.create(gtClasses).toType(DataType.FLOAT32, false),
                    manager.create(gtCrowd));
        }

        /**
         * Stacks masks of this image into one boolean array {@code (N, H, W)}.
         *
         * @param manager the manager
         * @param masks the masks
         * @return the array
         */
        public NDArray stack(NDManager manager, boolean[][] masks) {
            boolean[] pixels = new boolean[masks.length * height * width];
            for (int m = 0; m < masks.length; m++) {
                System.arraycopy(masks[m], 0, pixels, m * height * width, height * width);
            }
            return manager.create(pixels, new Shape(masks.length, height, width));
        }

        /**
         * The same image with other scores.
         *
         * @param newScores the detections' scores
         * @return the image
         */
        public Image withScores(double[] newScores) {
            return new Image(
                    height, width, dtMasks, newScores, dtClasses, gtMasks, gtClasses, gtCrowd);
        }
    }

    /**
     * Returns the number of images of a case.
     *
     * @param c the case
     * @return its images
     */
    public static int numImages(ReferenceCase c) {
        return c.params().get("numImages").getAsInt();
    }

    /**
     * Returns the number of classes of a case.
     *
     * @param c the case
     * @return its classes
     */
    public static int numClasses(ReferenceCase c) {
        return c.params().get("numClasses").getAsInt();
    }

    /**
     * Decodes image n of a case.
     *
     * @param c the case
     * @param n the image
     * @return the image
     */
    public static Image image(ReferenceCase c, int n) {
        double[] size = c.input("img" + n + "_size").data();
        int height = (int) size[0];
        int width = (int) size[1];
        return new Image(
                height,
                width,
                masks(c, "img" + n + "_dt", height * width),
                c.input("img" + n + "_scores").data(),
                ints(c.input("img" + n + "_dtClasses").data()),
                masks(c, "img" + n + "_gt", height * width),
                ints(c.input("img" + n + "_gtClasses").data()),
                bits(c.input("img" + n + "_gtCrowd").data()));
    }

    /**
     * Decodes every image of a case.
     *
     * @param c the case
     * @return the images in order
     */
    public static Image[] images(ReferenceCase c) {
        Image[] images = new Image[numImages(c)];
        for (int n = 0; n < images.length; n++) {
            images[n] = image(c, n);
        }
        return images;
    }

    /**
     * An empty evaluation of the case's classes, IoU type (param iouType, "segm" by default) and
     * dilation ratio.
     *
     * @param c the case
     * @return the evaluation
     */
    public static MaskAveragePrecision evaluation(ReferenceCase c) {
        boolean boundary =
                c.params().has("iouType")
                        && "boundary".equals(c.params().get("iouType").getAsString());
        return evaluation(c, boundary ? IouType.BOUNDARY : IouType.SEGM);
    }

    /**
     * An empty evaluation of the case's classes and dilation ratio with the given IoU type.
     *
     * @param c the case
     * @param iouType the IoU type
     * @return the evaluation
     */
    public static MaskAveragePrecision evaluation(ReferenceCase c, IouType iouType) {
        double ratio =
                c.params().has("dilationRatio")
                        ? c.params().get("dilationRatio").getAsDouble()
                        : MaskBoundary.DEFAULT_DILATION_RATIO;
        return MaskAveragePrecision.builder()
                .setNumClasses(numClasses(c))
                .optIouType(iouType)
                .optDilationRatio(ratio)
                .build();
    }

    /**
     * Requires COCOeval's stats and per-class AP within {@link #TOLERANCE} (NaN where COCOeval
     * writes -1).
     *
     * @param what the evaluation, for messages
     * @param result the numbers
     * @param stats COCOeval's stats[0..11]
     * @param perClassAp COCOeval's per-class AP
     */
    public static void assertMatches(
            String what, MaskApResult result, double[] stats, double[] perClassAp) {
        double[] actual = result.stats();
        assertEquals(actual.length, stats.length, what + " stats");
        for (int i = 0; i < stats.length; i++) {
            assertClose(what + " stats[" + i + "]", actual[i], stats[i]);
        }
        double[] perClass = result.perClassAp();
        assertEquals(perClass.length, perClassAp.length, what + " classes");
        for (int k = 0; k < perClass.length; k++) {
            assertClose(what + " AP of class " + k, perClass[k], perClassAp[k]);
        }
    }

    private static void assertClose(String what, double actual, double expected) {
        if (Double.isNaN(expected)
                ? !Double.isNaN(actual)
                : !(Math.abs(actual - expected) <= TOLERANCE)) {
            fail(what + " = " + actual + ", expected " + expected);
        }
    }

    private static boolean[][] masks(ReferenceCase c, String prefix, int pixels) {
        double[] runs = c.input(prefix + "Runs").data();
        double[] counts = c.input(prefix + "RunCounts").data();
        boolean[][] masks = new boolean[counts.length][pixels];
        int at = 0;
        for (int m = 0; m < counts.length; m++) {
            int p = 0;
            for (int r = 0; r < (int) counts[m]; r++) {
                int length = (int) runs[at++];
                for (int i = 0; i < length; i++) {
                    masks[m][p++] = r % 2 == 1;
                }
            }
            assertEquals(p, pixels, c.name() + " " + prefix + " mask " + m + " pixels");
        }
        return masks;
    }

    private static int[] ints(double[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (int) values[i];
        }
        return out;
    }

    private static boolean[] bits(double[] values) {
        boolean[] out = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] != 0;
        }
        return out;
    }
}
