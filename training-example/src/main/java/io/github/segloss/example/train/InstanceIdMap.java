package io.github.segloss.example.train;

import java.util.Arrays;

/**
 * The instance-id map of one image, built one instance at a time: 0 for the background, {@code k}
 * where the k-th instance added (from 1) covers the pixel. Where masks overlap, the instance of the
 * higher score wins, and of equal scores the one added first (the lower id). It holds one id and
 * one score per pixel, whatever the number of instances.
 */
final class InstanceIdMap {

    private final int[] ids;
    private final double[] best;
    private int added;

    /**
     * Creates the map of an image without instances.
     *
     * @param pixels the image's height × width
     */
    InstanceIdMap(int pixels) {
        ids = new int[pixels];
        best = new double[pixels];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
    }

    /**
     * Adds the next instance; its id is the number of instances added so far.
     *
     * @param mask its mask, one flag per pixel, row-major
     * @param score its score
     * @throws IllegalArgumentException if the mask has another number of pixels
     */
    void add(boolean[] mask, double score) {
        if (mask.length != ids.length) {
            throw new IllegalArgumentException(
                    "mask must have " + ids.length + " pixels, got " + mask.length);
        }
        added++;
        for (int p = 0; p < ids.length; p++) {
            if (mask[p] && score > best[p]) {
                best[p] = score;
                ids[p] = added;
            }
        }
    }

    /**
     * Returns the ids.
     *
     * @return one id per pixel, row-major (the map's own array)
     */
    int[] ids() {
        return ids;
    }
}
