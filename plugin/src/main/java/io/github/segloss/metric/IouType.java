package io.github.segloss.metric;

/**
 * How {@link MaskAveragePrecision} measures the overlap of a detection and a ground truth: the
 * {@code iouType} of pycocotools' {@code COCOeval} ("segm") and of boundary-iou-api's ("boundary").
 */
public enum IouType {

    /** Mask IoU: pycocotools' {@code COCOeval} with iouType "segm" (COCO mask AP). */
    SEGM,

    /**
     * The Boundary AP of Cheng et al. (CVPR 2021): boundary-iou-api's {@code COCOeval} with iouType
     * "boundary". Against a ground truth that is not a crowd region the IoU is the smaller of the
     * mask IoU and the Boundary IoU, the IoU of the two masks' boundaries ({@link
     * io.github.segloss.target.MaskBoundary}, width a ratio of the image diagonal); against a crowd
     * region it is the mask IoU of {@link #SEGM}.
     */
    BOUNDARY
}
