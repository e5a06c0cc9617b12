package io.github.segloss.example.report;

/**
 * Where the cells of {@code predictions.png} go: a header line, then one row per sample of three
 * cells (image, ground truth, prediction), with {@link #GAP} white pixels around every cell. Small
 * images are enlarged by a whole factor (nearest neighbour, so class borders stay sharp) until a
 * cell is at least {@link #MIN_CELL_WIDTH} wide, wide enough for its header.
 *
 * @param scale the whole enlargement factor of the images, at least 1
 * @param cellWidth the width of a cell in pixels
 * @param cellHeight the height of a cell in pixels
 * @param width the width of the whole grid in pixels
 * @param height the height of the whole grid in pixels
 */
record GridLayout(int scale, int cellWidth, int cellHeight, int width, int height) {

    /** The columns: image, ground truth, prediction. */
    static final int COLUMNS = 3;

    /** The white space around the cells, in pixels. */
    static final int GAP = 4;

    /** The height of the header line, in pixels. */
    static final int HEADER = 2 * GAP + Text.LINE_HEIGHT;

    /** The narrowest cell; narrower images are enlarged. */
    static final int MIN_CELL_WIDTH = 96;

    /**
     * Lays out a grid.
     *
     * @param samples the number of rows, at least 1
     * @param width the images' width, at least 1
     * @param height the images' height, at least 1
     * @throws IllegalArgumentException if a count is below 1 or the grid would pass 2^31 - 1 pixels
     */
    static GridLayout of(int samples, int width, int height) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    "width and height must be >= 1, got " + width + " x " + height);
        }
        int scale = Math.max(1, (MIN_CELL_WIDTH + width - 1) / width);
        long cellWidth = (long) width * scale;
        long cellHeight = (long) height * scale;
        long gridWidth = GAP + COLUMNS * (cellWidth + GAP);
        long gridHeight = HEADER + samples * (cellHeight + GAP);
        if (gridWidth * gridHeight > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "the grid must have at most 2^31 - 1 pixels, got "
                            + gridWidth
                            + " x "
                            + gridHeight
                            + " for "
                            + samples
                            + " samples of "
                            + width
                            + " x "
                            + height);
        }
        return new GridLayout(
                scale, (int) cellWidth, (int) cellHeight, (int) gridWidth, (int) gridHeight);
    }

    /** The left edge of a column's cells. */
    int cellX(int column) {
        return GAP + column * (cellWidth + GAP);
    }

    /** The top edge of a row's cells. */
    int cellY(int row) {
        return HEADER + row * (cellHeight + GAP);
    }
}
