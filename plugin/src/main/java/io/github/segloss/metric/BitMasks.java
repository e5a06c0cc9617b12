package io.github.segloss.metric;

import java.util.Arrays;

/**
 * The binary masks of one image packed into 64-pixel words per row (bit x of word w of a row is
 * column 64w + x), with each mask's area and bounding box, so that the intersection of two masks
 * costs one {@link Long#bitCount} per word of their boxes' overlap, and nothing when the boxes do
 * not overlap.
 */
final class BitMasks {

    private final int words;
    private final long[][] bits;
    private final long[] areas;
    private final int[] top;
    private final int[] bottom;
    private final int[] left;
    private final int[] right;
    private final int[] leftColumn;
    private final int[] rightColumn;

    /**
     * Packs masks of equal size.
     *
     * @param masks the masks, each {@code height · width} pixels row-major (checked by the caller)
     * @param height the image height H
     * @param width the image width W
     */
    BitMasks(boolean[][] masks, int height, int width) {
        int n = masks.length;
        words = (width + 63) >>> 6;
        bits = new long[n][];
        areas = new long[n];
        top = new int[n];
        bottom = new int[n];
        left = new int[n];
        right = new int[n];
        leftColumn = new int[n];
        rightColumn = new int[n];
        boolean[] zeros = new boolean[width];
        boolean[] ones = new boolean[width];
        Arrays.fill(ones, true);
        for (int m = 0; m < n; m++) {
            pack(m, masks[m], height, width, zeros, ones);
        }
    }

    /**
     * Packs one mask row by row: {@link Arrays#mismatch} (vectorized by the JVM) finds where each
     * run of foreground starts and ends, and the run's bits are set word by word.
     */
    private void pack(
            int m, boolean[] mask, int height, int width, boolean[] zeros, boolean[] ones) {
        long[] packed = new long[height * words];
        int rowLow = Integer.MAX_VALUE;
        int rowHigh = -1;
        int colLow = Integer.MAX_VALUE;
        int colHigh = -1;
        long area = 0;
        for (int y = 0; y < height; y++) {
            int rowStart = y * width;
            int x = 0;
            while (x < width) {
                int gap = Arrays.mismatch(mask, rowStart + x, rowStart + width, zeros, x, width);
                if (gap < 0) {
                    break;
                }
                x += gap;
                int run = Arrays.mismatch(mask, rowStart + x, rowStart + width, ones, x, width);
                int end = run < 0 ? width : x + run;
                setBits(packed, y * words, x, end);
                area += end - x;
                rowLow = Math.min(rowLow, y);
                rowHigh = y;
                colLow = Math.min(colLow, x);
                colHigh = Math.max(colHigh, end - 1);
                x = end;
            }
        }
        bits[m] = packed;
        areas[m] = area;
        top[m] = rowLow;
        bottom[m] = rowHigh;
        leftColumn[m] = colLow;
        rightColumn[m] = colHigh;
        left[m] = colHigh < 0 ? Integer.MAX_VALUE : colLow >>> 6;
        right[m] = colHigh < 0 ? -1 : colHigh >>> 6;
    }

    /** Sets the bits of columns {@code [from, to)} of the row that starts at word {@code base}. */
    private static void setBits(long[] packed, int base, int from, int to) {
        int first = from >>> 6;
        int last = (to - 1) >>> 6;
        for (int w = first; w <= last; w++) {
            int low = w == first ? from & 63 : 0;
            int high = w == last ? ((to - 1) & 63) + 1 : 64;
            long ones = high == 64 ? -1L : (1L << high) - 1;
            packed[base + w] |= ones & (-1L << low);
        }
    }

    /**
     * Returns a mask's bounding box.
     *
     * @param m the mask
     * @return its first and last row and column, inclusive; rows {@code MAX_VALUE, -1} when empty
     */
    int[] box(int m) {
        return new int[] {top[m], bottom[m], leftColumn[m], rightColumn[m]};
    }

    /**
     * Returns the number of masks.
     *
     * @return the count
     */
    int size() {
        return bits.length;
    }

    /**
     * Returns a mask's area.
     *
     * @param m the mask
     * @return its number of foreground pixels
     */
    long area(int m) {
        return areas[m];
    }

    /**
     * Counts the pixels that mask {@code m} of this image and mask {@code o} of {@code other} (of
     * the same size) have in common.
     *
     * @param m a mask of this image
     * @param other the masks of the same image
     * @param o a mask of {@code other}
     * @return the intersection's area
     */
    long intersection(int m, BitMasks other, int o) {
        int rowLow = Math.max(top[m], other.top[o]);
        int rowHigh = Math.min(bottom[m], other.bottom[o]);
        int wordLow = Math.max(left[m], other.left[o]);
        int wordHigh = Math.min(right[m], other.right[o]);
        long[] a = bits[m];
        long[] b = other.bits[o];
        long count = 0;
        for (int y = rowLow; y <= rowHigh; y++) {
            int base = y * words;
            for (int w = wordLow; w <= wordHigh; w++) {
                count += Long.bitCount(a[base + w] & b[base + w]);
            }
        }
        return count;
    }
}
