package io.github.segloss.example.data;

/** The tight boxes of binary masks. */
final class MaskBoxes {

    private MaskBoxes() {}

    /**
     * Returns the tight box of the set pixels, with exclusive far edges.
     *
     * @param mask the 0/1 mask, row-major
     * @param width the mask's width
     * @return {@code x1, y1, x2, y2}, or {@code null} if no pixel is set
     */
    static float[] box(byte[] mask, int width) {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                int y = i / width;
                int x = i - y * width;
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
        }
        if (maxX < 0) {
            return null;
        }
        return new float[] {minX, minY, maxX + 1, maxY + 1};
    }
}
