package io.github.segloss.example.data;

import java.util.Arrays;

/**
 * COCO run-length encoding: alternating runs of 0s and 1s (starting with 0s) over the mask in
 * column-major order, and pycocotools' compressed string form of the run lengths.
 */
final class CocoRle {

    /** A run length needs at most 7 characters of 5 bits (pycocotools stores 32-bit counts). */
    private static final int MAX_CHARS_PER_COUNT = 7;

    private CocoRle() {}

    /**
     * Decodes pycocotools' compressed counts ({@code rleFrString}): each count is a little-endian
     * sequence of characters {@code c}, value {@code c - 48}, 5 data bits each, bit {@code 0x20}
     * set on every character but the last, and bit {@code 0x10} of the last one extending the sign;
     * from the fourth count on (index greater than 2), a count is stored as the difference from the
     * count two places before it.
     *
     * @param counts the compressed string
     * @param where the field, for the message
     * @return the run lengths
     * @throws IllegalArgumentException if a character is outside {@code '0'..'o'}, the string ends
     *     inside a count, or a count is negative or too large
     */
    static long[] decodeString(String counts, String where) {
        long[] runs = new long[counts.length()];
        int m = 0;
        int p = 0;
        while (p < counts.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= counts.length()) {
                    throw new IllegalArgumentException(
                            where + ": compressed RLE ends inside a count");
                }
                if (k >= MAX_CHARS_PER_COUNT) {
                    throw new IllegalArgumentException(
                            where + ": compressed RLE count at character " + p + " is too long");
                }
                char ch = counts.charAt(p);
                int c = ch - 48;
                if (c < 0 || c > 63) {
                    throw new IllegalArgumentException(
                            where
                                    + ": compressed RLE character '"
                                    + ch
                                    + "' at "
                                    + p
                                    + " is outside '0'..'o'");
                }
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            if (m > 2) {
                x += runs[m - 2];
            }
            if (x < 0 || x > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        where
                                + ": compressed RLE count "
                                + m
                                + " decodes to "
                                + x
                                + ", expected a run length >= 0");
            }
            runs[m++] = x;
        }
        return Arrays.copyOf(runs, m);
    }

    /**
     * Checks that run lengths cover a mask exactly.
     *
     * @param runs the run lengths, each 0 or more
     * @param height the mask's height
     * @param width the mask's width
     * @param where the field, for the message
     * @throws IllegalArgumentException if the runs add up to another number than {@code height *
     *     width}
     */
    static void requireTotal(long[] runs, long height, long width, String where) {
        long pixels = height * width;
        long total = 0;
        for (long run : runs) {
            total += run;
            if (total > pixels) {
                break; // enough to fail, and no overflow however many runs follow
            }
        }
        if (total != pixels) {
            throw new IllegalArgumentException(
                    where
                            + ": RLE counts add up to "
                            + (total > pixels ? "more than " + pixels : total)
                            + " pixels, expected height x width = "
                            + height
                            + "x"
                            + width
                            + " = "
                            + pixels);
        }
    }

    /**
     * Expands run lengths into a row-major mask.
     *
     * @param runs the run lengths, 0s first, column-major
     * @param height the mask's height
     * @param width the mask's width
     * @param where the field, for the message
     * @return the 0/1 mask, row-major
     * @throws IllegalArgumentException if the runs do not add up to {@code height * width}
     */
    static byte[] toMask(long[] runs, int height, int width, String where) {
        requireTotal(runs, height, width, where);
        byte[] mask = new byte[height * width];
        int position = 0;
        for (int r = 0; r < runs.length; r++) {
            int end = position + (int) runs[r];
            if (r % 2 == 1) {
                for (int p = position; p < end; p++) {
                    int x = p / height;
                    int y = p - x * height;
                    mask[y * width + x] = 1;
                }
            }
            position = end;
        }
        return mask;
    }
}
