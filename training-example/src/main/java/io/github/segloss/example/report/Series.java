package io.github.segloss.example.report;

import java.awt.Color;

/**
 * One line of a {@link LineChart}: its points, looks and axis. Points whose y is not finite are
 * skipped and break the line.
 *
 * @param name the legend's text
 * @param colour the line's colour
 * @param width the line's width in pixels
 * @param dashed whether the line is dashed
 * @param rightAxis whether y is read on the right axis rather than the left
 * @param x the x values (whole numbers: epochs)
 * @param y the y values, NaN where there is none
 */
record Series(
        String name,
        Color colour,
        float width,
        boolean dashed,
        boolean rightAxis,
        int[] x,
        double[] y) {

    /** Checks that x and y pair up. */
    Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    "x and y must have the same length, got " + x.length + " and " + y.length);
        }
    }

    /** Whether some point has a finite y. */
    boolean hasPoints() {
        for (double value : y) {
            if (Double.isFinite(value)) {
                return true;
            }
        }
        return false;
    }
}
