package io.github.segloss.example.data;

import java.util.List;

/**
 * One image with its targets.
 *
 * <p>Arrays are row-major and owned by the sample: callers must not modify them.
 *
 * @param id a name of the sample, unique within its source (the file's base name, for files)
 * @param height the height in pixels
 * @param width the width in pixels
 * @param image CHW float RGB in [0, 1], length {@code 3 * height * width}
 * @param semantic {@code height * width} class indices in {@code [0, classes.size())} or {@link
 *     #IGNORE}
 * @param instances the objects, possibly none
 * @param crowds the crowd regions (COCO's {@code iscrowd = 1}), possibly none: not objects to learn
 *     or predict, but ground truth that COCOeval's matching ignores detections on
 */
public record Sample(
        String id,
        int height,
        int width,
        float[] image,
        int[] semantic,
        List<Instance> instances,
        List<Instance> crowds) {

    /** The semantic label of a pixel that adds nothing to a loss or metric. */
    public static final int IGNORE = 255;

    /**
     * Checks the sizes of the arrays against {@code height} and {@code width}.
     *
     * @throws IllegalArgumentException if a size is not positive or an array has the wrong length
     */
    public Sample {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "sample "
                            + id
                            + ": height and width must be positive, got "
                            + height
                            + "x"
                            + width);
        }
        int pixels = height * width;
        requireLength(id, "image", image.length, 3 * pixels);
        requireLength(id, "semantic", semantic.length, pixels);
        for (Instance instance : instances) {
            requireLength(id, "instance mask", instance.mask().length, pixels);
        }
        for (Instance crowd : crowds) {
            requireLength(id, "crowd mask", crowd.mask().length, pixels);
        }
        instances = List.copyOf(instances);
        crowds = List.copyOf(crowds);
    }

    /**
     * Creates a sample without crowd regions.
     *
     * @param id a name of the sample, unique within its source
     * @param height the height in pixels
     * @param width the width in pixels
     * @param image CHW float RGB in [0, 1]
     * @param semantic class indices or {@link #IGNORE}
     * @param instances the objects, possibly none
     * @throws IllegalArgumentException if a size is not positive or an array has the wrong length
     */
    public Sample(
            String id,
            int height,
            int width,
            float[] image,
            int[] semantic,
            List<Instance> instances) {
        this(id, height, width, image, semantic, instances, List.of());
    }

    private static void requireLength(String id, String name, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(
                    "sample "
                            + id
                            + ": "
                            + name
                            + " must have "
                            + expected
                            + " values, got "
                            + actual);
        }
    }
}
