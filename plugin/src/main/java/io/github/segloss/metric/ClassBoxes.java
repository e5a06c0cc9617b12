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
        // row by row along the last axis: per pixel only the class's last position in the row;
        // the other axes once per row for each class the row holds
        int width = shape[axes - 1];
        int size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        int rows = size == 0 ? 0 : size / width;
        int[] first = new int[classes];
        int[] last = new int[classes];
        Arrays.fill(last, -1);
        int[] seen = new int[classes];
        int[] at = new int[axes];
        for (int row = 0; row < rows; row++) {
            int count = 0;
            int base = offset + row * width;
            for (int j = 0; j < width; j++) {
                count = see(truth[base + j], j, classes, first, last, seen, count);
                count = see(predicted[base + j], j, classes, first, last, seen, count);
            }
            for (int k = 0; k < count; k++) {
                int c = seen[k];
                int box = c * axes;
                for (int axis = 0; axis < axes - 1; axis++) {
                    low[box + axis] = Math.min(low[box + axis], at[axis]);
                    high[box + axis] = Math.max(high[box + axis], at[axis]);
                }
                low[box + axes - 1] = Math.min(low[box + axes - 1], first[c]);
                high[box + axes - 1] = Math.max(high[box + axes - 1], last[c]);
                last[c] = -1;
            }
            for (int axis = axes - 2; axis >= 0 && ++at[axis] == shape[axis]; axis--) {
                at[axis] = 0;
            }
        }
    }

    /** Notes class c at position j of the current row; returns the row's count of classes. */
    private static int see(
            int c, int j, int classes, int[] first, int[] last, int[] seen, int count) {
        if (c < 0 || c >= classes) {
            return count;
        }
        if (last[c] < 0) {
            first[c] = j;
            seen[count++] = c;
        }
        last[c] = j;
        return count;
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
        int width = crop[axes - 1];
        int[] at = new int[axes];
        int rows = Arrays.stream(crop).reduce(1, Math::multiplyExact) / width;
        for (int row = 0; row < rows; row++) {
            int source = 0;
            for (int axis = 0; axis < axes; axis++) {
                source = source * shape[axis] + start(c, axis) + at[axis];
            }
            source += offset;
            int target = row * width;
            for (int j = 0; j < width; j++) {
                mask[target + j] = classes[source + j] == c;
            }
            for (int axis = axes - 2; axis >= 0 && ++at[axis] == crop[axis]; axis--) {
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
