package io.github.segloss.metric;

/**
 * The IoU of a detection and a ground truth of one image as COCOeval computes it: pycocotools'
 * {@code maskApi.rleIou} for iouType "segm", and for boundary-iou-api's "boundary" the smaller of
 * that and the IoU of the two boundaries, except against a crowd region.
 */
final class PairIous {

    private final BitMasks dt;
    private final BitMasks gt;
    private final BitMasks dtBoundaries;
    private final BitMasks gtBoundaries;
    private final boolean[] gtCrowd;

    /**
     * Compares the masks of one image.
     *
     * @param dt the detections' masks
     * @param gt the ground truths' masks
     * @param dtBoundaries the detections' boundaries, or null for mask IoU only
     * @param gtBoundaries the ground truths' boundaries, or null for mask IoU only
     * @param gtCrowd the ground truths' iscrowd flags
     */
    PairIous(
            BitMasks dt,
            BitMasks gt,
            BitMasks dtBoundaries,
            BitMasks gtBoundaries,
            boolean[] gtCrowd) {
        this.dt = dt;
        this.gt = gt;
        this.dtBoundaries = dtBoundaries;
        this.gtBoundaries = gtBoundaries;
        this.gtCrowd = gtCrowd;
    }

    /**
     * Returns a detection's area.
     *
     * @param i the detection
     * @return its pixel count
     */
    long dtArea(int i) {
        return dt.area(i);
    }

    /**
     * Returns a ground truth's area.
     *
     * @param j the ground truth
     * @return its pixel count
     */
    long gtArea(int j) {
        return gt.area(j);
    }

    /**
     * The IoU of detection i and ground truth j.
     *
     * @param i the detection
     * @param j the ground truth
     * @return the IoU in {@code [0, 1]}; a crowd region's is {@code |dt ∩ gt| / |dt|}
     */
    double iou(int i, int j) {
        double mask = iou(dt, gt, i, j, gtCrowd[j]);
        if (dtBoundaries == null || gtCrowd[j] || mask == 0) {
            return mask;
        }
        return Math.min(mask, iou(dtBoundaries, gtBoundaries, i, j, false));
    }

    /** pycocotools' maskApi rleIou: 0 without overlap, a crowd's union is the detection's area. */
    private static double iou(BitMasks dt, BitMasks gt, int i, int j, boolean crowd) {
        long intersection = dt.intersection(i, gt, j);
        if (intersection == 0) {
            return 0;
        }
        long union = crowd ? dt.area(i) : dt.area(i) + gt.area(j) - intersection;
        return (double) intersection / union;
    }
}
