package io.github.segloss.example.data;

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
}
