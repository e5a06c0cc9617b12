package io.github.segloss.metric;

/**
 * The binary masks of one image packed into 64-pixel words per row, with each mask's area and
 * bounding box, so that the intersection of two masks costs one {@link Long#bitCount} per word of
 * their boxes' overlap, and nothing when the boxes do not overlap.
 */
final class BitMasks {

    private final int words;
    private final long[][] bits;
    private final long[] areas;
    private final int[] top;
    private final int[] bottom;
    private final int[] left;
    private final int[] right;

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
        for (int m = 0; m < n; m++) {
            pack(m, masks[m], height, width);
        }
    }

    private void pack(int m, boolean[] mask, int height, int width) {
        long[] packed = new long[height * words];
        int rowLow = Integer.MAX_VALUE;
        int rowHigh = -1;
        int wordLow = Integer.MAX_VALUE;
        int wordHigh = -1;
        long area = 0;
        for (int y = 0; y < height; y++) {
            int rowStart = y * width;
            for (int w = 0; w < words; w++) {
                int from = w << 6;
                int to = Math.min(width, from + 64);
                long word = 0;
                for (int x = from; x < to; x++) {
                    word |= (mask[rowStart + x] ? 1L : 0L) << (x - from);
                }
                if (word != 0) {
                    packed[y * words + w] = word;
                    area += Long.bitCount(word);
                    rowLow = Math.min(rowLow, y);
                    rowHigh = y;
                    wordLow = Math.min(wordLow, w);
                    wordHigh = Math.max(wordHigh, w);
                }
            }
        }
        bits[m] = packed;
        areas[m] = area;
        top[m] = rowLow;
        bottom[m] = rowHigh;
        left[m] = wordLow;
        right[m] = wordHigh;
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
