package io.github.segloss.example.eval;

import io.github.segloss.metric.BoundaryIoU;
import io.github.segloss.metric.IouType;
import io.github.segloss.metric.MaskApResult;
import io.github.segloss.metric.MaskAveragePrecision;
import io.github.segloss.target.MaskBoundary;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The instance part of an evaluation's counts (a mask checkpoint): for each image scored, its
 * COCOeval matches for mask AP ({@link MaskAveragePrecision}, segm) and for Boundary AP ({@link
 * IouType#BOUNDARY}), and the Boundary IoU of each instance's predicted mask with its ground truth
 * (dilation ratio {@value MaskBoundary#DEFAULT_DILATION_RATIO}). The image's crowd regions are
 * ground truths with iscrowd set, as COCOeval takes them: a detection that matches one is ignored.
 *
 * <p>The images are kept by their index in the dataset, and {@link #evaluate} adds them in index
 * order: COCOeval's accumulation depends on the order of images (ties of scores between images,
 * sums of doubles), so scores of disjoint parts {@link #merge} in any order and grouping into
 * exactly the numbers of one pass over the dataset. Unlike the confusion matrix, this state grows
 * with the images (the matches of each image and class, not its masks), as {@link
 * MaskAveragePrecision}'s does; it is {@link Serializable} (Spark sends it to the driver).
 */
public final class InstanceScores implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int numClasses;
    private final TreeMap<Integer, Image> images = new TreeMap<>();

    /**
     * The scores of one image.
     *
     * @param segm its mask-AP matches
     * @param boundary its Boundary-AP matches
     * @param boundaryIous the Boundary IoU of each instance with a defined one, in order
     */
    private record Image(
            MaskAveragePrecision segm, MaskAveragePrecision boundary, double[] boundaryIous)
            implements Serializable {

        private static final long serialVersionUID = 1L;
    }

    /**
     * Creates empty scores.
     *
     * @param numClasses the object classes C (the background not counted), at least 1
     * @throws IllegalArgumentException if numClasses is below 1
     */
    public InstanceScores(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException(
                    "numClasses (object classes) must be >= 1, got " + numClasses);
        }
        this.numClasses = numClasses;
    }

    /**
     * The instances of one image: the predicted mask of each ground-truth instance (on its
     * ground-truth box) and the ground truth, with the image's crowd regions.
     *
     * @param height the image height H
     * @param width the image width W
     * @param predicted the R predicted masks, H·W pixels row-major, in the ground truth's order
     * @param scores the R predictions' scores
     * @param classIds the R instances' object classes in {@code [0, C)}
     * @param truths the R ground-truth masks, H·W pixels row-major
     * @param crowdMasks the image's crowd regions (ground truths with iscrowd), H·W pixels each:
     *     COCOeval ignores a detection that matches one instead of counting it as a false positive
     * @param crowdClasses the crowd regions' object classes in {@code [0, C)}
     */
    public record Predicted(
            int height,
            int width,
            boolean[][] predicted,
            double[] scores,
            int[] classIds,
            boolean[][] truths,
            boolean[][] crowdMasks,
            int[] crowdClasses) {

        /**
         * The instances of an image without crowd regions.
         *
         * @param height the image height H
         * @param width the image width W
         * @param predicted the R predicted masks
         * @param scores the R predictions' scores
         * @param classIds the R instances' object classes
         * @param truths the R ground-truth masks
         */
        public Predicted(
                int height,
                int width,
                boolean[][] predicted,
                double[] scores,
                int[] classIds,
                boolean[][] truths) {
            this(height, width, predicted, scores, classIds, truths, new boolean[0][], new int[0]);
        }
    }

    /**
     * Adds one image.
     *
     * @param index the image's index in the dataset, not added before
     * @param image its instances
     * @throws IllegalArgumentException if the index was added before, or a length or class is bad
     */
    public void addImage(int index, Predicted image) {
        if (images.containsKey(index)) {
            throw new IllegalArgumentException("image " + index + " is already scored");
        }
        boolean[][] predicted = image.predicted();
        boolean[][] truths = image.truths();
        if (truths.length != predicted.length) {
            throw new IllegalArgumentException(
                    "truths must have one mask per prediction ("
                            + predicted.length
                            + "), got "
                            + truths.length);
        }
        int crowds = image.crowdMasks().length;
        if (image.crowdClasses().length != crowds) {
            throw new IllegalArgumentException(
                    "crowdClasses must have one class per crowd mask ("
                            + crowds
                            + "), got "
                            + image.crowdClasses().length);
        }
        boolean[][] groundTruths = Arrays.copyOf(truths, truths.length + crowds);
        System.arraycopy(image.crowdMasks(), 0, groundTruths, truths.length, crowds);
        int[] groundTruthClasses = Arrays.copyOf(image.classIds(), truths.length + crowds);
        System.arraycopy(image.crowdClasses(), 0, groundTruthClasses, truths.length, crowds);
        boolean[] crowdFlags = new boolean[truths.length + crowds];
        Arrays.fill(crowdFlags, truths.length, crowdFlags.length, true);
        MaskAveragePrecision segm = new MaskAveragePrecision(numClasses);
        MaskAveragePrecision boundary = boundaryAp();
        for (MaskAveragePrecision ap : List.of(segm, boundary)) {
            ap.addImage(
                    image.height(),
                    image.width(),
                    predicted,
                    image.scores(),
                    image.classIds(),
                    groundTruths,
                    groundTruthClasses,
                    crowdFlags);
        }
        double[] ious = new double[predicted.length];
        int defined = 0;
        for (int r = 0; r < predicted.length; r++) {
            double iou =
                    BoundaryIoU.of(
                            truths[r],
                            predicted[r],
                            image.height(),
                            image.width(),
                            MaskBoundary.DEFAULT_DILATION_RATIO);
            if (!Double.isNaN(iou)) {
                ious[defined++] = iou;
            }
        }
        images.put(index, new Image(segm, boundary, Arrays.copyOf(ious, defined)));
    }

    private MaskAveragePrecision boundaryAp() {
        return MaskAveragePrecision.builder()
                .setNumClasses(numClasses)
                .optIouType(IouType.BOUNDARY)
                .build();
    }

    /**
     * Adds the scores of other images (a disjoint part of the dataset).
     *
     * @param other the other scores, unchanged
     * @return these scores
     * @throws IllegalArgumentException if the other scores have another number of classes or share
     *     an image
     */
    public InstanceScores merge(InstanceScores other) {
        if (other.numClasses != numClasses) {
            throw new IllegalArgumentException(
                    "other must score " + numClasses + " object classes, got " + other.numClasses);
        }
        for (Integer index : other.images.keySet()) {
            if (images.containsKey(index)) {
                throw new IllegalArgumentException(
                        "image " + index + " is scored in both parts of a merge");
            }
        }
        images.putAll(other.images);
        return this;
    }

    /**
     * Returns the number of object classes C.
     *
     * @return C
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Returns the number of images scored.
     *
     * @return the count
     */
    public int images() {
        return images.size();
    }

    /**
     * Computes the numbers over every image, added in index order.
     *
     * @return mask AP, Boundary AP (COCOeval's stats, NaN where undefined), the mean Boundary IoU
     *     (NaN without instances)
     */
    public Report evaluate() {
        MaskAveragePrecision segm = new MaskAveragePrecision(numClasses);
        MaskAveragePrecision boundary = boundaryAp();
        double sum = 0;
        long count = 0;
        for (Map.Entry<Integer, Image> entry : images.entrySet()) {
            Image image = entry.getValue();
            segm.merge(image.segm());
            boundary.merge(image.boundary());
            for (double iou : image.boundaryIous()) {
                sum += iou;
                count++;
            }
        }
        return new Report(
                segm.evaluate(), boundary.evaluate(), count == 0 ? Double.NaN : sum / count);
    }

    /**
     * The numbers of an instance evaluation.
     *
     * @param maskAp COCOeval segm: the 12 stats and per-class AP
     * @param boundaryAp COCOeval with Boundary IoU: the 12 stats and per-class AP
     * @param meanBoundaryIoU the mean Boundary IoU of the instances with a defined one
     */
    public record Report(MaskApResult maskAp, MaskApResult boundaryAp, double meanBoundaryIoU) {}
}
