package io.github.segloss.benchmarks;

import java.util.Random;

/**
 * Seeded benchmark data on the host, with the distributions of {@code torch_bench.py}: Gaussian
 * logits, uniform class labels with a tenth set to the ignore label, class weights {@code 0.5 + k /
 * C}, and ellipse masks with jittered boxes for the mask head.
 */
final class HostData {

    /** The ignore label of every class-index case. */
    static final int IGNORE = 255;

    private HostData() {}

    /**
     * Standard normal values.
     *
     * @param seed the seed
     * @param size how many
     * @return the values
     */
    static float[] gaussian(long seed, long size) {
        Random random = new Random(seed);
        float[] values = new float[Math.toIntExact(size)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /**
     * Uniform class labels in {@code [0, classes)}, a tenth replaced by {@link #IGNORE}.
     *
     * @param seed the seed
     * @param size how many
     * @param classes the number of classes
     * @return the labels
     */
    static long[] classLabels(long seed, long size, int classes) {
        Random random = new Random(seed);
        long[] labels = new long[Math.toIntExact(size)];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(10) == 0 ? IGNORE : random.nextInt(classes);
        }
        return labels;
    }

    /**
     * Uniform class labels in {@code [0, classes)} without ignored pixels (for DJL's built-in loss,
     * which has no ignore label).
     *
     * @param seed the seed
     * @param size how many
     * @param classes the number of classes
     * @return the labels
     */
    static long[] denseLabels(long seed, long size, int classes) {
        Random random = new Random(seed);
        long[] labels = new long[Math.toIntExact(size)];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(classes);
        }
        return labels;
    }

    /**
     * Class probabilities {@code (N, C, S)}: per pixel the softmax over the classes of Gaussian
     * values.
     *
     * @param seed the seed
     * @param n N
     * @param classes C
     * @param pixels S
     * @return the probabilities in row-major order
     */
    static float[] probabilities(long seed, long n, int classes, long pixels) {
        float[] values = gaussian(seed, n * classes * pixels);
        for (long b = 0; b < n; b++) {
            for (long q = 0; q < pixels; q++) {
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    sum += Math.exp(values[(int) ((b * classes + k) * pixels + q)]);
                }
                for (int k = 0; k < classes; k++) {
                    int at = (int) ((b * classes + k) * pixels + q);
                    values[at] = (float) (Math.exp(values[at]) / sum);
                }
            }
        }
        return values;
    }

    /**
     * 0/1 targets, 1 with probability 0.3.
     *
     * @param seed the seed
     * @param size how many
     * @return the targets
     */
    static float[] binaryTargets(long seed, long size) {
        Random random = new Random(seed);
        float[] values = new float[Math.toIntExact(size)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() < 0.3f ? 1 : 0;
        }
        return values;
    }

    /**
     * The class weights {@code 0.5 + k / C}.
     *
     * @param classes the number of classes C
     * @return the weights
     */
    static float[] classWeights(int classes) {
        float[] weights = new float[classes];
        for (int k = 0; k < classes; k++) {
            weights[k] = 0.5f + k / (float) classes;
        }
        return weights;
    }

    /**
     * Mask R-CNN training data on one square image: ellipse masks with half-axes from 32 to 256
     * pixels, RoIs jittered by up to ±10% of their matched mask's box, foreground classes in {@code
     * [1, classes)}.
     *
     * @param masks the ground-truth masks {@code (G, size, size)} as 0/1 floats
     * @param boxes the RoIs {@code (R, 4)} as x1, y1, x2, y2
     * @param matched the ground-truth mask of each RoI {@code (R)}
     * @param labels the class of each RoI {@code (R)}
     */
    record MaskData(float[] masks, float[] boxes, long[] matched, long[] labels) {

        /**
         * Draws the data.
         *
         * @param seed the seed
         * @param count the number of ground-truth masks G
         * @param rois the number of RoIs R
         * @param size the image side
         * @param classes the number of classes K (with background 0)
         * @return the data
         */
        static MaskData draw(long seed, int count, int rois, int size, int classes) {
            Random random = new Random(seed);
            float[] masks = new float[count * size * size];
            float[][] gtBoxes = new float[count][];
            for (int g = 0; g < count; g++) {
                float halfX = 32 + random.nextFloat() * 224;
                float halfY = 32 + random.nextFloat() * 224;
                float cx = halfX + random.nextFloat() * (size - 2 * halfX);
                float cy = halfY + random.nextFloat() * (size - 2 * halfY);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        float u = (x - cx) / halfX;
                        float v = (y - cy) / halfY;
                        masks[(g * size + y) * size + x] = u * u + v * v <= 1 ? 1 : 0;
                    }
                }
                gtBoxes[g] = new float[] {cx - halfX, cy - halfY, cx + halfX, cy + halfY};
            }
            float[] boxes = new float[rois * 4];
            long[] matched = new long[rois];
            long[] labels = new long[rois];
            for (int r = 0; r < rois; r++) {
                int g = random.nextInt(count);
                matched[r] = g;
                labels[r] = 1 + random.nextInt(classes - 1);
                float[] box = gtBoxes[g];
                float[] extent = {box[2] - box[0], box[3] - box[1]};
                for (int k = 0; k < 4; k++) {
                    float jitter = (random.nextFloat() - 0.5f) * 0.2f * extent[k % 2];
                    boxes[r * 4 + k] = Math.max(0, Math.min(size - 1, box[k] + jitter));
                }
            }
            return new MaskData(masks, boxes, matched, labels);
        }
    }
}
