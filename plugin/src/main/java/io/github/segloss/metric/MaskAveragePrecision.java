package io.github.segloss.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.target.MaskBoundary;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * COCO mask AP, equal to pycocotools' {@code COCOeval} with iouType "segm" and its default
 * parameters: IoU thresholds .50:.05:.95, 101 recall thresholds, max detections 1, 10 and 100 per
 * image and class (AP uses 100), area ranges all, small (under 32² pixels), medium (32² to 96²) and
 * large (over 96²) by the ground truth's mask area, per class.
 *
 * <p>Per image and class the detections, sorted by score (ties in input order) and cut to 100, are
 * matched greedily to the ground truths as {@code COCOeval.evaluateImg} does: each takes the free
 * ground truth of the highest IoU at least the threshold, non-ignored ground truths first. A crowd
 * ground truth ({@code iscrowd}) is ignored: its IoU is {@code |dt ∩ gt| / |dt|}, it can absorb any
 * number of detections, which are then ignored, and it is never a false negative.
 *
 * <p>The state is the per-image matches (per class and area range: the detections' scores, their
 * matched and ignored flags per IoU threshold and the number of counted ground truths), not the
 * masks, so {@link #merge} combines evaluations of different devices or processes and any split of
 * the images gives the same numbers. Images count in the order they were added (merged ones after
 * this one's); that order, like COCOeval's image ids, only breaks ties of equal scores between
 * images.
 *
 * <p>With {@link IouType#BOUNDARY} ({@link #builder()}) it is the Boundary AP of Cheng et al. (CVPR
 * 2021), equal to boundary-iou-api's {@code COCOeval} with iouType "boundary": against a ground
 * truth that is not a crowd region the IoU is the smaller of the mask IoU and the IoU of the two
 * masks' boundaries ({@link MaskBoundary#of(boolean[], int, int, double)}, {@code dilationRatio}
 * 0.02 of the image diagonal by default); against a crowd region it stays the mask IoU. Everything
 * else is COCOeval's.
 *
 * <p>Each image's masks are packed into 64-pixel words per row with their bounding boxes ({@code
 * BitMasks}): a pair of masks whose boxes do not overlap costs nothing, and the others one {@link
 * Long#bitCount} per word of the boxes' overlap, instead of one step per pixel.
 *
 * <pre>{@code
 * MaskAveragePrecision boundaryAp = MaskAveragePrecision.builder()
 *         .setNumClasses(80)
 *         .optIouType(IouType.BOUNDARY)
 *         .build();
 * }</pre>
 *
 * <p>This is not a DJL {@code Evaluator}: its inputs are per-image instance lists of different
 * lengths (detections with scores and classes, ground truths with crowd flags), which do not fit an
 * evaluator's one-label-one-prediction {@code NDList}s, and COCO AP is not a per-batch
 * accumulation. Callers add images and call {@link #evaluate()}.
 *
 * <p>It is {@link Serializable} (its state is the per-image matches, not the masks), so that
 * partial evaluations of other processes (Spark executors) travel to the one that merges them.
 */
public final class MaskAveragePrecision implements Serializable {

    private static final long serialVersionUID = 1L;

    /** COCOeval's max detections per image and class. */
    static final int[] MAX_DETS = {1, 10, 100};

    /** COCOeval's area ranges in pixels: all, small, medium, large (both ends inclusive). */
    static final double[][] AREAS = {{0, 1e10}, {0, 32 * 32}, {32 * 32, 96 * 96}, {96 * 96, 1e10}};

    private static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);
    private static final double[] RECALL_THRESHOLDS = linspace(0, 1, 101);

    private final int numClasses;
    private final IouType iouType;
    private final double dilationRatio;
    private final ArrayList<CocoMatches[][]> images = new ArrayList<>();

    /**
     * Creates an empty evaluation of COCO mask AP ({@link IouType#SEGM}).
     *
     * @param numClasses the number of classes C, at least 1; class ids are in {@code [0, C)}
     * @throws IllegalArgumentException if C is less than 1
     */
    public MaskAveragePrecision(int numClasses) {
        this(numClasses, IouType.SEGM, MaskBoundary.DEFAULT_DILATION_RATIO);
    }

    private MaskAveragePrecision(int numClasses, IouType iouType, double dilationRatio) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.iouType = iouType;
        this.dilationRatio = dilationRatio;
    }

    /**
     * Reads a serialized evaluation and checks that its state is one that {@link #addImage} could
     * have built, so that a corrupt or hand-made stream is refused instead of giving wrong numbers
     * or failing later in {@link #evaluate()}.
     *
     * @param in the stream
     * @throws InvalidObjectException naming the field whose value is impossible
     * @throws IOException if the stream cannot be read
     * @throws ClassNotFoundException if a class of the stream is missing
     */
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (numClasses < 1 || iouType == null || images == null) {
            throw new InvalidObjectException(
                    "MaskAveragePrecision: numClasses must be at least 1 and iouType and images"
                            + " set, got numClasses "
                            + numClasses
                            + ", iouType "
                            + iouType);
        }
        if (!(dilationRatio >= 0) || !Double.isFinite(dilationRatio)) {
            throw new InvalidObjectException(
                    "MaskAveragePrecision: dilationRatio must be finite and >= 0, got "
                            + dilationRatio);
        }
        for (int n = 0; n < images.size(); n++) {
            CocoMatches[][] image = images.get(n);
            if (image == null || image.length != numClasses) {
                throw new InvalidObjectException(
                        "MaskAveragePrecision: image "
                                + n
                                + " must hold numClasses = "
                                + numClasses
                                + " classes, got "
                                + (image == null ? "null" : image.length));
            }
            for (int c = 0; c < numClasses; c++) {
                requireMatches(image[c], n, c);
            }
        }
    }

    private static void requireMatches(CocoMatches[] byArea, int image, int classId)
            throws InvalidObjectException {
        String where = "MaskAveragePrecision: image " + image + ", class " + classId;
        if (byArea == null || byArea.length != AREAS.length) {
            throw new InvalidObjectException(where + " must hold " + AREAS.length + " area ranges");
        }
        int maxDetections = MAX_DETS[MAX_DETS.length - 1];
        for (CocoMatches matches : byArea) {
            if (matches == null) {
                continue; // no detection and no ground truth
            }
            double[] scores = matches.scores();
            boolean consistent =
                    scores != null
                            && scores.length <= maxDetections
                            && matches.gtCount() >= 0
                            && rows(matches.matched(), scores.length)
                            && rows(matches.ignored(), scores.length);
            for (int d = 0; consistent && d < scores.length; d++) {
                consistent = Double.isFinite(scores[d]) && (d == 0 || scores[d] <= scores[d - 1]);
            }
            if (!consistent) {
                throw new InvalidObjectException(
                        where
                                + " has impossible matches: at most "
                                + maxDetections
                                + " finite scores in descending order, one row per IoU threshold"
                                + " of their length, and a ground-truth count >= 0");
            }
        }
    }

    private static boolean rows(boolean[][] flags, int detections) {
        if (flags == null || flags.length != IOU_THRESHOLDS.length) {
            return false;
        }
        for (boolean[] row : flags) {
            if (row == null || row.length != detections) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns a builder; {@link Builder#setNumClasses} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** numpy's linspace(start, stop, num): i · step + start, the last value exactly stop. */
    private static double[] linspace(double start, double stop, int num) {
        double step = (stop - start) / (num - 1);
        double[] values = new double[num];
        for (int i = 0; i < num; i++) {
            values[i] = i * step + start;
        }
        values[num - 1] = stop;
        return values;
    }

    /**
     * Returns the IoU thresholds, as COCOeval's {@code params.iouThrs}.
     *
     * @return .50, .55, ..., .95
     */
    public static double[] iouThresholds() {
        return IOU_THRESHOLDS.clone();
    }

    /**
     * Returns the number of classes C.
     *
     * @return C
     */
    public int getNumClasses() {
        return numClasses;
    }

    /**
     * Returns how detections and ground truths are compared.
     *
     * @return {@link IouType#SEGM} (mask AP) or {@link IouType#BOUNDARY} (Boundary AP)
     */
    public IouType getIouType() {
        return iouType;
    }

    /**
     * Returns the boundaries' width as a ratio of the image diagonal (used by {@link
     * IouType#BOUNDARY} only).
     *
     * @return the dilation ratio
     */
    public double getDilationRatio() {
        return dilationRatio;
    }

    /**
     * Returns the number of images added (merged ones included).
     *
     * @return the number of images
     */
    public int getNumImages() {
        return images.size();
    }

    /** Forgets every image. */
    public void reset() {
        images.clear();
    }

    /**
     * Adds the images of another evaluation (of another device, process or slice of the data) after
     * this one's.
     *
     * @param other an evaluation with the same number of classes, IoU type and dilation ratio; it
     *     is not changed
     * @throws IllegalArgumentException if the numbers of classes, the IoU types or the dilation
     *     ratios differ
     */
    public void merge(MaskAveragePrecision other) {
        if (other.numClasses != numClasses) {
            throw new IllegalArgumentException(
                    "other must have numClasses " + numClasses + ", got " + other.numClasses);
        }
        if (other.iouType != iouType) {
            throw new IllegalArgumentException(
                    "other must have iouType " + iouType + ", got " + other.iouType);
        }
        if (iouType == IouType.BOUNDARY
                && Double.compare(other.dilationRatio, dilationRatio) != 0) {
            throw new IllegalArgumentException(
                    "other must have dilationRatio "
                            + dilationRatio
                            + ", got "
                            + other.dilationRatio);
        }
        images.addAll(new ArrayList<>(other.images));
    }

    /**
     * Adds one image given as host arrays.
     *
     * @param height the image height H
     * @param width the image width W
     * @param dtMasks the D detections' binary masks, each H·W pixels row-major
     * @param scores the D detections' scores, finite
     * @param dtClasses the D detections' class ids in {@code [0, C)}
     * @param gtMasks the G ground truths' binary masks, each H·W pixels row-major
     * @param gtClasses the G ground truths' class ids in {@code [0, C)}
     * @param gtCrowd the G ground truths' iscrowd flags
     * @throws IllegalArgumentException naming the argument if a length, class id or score is bad
     */
    public void addImage(
            int height,
            int width,
            boolean[][] dtMasks,
            double[] scores,
            int[] dtClasses,
            boolean[][] gtMasks,
            int[] gtClasses,
            boolean[] gtCrowd) {
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException(
                    "height and width must be at least 0, got " + height + " × " + width);
        }
        int d = dtMasks.length;
        int g = gtMasks.length;
        requireLength("scores", scores.length, d, "dtMasks");
        requireLength("dtClasses", dtClasses.length, d, "dtMasks");
        requireLength("gtClasses", gtClasses.length, g, "gtMasks");
        requireLength("gtCrowd", gtCrowd.length, g, "gtMasks");
        requireSizes(dtMasks, "dtMasks", height, width);
        requireSizes(gtMasks, "gtMasks", height, width);
        for (int i = 0; i < d; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException(
                        "scores[" + i + "] must be finite, got " + scores[i]);
            }
        }
        requireClasses(dtClasses, "dtClasses");
        requireClasses(gtClasses, "gtClasses");
        BitMasks dt = new BitMasks(dtMasks, height, width);
        BitMasks gt = new BitMasks(gtMasks, height, width);
        BitMasks dtBoundaries = null;
        BitMasks gtBoundaries = null;
        if (iouType == IouType.BOUNDARY) {
            dtBoundaries =
                    new BitMasks(
                            InstanceBoundaries.of(dtMasks, dt, height, width, dilationRatio),
                            height,
                            width);
            gtBoundaries =
                    new BitMasks(
                            InstanceBoundaries.of(gtMasks, gt, height, width, dilationRatio),
                            height,
                            width);
        }
        PairIous pairs = new PairIous(dt, gt, dtBoundaries, gtBoundaries, gtCrowd);
        CocoMatches[][] image = new CocoMatches[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            image[c] = matchClass(c, scores, dtClasses, gtClasses, gtCrowd, pairs);
        }
        images.add(image);
    }

    /**
     * Adds one image given as arrays of any engine (read on the host).
     *
     * @param dtMasks the detections' binary masks {@code (D, H, W)}, boolean or 0 and 1
     * @param scores the detections' scores {@code (D)}
     * @param dtClasses the detections' class ids {@code (D)}, whole numbers in {@code [0, C)}
     * @param gtMasks the ground truths' binary masks {@code (G, H, W)}
     * @param gtClasses the ground truths' class ids {@code (G)}
     * @param gtCrowd the ground truths' iscrowd flags {@code (G)}, boolean or 0 and 1
     * @throws IllegalArgumentException naming the argument if a shape or value is bad
     */
    public void addImage(
            NDArray dtMasks,
            NDArray scores,
            NDArray dtClasses,
            NDArray gtMasks,
            NDArray gtClasses,
            NDArray gtCrowd) {
        Shape shape = dtMasks.getShape();
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException(
                    "dtMasks must be masks (D, H, W), got shape " + shape);
        }
        Shape gtShape = gtMasks.getShape();
        if (gtShape.dimension() != 3
                || gtShape.get(1) != shape.get(1)
                || gtShape.get(2) != shape.get(2)) {
            throw new IllegalArgumentException(
                    "gtMasks must be masks (G, "
                            + shape.get(1)
                            + ", "
                            + shape.get(2)
                            + ") like dtMasks, got shape "
                            + gtShape);
        }
        int height = (int) shape.get(1);
        int width = (int) shape.get(2);
        int d = (int) shape.get(0);
        int g = (int) gtShape.get(0);
        double[] scoreValues = vector(scores, "scores", d);
        double[] gtCrowdValues = vector(gtCrowd, "gtCrowd", g);
        boolean[] crowd = new boolean[g];
        for (int j = 0; j < g; j++) {
            if (gtCrowdValues[j] != 0 && gtCrowdValues[j] != 1) {
                throw new IllegalArgumentException(
                        "gtCrowd[" + j + "] must be 0 or 1, got " + gtCrowdValues[j]);
            }
            crowd[j] = gtCrowdValues[j] != 0;
        }
        addImage(
                height,
                width,
                split(MaskBoundary.hostMask(dtMasks, "dtMasks"), d),
                scoreValues,
                classIds(vector(dtClasses, "dtClasses", d), "dtClasses"),
                split(MaskBoundary.hostMask(gtMasks, "gtMasks"), g),
                classIds(vector(gtClasses, "gtClasses", g), "gtClasses"),
                crowd);
    }

    /**
     * Computes COCOeval's numbers over every image added.
     *
     * @return the summary and per-class AP (NaN where COCOeval writes -1)
     */
    public MaskApResult evaluate() {
        CocoAccumulation acc =
                new CocoAccumulation(
                        images,
                        IOU_THRESHOLDS,
                        RECALL_THRESHOLDS,
                        MAX_DETS,
                        numClasses,
                        AREAS.length);
        int last = MAX_DETS.length - 1;
        double[] perClass = new double[numClasses];
        for (int k = 0; k < numClasses; k++) {
            perClass[k] = acc.averagePrecision(-1, 0, last, k);
        }
        return new MaskApResult(
                acc.averagePrecision(-1, 0, last, -1),
                acc.averagePrecision(0, 0, last, -1),
                acc.averagePrecision(5, 0, last, -1),
                acc.averagePrecision(-1, 1, last, -1),
                acc.averagePrecision(-1, 2, last, -1),
                acc.averagePrecision(-1, 3, last, -1),
                acc.averageRecall(0, 0),
                acc.averageRecall(0, 1),
                acc.averageRecall(0, last),
                acc.averageRecall(1, last),
                acc.averageRecall(2, last),
                acc.averageRecall(3, last),
                perClass);
    }

    private CocoMatches[] matchClass(
            int c,
            double[] scores,
            int[] dtClasses,
            int[] gtClasses,
            boolean[] gtCrowd,
            PairIous pairs) {
        int[] gts = IntStream.range(0, gtClasses.length).filter(j -> gtClasses[j] == c).toArray();
        // np.argsort(-score, kind='mergesort') then [:maxDets[-1]]
        int[] dts =
                IntStream.range(0, dtClasses.length)
                        .filter(i -> dtClasses[i] == c)
                        .boxed()
                        .sorted(Comparator.comparingDouble(i -> -scores[i]))
                        .limit(MAX_DETS[MAX_DETS.length - 1])
                        .mapToInt(Integer::intValue)
                        .toArray();
        if (gts.length == 0 && dts.length == 0) {
            return new CocoMatches[AREAS.length];
        }
        double[][] ious = new double[dts.length][gts.length];
        for (int i = 0; i < dts.length; i++) {
            for (int j = 0; j < gts.length; j++) {
                ious[i][j] = pairs.iou(dts[i], gts[j]);
            }
        }
        double[] dtScores = new double[dts.length];
        long[] dtArea = new long[dts.length];
        for (int i = 0; i < dts.length; i++) {
            dtScores[i] = scores[dts[i]];
            dtArea[i] = pairs.dtArea(dts[i]);
        }
        long[] gtArea = new long[gts.length];
        boolean[] crowd = new boolean[gts.length];
        for (int j = 0; j < gts.length; j++) {
            gtArea[j] = pairs.gtArea(gts[j]);
            crowd[j] = gtCrowd[gts[j]];
        }
        CocoMatches[] byArea = new CocoMatches[AREAS.length];
        for (int a = 0; a < AREAS.length; a++) {
            byArea[a] =
                    CocoMatches.match(
                            ious,
                            dtScores,
                            dtArea,
                            gtArea,
                            crowd,
                            IOU_THRESHOLDS,
                            AREAS[a][0],
                            AREAS[a][1]);
        }
        return byArea;
    }

    private static void requireSizes(boolean[][] masks, String name, int height, int width) {
        for (int i = 0; i < masks.length; i++) {
            if (masks[i] == null || (long) masks[i].length != (long) height * width) {
                throw new IllegalArgumentException(
                        name
                                + "["
                                + i
                                + "] must hold height × width = "
                                + height
                                + " × "
                                + width
                                + " pixels, got "
                                + (masks[i] == null ? "null" : masks[i].length));
            }
        }
    }

    private void requireClasses(int[] classes, String name) {
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 0 || classes[i] >= numClasses) {
                throw new IllegalArgumentException(
                        name
                                + "["
                                + i
                                + "] must be a class in [0, "
                                + numClasses
                                + "), got "
                                + classes[i]);
            }
        }
    }

    private static void requireLength(String name, int actual, int expected, String of) {
        if (actual != expected) {
            throw new IllegalArgumentException(
                    name + " must hold one value per " + of + " (" + expected + "), got " + actual);
        }
    }

    private static double[] vector(NDArray array, String name, int length) {
        if (!array.getShape().equals(new Shape(length))) {
            throw new IllegalArgumentException(
                    name + " must have shape (" + length + "), got " + array.getShape());
        }
        if (length == 0) {
            return new double[0];
        }
        return array.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private static int[] classIds(double[] values, String name) {
        int[] ids = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != Math.rint(values[i]) || Math.abs(values[i]) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        name + "[" + i + "] must be a whole class id, got " + values[i]);
            }
            ids[i] = (int) values[i];
        }
        return ids;
    }

    private static boolean[][] split(boolean[] pixels, int count) {
        boolean[][] masks = new boolean[count][];
        int size = count == 0 ? 0 : pixels.length / count;
        for (int i = 0; i < count; i++) {
            masks[i] = Arrays.copyOfRange(pixels, i * size, (i + 1) * size);
        }
        return masks;
    }

    /** Builds a {@link MaskAveragePrecision}. */
    public static final class Builder {

        private Integer numClasses;
        private IouType iouType = IouType.SEGM;
        private double dilationRatio = MaskBoundary.DEFAULT_DILATION_RATIO;

        private Builder() {}

        /**
         * Sets the number of classes C (required); class ids are in {@code [0, C)}.
         *
         * @param numClasses C, at least 1
         * @return this builder
         */
        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /**
         * Sets how detections and ground truths are compared (default {@link IouType#SEGM}, COCO
         * mask AP; {@link IouType#BOUNDARY} gives Boundary AP).
         *
         * @param iouType the IoU type
         * @return this builder
         * @throws IllegalArgumentException if the type is null
         */
        public Builder optIouType(IouType iouType) {
            if (iouType == null) {
                throw new IllegalArgumentException("iouType must be SEGM or BOUNDARY, got null");
            }
            this.iouType = iouType;
            return this;
        }

        /**
         * Sets the boundaries' width as a ratio of the image diagonal for {@link IouType#BOUNDARY}
         * (default {@link MaskBoundary#DEFAULT_DILATION_RATIO}, 0.02, as boundary-iou-api).
         *
         * @param dilationRatio the ratio, finite and >= 0
         * @return this builder
         * @throws IllegalArgumentException if the ratio is negative, NaN or infinite
         */
        public Builder optDilationRatio(double dilationRatio) {
            MaskBoundary.dilation(0, 0, dilationRatio);
            this.dilationRatio = dilationRatio;
            return this;
        }

        /**
         * Builds an empty evaluation.
         *
         * @return the evaluation
         * @throws IllegalArgumentException if the number of classes was not set or is below 1
         */
        public MaskAveragePrecision build() {
            if (numClasses == null) {
                throw new IllegalArgumentException(
                        "numClasses must be set with setNumClasses, got none");
            }
            return new MaskAveragePrecision(numClasses, iouType, dilationRatio);
        }
    }
}
