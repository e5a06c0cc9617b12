package io.github.segloss.metric;

import java.util.Arrays;

/**
 * The bounding box of each class over the true and the predicted classes of one image, found in one
 * pass, and the crop of a class's two masks to its box with a margin of 1 pixel (clipped to the
 * image), which is where MONAI's {@code get_mask_edges} looks for surfaces.
 */
final class ClassBoxes {

    private final int[] shape;
    private final int[] low;
    private final int[] high;

    /**
     * Finds the boxes of the classes {@code [0, classes)} in one image of two class maps.
     *
     * @param shape the image's spatial shape
     * @param classes the number of classes
     * @param truth the true classes, row-major
     * @param predicted the predicted classes, row-major
     * @param offset where the image starts in both
     */
    ClassBoxes(int[] shape, int classes, int[] truth, int[] predicted, int offset) {
        this.shape = shape;
        int axes = shape.length;
        low = new int[classes * axes];
        high = new int[classes * axes];
        Arrays.fill(low, Integer.MAX_VALUE);
        Arrays.fill(high, -1);
        int size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        int[] at = new int[axes];
        for (int i = 0; i < size; i++) {
            include(truth[offset + i], at, classes);
            include(predicted[offset + i], at, classes);
            for (int axis = axes - 1; axis >= 0 && ++at[axis] == shape[axis]; axis--) {
                at[axis] = 0;
            }
        }
    }

    private void include(int c, int[] at, int classes) {
        if (c < 0 || c >= classes) {
            return;
        }
        int base = c * at.length;
        for (int axis = 0; axis < at.length; axis++) {
            low[base + axis] = Math.min(low[base + axis], at[axis]);
            high[base + axis] = Math.max(high[base + axis], at[axis]);
        }
    }

    /**
     * Tells whether a class is in either map.
     *
     * @param c the class
     * @return true if some pixel has it
     */
    boolean present(int c) {
        return high[c * shape.length] >= 0;
    }

    /**
     * The shape of a present class's crop: its box with a margin of 1, clipped to the image.
     *
     * @param c the class
     * @return the crop's shape
     */
    int[] cropShape(int c) {
        int[] crop = new int[shape.length];
        for (int axis = 0; axis < crop.length; axis++) {
            crop[axis] = end(c, axis) - start(c, axis);
        }
        return crop;
    }

    /**
     * Copies the mask of class c of one map, inside the class's crop, into {@code mask}.
     *
     * @param classes the class map, row-major
     * @param offset where the image starts
     * @param c the class
     * @param mask where the crop's mask goes, row-major
     */
    void crop(int[] classes, int offset, int c, boolean[] mask) {
        int axes = shape.length;
        int[] crop = cropShape(c);
        int[] at = new int[axes];
        int size = Arrays.stream(crop).reduce(1, Math::multiplyExact);
        for (int i = 0; i < size; i++) {
            int source = 0;
            for (int axis = 0; axis < axes; axis++) {
                source = source * shape[axis] + start(c, axis) + at[axis];
            }
            mask[i] = classes[offset + source] == c;
            for (int axis = axes - 1; axis >= 0 && ++at[axis] == crop[axis]; axis--) {
                at[axis] = 0;
            }
        }
    }

    private int start(int c, int axis) {
        return Math.max(0, low[c * shape.length + axis] - 1);
    }

    private int end(int c, int axis) {
        return Math.min(shape[axis], high[c * shape.length + axis] + 2);
    }
}
