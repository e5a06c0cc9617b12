package io.github.segloss.example.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Joint augmentation of an image and its targets: random scale, random crop or pad to a square
 * output, random horizontal flip. The image is resampled bilinearly, the semantic and instance
 * masks by nearest neighbour, so labels stay labels. Padding is 0 in the image, 255 (ignore) in the
 * semantic mask and 0 in instance masks. Boxes are recomputed from the transformed masks, and
 * instances whose mask becomes empty are dropped.
 *
 * <p>Scale {@code s} is drawn uniformly from {@code [minScale, maxScale]} and is relative to the
 * output: the image is resized, keeping its aspect, so its longer side is {@code s * outputSize}.
 * So {@code s = 1} fits the whole image, {@code s > 1} zooms in (a random crop) and {@code s < 1}
 * zooms out (placed at a random position in the padding).
 *
 * <p>The draws are made in a fixed order (scale, row offset, column offset, flip), and the flip
 * coin is drawn even when flipping is off, so the same {@link Random} state gives the same geometry
 * with and without flipping.
 */
public final class JointAugmentation {

    private final int outputSize;
    private final float minScale;
    private final float maxScale;
    private final boolean flip;

    /**
     * Creates the augmentation.
     *
     * @param outputSize the output height and width
     * @param minScale the smallest scale, relative to the output (positive)
     * @param maxScale the largest scale, at least {@code minScale}
     * @param flip whether to flip horizontally with probability 1/2
     * @throws IllegalArgumentException if the size or a scale is invalid
     */
    public JointAugmentation(int outputSize, float minScale, float maxScale, boolean flip) {
        if (outputSize <= 0) {
            throw new IllegalArgumentException("outputSize must be positive, got " + outputSize);
        }
        if (!(minScale > 0) || !Float.isFinite(maxScale) || maxScale < minScale) {
            throw new IllegalArgumentException(
                    "scales must satisfy 0 < minScale <= maxScale, got minScale "
                            + minScale
                            + ", maxScale "
                            + maxScale);
        }
        this.outputSize = outputSize;
        this.minScale = minScale;
        this.maxScale = maxScale;
        this.flip = flip;
    }

    /**
     * Returns the output height and width.
     *
     * @return the output size
     */
    public int outputSize() {
        return outputSize;
    }

    /**
     * Augments a sample.
     *
     * @param sample the sample
     * @param random the source of randomness (four draws)
     * @return a new {@code outputSize x outputSize} sample with the same id
     */
    public Sample apply(Sample sample, Random random) {
        double scale = minScale + (maxScale - minScale) * random.nextDouble();
        double factor = scale * outputSize / Math.max(sample.height(), sample.width());
        int scaledHeight = Math.max(1, (int) Math.round(sample.height() * factor));
        int scaledWidth = Math.max(1, (int) Math.round(sample.width() * factor));
        int top = offset(random, scaledHeight);
        int left = offset(random, scaledWidth);
        boolean mirror = random.nextBoolean() && flip;
        return remap(
                sample,
                new AxisMap(sample.height(), scaledHeight, top, outputSize, false),
                new AxisMap(sample.width(), scaledWidth, left, outputSize, mirror),
                outputSize);
    }

    /** A crop start in the scaled axis, or a negative padding before it. */
    private int offset(Random random, int scaled) {
        return scaled >= outputSize
                ? random.nextInt(scaled - outputSize + 1)
                : -random.nextInt(outputSize - scaled + 1);
    }

    /**
     * Resizes a sample to a square, ignoring its aspect (bilinear image, nearest masks); for
     * validation. A sample of that size already is returned as it is.
     *
     * @param sample the sample
     * @param outputSize the output height and width
     * @return the resized sample
     * @throws IllegalArgumentException if the size is not positive
     */
    public static Sample resizeTo(Sample sample, int outputSize) {
        if (outputSize <= 0) {
            throw new IllegalArgumentException("outputSize must be positive, got " + outputSize);
        }
        if (sample.height() == outputSize && sample.width() == outputSize) {
            return sample;
        }
        return remap(
                sample,
                new AxisMap(sample.height(), outputSize, 0, outputSize, false),
                new AxisMap(sample.width(), outputSize, 0, outputSize, false),
                outputSize);
    }

    private static Sample remap(Sample sample, AxisMap rows, AxisMap cols, int size) {
        int width = sample.width();
        int plane = sample.height() * width;
        int outPlane = size * size;
        float[] image = new float[3 * outPlane];
        int[] semantic = new int[outPlane];
        float[] source = sample.image();
        int[] labels = sample.semantic();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int o = y * size + x;
                if (rows.pad[y] || cols.pad[x]) {
                    semantic[o] = Sample.IGNORE;
                    continue;
                }
                semantic[o] = labels[rows.nearest[y] * width + cols.nearest[x]];
                int r0 = rows.low[y] * width;
                int r1 = rows.high[y] * width;
                float wy = rows.weight[y];
                int c0 = cols.low[x];
                int c1 = cols.high[x];
                float wx = cols.weight[x];
                for (int c = 0; c < 3; c++) {
                    int base = c * plane;
                    float top = source[base + r0 + c0] * (1 - wx) + source[base + r0 + c1] * wx;
                    float bottom = source[base + r1 + c0] * (1 - wx) + source[base + r1 + c1] * wx;
                    image[c * outPlane + o] = top * (1 - wy) + bottom * wy;
                }
            }
        }
        List<Instance> instances = new ArrayList<>();
        for (Instance instance : sample.instances()) {
            byte[] mask = new byte[outPlane];
            byte[] in = instance.mask();
            for (int y = 0; y < size; y++) {
                if (rows.pad[y]) {
                    continue;
                }
                int row = rows.nearest[y] * width;
                for (int x = 0; x < size; x++) {
                    if (!cols.pad[x]) {
                        mask[y * size + x] = in[row + cols.nearest[x]];
                    }
                }
            }
            Instance moved = Instance.ofMask(instance.classIndex(), mask, size);
            if (moved != null) {
                instances.add(moved);
            }
        }
        return new Sample(sample.id(), size, size, image, semantic, instances);
    }
}
