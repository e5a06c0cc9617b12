package io.github.segloss.benchmarks;

/**
 * The mask AP benchmark's dataset, drawn exactly as {@code mask_ap_bench.py} draws it (the same
 * 64-bit LCG and integer raster): 50 images of 480 × 640, each with 10 ground truths of 5 classes
 * (rectangles and ellipses with semi-axes of 10 to 99 rows and 10 to 129 columns) and 30 detections
 * (two shifted, resized copies of each ground truth with its class, and 10 random shapes), scores
 * in {@code [0, 1)}; every tenth image's first ground truth is a crowd region.
 *
 * @param height the image height
 * @param width the image width
 * @param dtMasks per image, the detections' masks, row-major
 * @param scores per image, the detections' scores
 * @param dtClasses per image, the detections' classes
 * @param gtMasks per image, the ground truths' masks
 * @param gtClasses per image, the ground truths' classes
 * @param gtCrowd per image, the ground truths' crowd flags
 */
record MaskApData(
        int height,
        int width,
        boolean[][][] dtMasks,
        double[][] scores,
        int[][] dtClasses,
        boolean[][][] gtMasks,
        int[][] gtClasses,
        boolean[][] gtCrowd) {

    /** The number of classes. */
    static final int CLASSES = 5;

    private static final int IMAGES = 50;
    private static final int GTS = 10;
    private static final int DTS = 30;

    /**
     * Draws the dataset.
     *
     * @return the dataset
     */
    static MaskApData draw() {
        int h = 480;
        int w = 640;
        long[] state = {20261206L};
        boolean[][][] dt = new boolean[IMAGES][DTS][];
        double[][] scores = new double[IMAGES][DTS];
        int[][] dtClasses = new int[IMAGES][DTS];
        boolean[][][] gt = new boolean[IMAGES][GTS][];
        int[][] gtClasses = new int[IMAGES][GTS];
        boolean[][] crowd = new boolean[IMAGES][GTS];
        for (int n = 0; n < IMAGES; n++) {
            int[][] shapes = new int[GTS][];
            for (int j = 0; j < GTS; j++) {
                shapes[j] = shape(state, h, w);
                gtClasses[n][j] = (int) (next(state) % CLASSES);
                gt[n][j] = raster(shapes[j], h, w);
                crowd[n][j] = n % 10 == 0 && j == 0;
            }
            for (int i = 0; i < DTS; i++) {
                int[] s;
                if (i < 2 * GTS) {
                    int[] g = shapes[i / 2];
                    s =
                            new int[] {
                                g[0],
                                g[1] + (int) (next(state) % 7) - 3,
                                g[2] + (int) (next(state) % 7) - 3,
                                Math.max(1, g[3] + (int) (next(state) % 5) - 2),
                                Math.max(1, g[4] + (int) (next(state) % 5) - 2)
                            };
                    dtClasses[n][i] = gtClasses[n][i / 2];
                } else {
                    s = shape(state, h, w);
                    dtClasses[n][i] = (int) (next(state) % CLASSES);
                }
                dt[n][i] = raster(s, h, w);
                scores[n][i] = (next(state) % 1_000_000) / 1e6;
            }
        }
        return new MaskApData(h, w, dt, scores, dtClasses, gt, gtClasses, crowd);
    }

    /** The LCG of Knuth's MMIX; the draw is the high 31 bits. */
    private static long next(long[] state) {
        state[0] = state[0] * 6364136223846793005L + 1442695040888963407L;
        return state[0] >>> 33;
    }

    /** kind (0 rectangle, 1 ellipse), centre row, centre column, row radius, column radius. */
    private static int[] shape(long[] state, int h, int w) {
        return new int[] {
            (int) (next(state) % 2),
            (int) (next(state) % h),
            (int) (next(state) % w),
            10 + (int) (next(state) % 90),
            10 + (int) (next(state) % 120)
        };
    }

    /** The shape's pixels: |dy| <= ry and |dx| <= rx, or (dy/ry)² + (dx/rx)² <= 1 in integers. */
    private static boolean[] raster(int[] s, int h, int w) {
        boolean[] mask = new boolean[h * w];
        long ry = s[3];
        long rx = s[4];
        for (int y = Math.max(0, s[1] - s[3]); y <= Math.min(h - 1, s[1] + s[3]); y++) {
            for (int x = Math.max(0, s[2] - s[4]); x <= Math.min(w - 1, s[2] + s[4]); x++) {
                long dy = y - s[1];
                long dx = x - s[2];
                mask[y * w + x] =
                        s[0] == 0 || dy * dy * rx * rx + dx * dx * ry * ry <= rx * rx * ry * ry;
            }
        }
        return mask;
    }
}
