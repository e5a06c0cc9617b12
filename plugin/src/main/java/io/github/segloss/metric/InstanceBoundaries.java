package io.github.segloss.metric;

import io.github.segloss.target.MaskBoundary;

/**
 * The boundaries of an image's instance masks, boundary-iou-api's {@code mask_to_boundary(mask,
 * dilation_ratio)} of each, computed in the mask's bounding box grown by the boundary width d on
 * every side (clipped to the image) instead of the whole image. Every pixel beyond that crop is
 * background more than d pixels from the mask, or outside the image: either way the erosion sees it
 * as the zero padding that the crop's own frame stands for, so the boundary is the same.
 */
final class InstanceBoundaries {

    private InstanceBoundaries() {}

    /**
     * The boundaries of masks.
     *
     * @param masks the masks, row-major, {@code height · width} pixels each
     * @param packed the same masks packed (for their bounding boxes)
     * @param height the image height H
     * @param width the image width W
     * @param dilationRatio the boundary width as a ratio of the image diagonal
     * @return the boundaries, row-major, of the masks' size
     */
    static boolean[][] of(
            boolean[][] masks, BitMasks packed, int height, int width, double dilationRatio) {
        int d = MaskBoundary.dilation(height, width, dilationRatio);
        boolean[][] out = new boolean[masks.length][];
        for (int m = 0; m < masks.length; m++) {
            out[m] = new boolean[masks[m].length];
            int[] box = packed.box(m);
            if (box[1] < 0) {
                continue;
            }
            int y0 = (int) Math.max(0, (long) box[0] - d);
            int y1 = (int) Math.min(height - 1, (long) box[1] + d);
            int x0 = (int) Math.max(0, (long) box[2] - d);
            int x1 = (int) Math.min(width - 1, (long) box[3] + d);
            int cropHeight = y1 - y0 + 1;
            int cropWidth = x1 - x0 + 1;
            int[] labels = new int[cropHeight * cropWidth];
            for (int y = 0; y < cropHeight; y++) {
                int from = (y0 + y) * width + x0;
                for (int x = 0; x < cropWidth; x++) {
                    labels[y * cropWidth + x] = masks[m][from + x] ? 1 : 0;
                }
            }
            boolean[] boundary = MaskBoundary.ofLabels(labels, cropHeight, cropWidth, d);
            for (int y = 0; y < cropHeight; y++) {
                int to = (y0 + y) * width + x0;
                for (int x = 0; x < cropWidth; x++) {
                    int i = y * cropWidth + x;
                    out[m][to + x] = boundary[i] && labels[i] == 1;
                }
            }
        }
        return out;
    }
}
