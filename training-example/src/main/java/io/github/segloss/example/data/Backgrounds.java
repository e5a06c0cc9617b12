package io.github.segloss.example.data;

import java.util.Random;

/**
 * Textured backgrounds of the synthetic images: a linear gradient, sine stripes or smooth value
 * noise, each blending two nearby colours (at most 0.3 apart per channel) so that shapes of a
 * contrasting colour stand out.
 */
final class Backgrounds {

    private static final int NOISE_GRID = 5;

    private Backgrounds() {}

    /**
     * Paints a random background.
     *
     * @param random the source of randomness
     * @param size the image's height and width
     * @return the image, CHW floats in [0, 1]
     */
    static float[] paint(Random random, int size) {
        float[] from = new float[3];
        float[] to = new float[3];
        for (int c = 0; c < 3; c++) {
            from[c] = 0.1f + 0.8f * random.nextFloat();
            to[c] = clamp(from[c] + 0.6f * (random.nextFloat() - 0.5f));
        }
        double angle = 2 * Math.PI * random.nextDouble();
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        int kind = random.nextInt(3);
        double period = 4 + 8 * random.nextDouble();
        float[] grid = new float[(NOISE_GRID + 1) * (NOISE_GRID + 1)];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = random.nextFloat();
        }
        int plane = size * size;
        float[] image = new float[3 * plane];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double along = (x + 0.5) * cos + (y + 0.5) * sin;
                double t =
                        switch (kind) {
                            case 0 -> 0.5 + along / (size * Math.sqrt(2));
                            case 1 -> 0.5 + 0.5 * Math.sin(2 * Math.PI * along / period);
                            default -> noise(grid, (x + 0.5) / size, (y + 0.5) / size);
                        };
                for (int c = 0; c < 3; c++) {
                    image[c * plane + y * size + x] = (float) (from[c] + t * (to[c] - from[c]));
                }
            }
        }
        return image;
    }

    /** Bilinear value noise over a (NOISE_GRID + 1)² lattice, at u, v in [0, 1]. */
    private static double noise(float[] grid, double u, double v) {
        double gx = u * NOISE_GRID;
        double gy = v * NOISE_GRID;
        int x0 = Math.min((int) gx, NOISE_GRID - 1);
        int y0 = Math.min((int) gy, NOISE_GRID - 1);
        double fx = gx - x0;
        double fy = gy - y0;
        int n = NOISE_GRID + 1;
        double top = grid[y0 * n + x0] * (1 - fx) + grid[y0 * n + x0 + 1] * fx;
        double bottom = grid[(y0 + 1) * n + x0] * (1 - fx) + grid[(y0 + 1) * n + x0 + 1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    /**
     * Clamps a value to [0, 1].
     *
     * @param v the value
     * @return the clamped value
     */
    static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
