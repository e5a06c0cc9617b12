package io.github.segloss.example.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * The shapes the synthetic source draws, told apart by geometry: round (circle), elongated round
 * (ellipse, axis ratio 0.45 to 0.65), four corners (square), three corners (triangle), five points
 * (star).
 */
enum ShapeKind {
    CIRCLE,
    SQUARE,
    TRIANGLE,
    ELLIPSE,
    STAR;

    /**
     * Finds the kind a class name stands for, ignoring case.
     *
     * @param name a class name such as "circle"
     * @return the kind
     * @throws IllegalArgumentException if the name is no shape kind
     */
    static ShapeKind named(String name) {
        for (ShapeKind kind : values()) {
            if (kind.name().equalsIgnoreCase(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(
                "synthetic class \""
                        + name
                        + "\" is no shape: expected one of "
                        + Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }

    /**
     * Rasterises the shape at pixel centres.
     *
     * @param cx the centre's x in pixels
     * @param cy the centre's y in pixels
     * @param radius the circumradius in pixels
     * @param angle the rotation in radians
     * @param aspect the ellipse's minor-to-major axis ratio (ignored by the other kinds)
     * @param size the image's height and width
     * @return the 0/1 mask, row-major
     */
    byte[] rasterize(double cx, double cy, double radius, double angle, double aspect, int size) {
        byte[] mask = new byte[size * size];
        switch (this) {
            case CIRCLE -> fillEllipse(mask, size, cx, cy, radius, radius, 0);
            case ELLIPSE -> fillEllipse(mask, size, cx, cy, radius, radius * aspect, angle);
            case SQUARE ->
                    PolygonFill.fill(star(cx, cy, radius, radius, 4, angle), size, size, mask);
            case TRIANGLE ->
                    PolygonFill.fill(star(cx, cy, radius, radius, 3, angle), size, size, mask);
            case STAR ->
                    PolygonFill.fill(
                            star(cx, cy, radius, radius * 0.45, 5, angle), size, size, mask);
        }
        return mask;
    }

    private static void fillEllipse(
            byte[] mask, int size, double cx, double cy, double a, double b, double angle) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double u = (dx * cos + dy * sin) / a;
                double v = (-dx * sin + dy * cos) / b;
                if (u * u + v * v <= 1) {
                    mask[y * size + x] = 1;
                }
            }
        }
    }

    /**
     * The vertices of a regular polygon ({@code inner == outer}) or star with {@code points}
     * points, alternating outer and inner radius.
     */
    private static float[] star(
            double cx, double cy, double outer, double inner, int points, double angle) {
        boolean regular = inner == outer;
        int vertices = regular ? points : 2 * points;
        float[] xy = new float[2 * vertices];
        for (int i = 0; i < vertices; i++) {
            double r = regular || i % 2 == 0 ? outer : inner;
            double t = angle + 2 * Math.PI * i / vertices;
            xy[2 * i] = (float) (cx + r * Math.cos(t));
            xy[2 * i + 1] = (float) (cy + r * Math.sin(t));
        }
        return xy;
    }
}
