package io.github.segloss.example.data;

import java.util.Arrays;

/**
 * Rasterises polygons into binary masks by the even-odd rule at pixel centres: pixel {@code (x, y)}
 * is inside when its centre {@code (x + 0.5, y + 0.5)} is, so an axis-aligned rectangle with
 * whole-number corners covers exactly its area.
 *
 * <p>pycocotools' {@code rleFrPoly} walks the boundary on a 5× finer grid instead and can differ
 * from this by one pixel along edges; both take the union of an annotation's polygons.
 */
final class PolygonFill {

    private PolygonFill() {}

    /**
     * Sets the mask pixels inside one polygon (the union with what is already set).
     *
     * @param xy the vertices {@code x0, y0, x1, y1, ...} in pixels; fewer than three vertices fill
     *     nothing
     * @param height the mask's height
     * @param width the mask's width
     * @param mask the row-major mask to set to 1 inside the polygon
     */
    static void fill(float[] xy, int height, int width, byte[] mask) {
        int n = xy.length / 2;
        if (n < 3) {
            return;
        }
        double[] crossings = new double[n];
        for (int row = 0; row < height; row++) {
            double y = row + 0.5;
            int count = 0;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                double yi = xy[2 * i + 1];
                double yj = xy[2 * j + 1];
                if ((yi <= y) != (yj <= y)) {
                    double xi = xy[2 * i];
                    double xj = xy[2 * j];
                    crossings[count++] = xi + (y - yi) * (xj - xi) / (yj - yi);
                }
            }
            Arrays.sort(crossings, 0, count);
            for (int k = 0; k + 1 < count; k += 2) {
                int from = (int) Math.max(0, Math.ceil(crossings[k] - 0.5));
                int to = (int) Math.min(width, Math.ceil(crossings[k + 1] - 0.5));
                for (int x = from; x < to; x++) {
                    mask[row * width + x] = 1;
                }
            }
        }
    }
}
