package io.github.segloss.example.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One batch of the mask task, as plain arrays: the images that have at least one instance, and all
 * their instances.
 *
 * <p>Arrays are row-major and owned by the batch: callers must not modify them.
 *
 * @param images the number of images B
 * @param size the images' height and width S
 * @param pixels B × 3 × S × S floats, CHW RGB in [0, 1]
 * @param boxes R × 4 floats, {@code x1, y1, x2, y2} in pixels (jittered in training), each inside
 *     the image and at least one pixel wide and high
 * @param batchIndices R values, the image in {@code [0, B)} of each instance
 * @param classIds R values, each instance's class index − 1 (background has no instances)
 * @param masks R × S × S values, each instance's 0/1 mask on its image
 */
public record InstanceBatch(
        int images,
        int size,
        float[] pixels,
        float[] boxes,
        int[] batchIndices,
        int[] classIds,
        float[] masks) {

    /**
     * Returns the number of instances, R.
     *
     * @return R, possibly 0
     */
    public int instances() {
        return batchIndices.length;
    }

    /**
     * Cuts the batch into consecutive slices of at most {@code maxRois} instances, each with the
     * images its instances lie on (an image whose instances span two slices is in both), so a
     * forward pass over one slice needs memory for at most {@code maxRois} RoIs. Validation
     * evaluates every instance this way; the slices hold every instance exactly once, in order.
     *
     * @param maxRois the most instances per slice, >= 1
     * @return this batch alone if it has at most maxRois instances, else the slices
     * @throws IllegalArgumentException if maxRois is below 1
     */
    public List<InstanceBatch> slices(int maxRois) {
        if (maxRois < 1) {
            throw new IllegalArgumentException("maxRois must be >= 1, got " + maxRois);
        }
        int rois = instances();
        if (rois <= maxRois) {
            return List.of(this);
        }
        int plane = size * size;
        List<InstanceBatch> slices = new ArrayList<>();
        for (int first = 0; first < rois; first += maxRois) {
            int end = Math.min(rois, first + maxRois);
            int firstImage = batchIndices[first];
            int lastImage = batchIndices[end - 1];
            int[] indices = new int[end - first];
            for (int r = first; r < end; r++) {
                indices[r - first] = batchIndices[r] - firstImage;
            }
            slices.add(
                    new InstanceBatch(
                            lastImage - firstImage + 1,
                            size,
                            Arrays.copyOfRange(
                                    pixels, firstImage * 3 * plane, (lastImage + 1) * 3 * plane),
                            Arrays.copyOfRange(boxes, 4 * first, 4 * end),
                            indices,
                            Arrays.copyOfRange(classIds, first, end),
                            Arrays.copyOfRange(masks, first * plane, end * plane)));
        }
        return slices;
    }
}
