package io.github.segloss.example.data;

/**
 * One object of a {@link Sample}.
 *
 * <p>The box is the tight box of the mask with exclusive far edges: {@code x1} is the first mask
 * column, {@code x2} one past the last, likewise for rows, so a one-pixel mask at column 3, row 5
 * has the box {@code (3, 5, 4, 6)}.
 *
 * @param classIndex the contiguous class index into the source's class list
 * @param box {@code x1, y1, x2, y2} in pixels
 * @param mask {@code height * width} values, 1 on the object and 0 elsewhere, row-major
 */
public record Instance(int classIndex, float[] box, byte[] mask) {

    /**
     * Checks the box has four values.
     *
     * @throws IllegalArgumentException if the box is not four values
     */
    public Instance {
        if (box.length != 4) {
            throw new IllegalArgumentException(
                    "instance box must be x1, y1, x2, y2 (4 values), got " + box.length);
        }
    }

    /**
     * Creates the instance of a mask with its tight box, or {@code null} when the mask is empty.
     *
     * @param classIndex the contiguous class index
     * @param mask the 0/1 mask, row-major
     * @param width the mask's width
     * @return the instance, or {@code null} if no pixel of the mask is set
     */
    public static Instance ofMask(int classIndex, byte[] mask, int width) {
        float[] box = MaskBoxes.box(mask, width);
        return box == null ? null : new Instance(classIndex, box, mask);
    }
}
