package io.github.segloss.enginetest.fuzz;

/**
 * Host references of the inference helpers, written from the algorithms they must equal, pixel by
 * pixel in float64 and independent of the library's code.
 *
 * <ul>
 *   <li>{@link #upsampled}: PyTorch's {@code upsample_bilinear2d} with {@code align_corners=False}
 *       (source index {@code max((u + 0.5) * in / out - 0.5, 0)}, its floor and the next index
 *       clamped to the input), one channel;
 *   <li>{@link #pasted}: torchvision 0.14's {@code paste_masks_in_image}: {@code expand_masks}
 *       (zero padding of 1, scale {@code (M + 2) / M}), {@code expand_boxes} in the boxes' float
 *       type then {@code .to(torch.int64)}, and {@code paste_mask_in_image} (size {@code max(b2 -
 *       b0 + 1, 1)}, resize, and the slices clipped to the image).
 * </ul>
 */
final class InferenceReference {

    private InferenceReference() {}

    /**
     * Bilinearly resizes one channel, as {@code F.interpolate(mode="bilinear",
     * align_corners=False)}.
     *
     * @param in the values {@code inH × inW}, row-major
     * @param inH the input height
     * @param inW the input width
     * @param outH the output height
     * @param outW the output width
     * @return the values {@code outH × outW}, row-major
     */
    static double[] upsampled(double[] in, int inH, int inW, int outH, int outW) {
        double[] out = new double[outH * outW];
        for (int i = 0; i < outH; i++) {
            double sy = Math.max((i + 0.5) * inH / outH - 0.5, 0);
            int y0 = (int) sy;
            int y1 = y0 < inH - 1 ? y0 + 1 : y0;
            double ly = sy - y0;
            for (int j = 0; j < outW; j++) {
                double sx = Math.max((j + 0.5) * inW / outW - 0.5, 0);
                int x0 = (int) sx;
                int x1 = x0 < inW - 1 ? x0 + 1 : x0;
                double lx = sx - x0;
                out[i * outW + j] =
                        (1 - ly) * ((1 - lx) * in[y0 * inW + x0] + lx * in[y0 * inW + x1])
                                + ly * ((1 - lx) * in[y1 * inW + x0] + lx * in[y1 * inW + x1]);
            }
        }
        return out;
    }

    /**
     * Pastes M×M probabilities into an image, as {@code paste_masks_in_image(masks[:, None], boxes,
     * (height, width), padding=1)[:, 0]}, for every box (including those wholly outside the image,
     * where torchvision raises, and which get no pixel here).
     *
     * @param probabilities {@code R × M × M} probabilities, row-major
     * @param m the mask size M
     * @param boxes {@code R × 4} boxes {@code x1, y1, x2, y2}
     * @param float64Boxes whether the boxes are float64 (otherwise float32 arithmetic)
     * @param height the image height
     * @param width the image width
     * @return {@code R × height × width} probabilities, row-major
     */
    static double[] pasted(
            double[] probabilities,
            int m,
            double[] boxes,
            boolean float64Boxes,
            int height,
            int width) {
        int rois = boxes.length / 4;
        int p = m + 2;
        double[] out = new double[rois * height * width];
        for (int r = 0; r < rois; r++) {
            double[] padded = new double[p * p];
            for (int u = 0; u < m; u++) {
                for (int v = 0; v < m; v++) {
                    padded[(u + 1) * p + v + 1] = probabilities[(r * m + u) * m + v];
                }
            }
            long[] b = expanded(boxes, r, (double) p / m, float64Boxes);
            long w = Math.max(b[2] - b[0] + 1, 1);
            long h = Math.max(b[3] - b[1] + 1, 1);
            long x0 = Math.max(b[0], 0);
            long x1 = Math.min(b[2] + 1, width);
            long y0 = Math.max(b[1], 0);
            long y1 = Math.min(b[3] + 1, height);
            if (x0 >= x1 || y0 >= y1) {
                continue;
            }
            double[] resized = upsampled(padded, p, p, (int) h, (int) w);
            for (long y = y0; y < y1; y++) {
                for (long x = x0; x < x1; x++) {
                    out[(int) ((r * (long) height + y) * width + x)] =
                            resized[(int) ((y - b[1]) * w + (x - b[0]))];
                }
            }
        }
        return out;
    }

    /** {@code expand_boxes(boxes, scale).to(torch.int64)} of box r. */
    private static long[] expanded(double[] boxes, int r, double scale, boolean float64) {
        double x1 = boxes[4 * r];
        double y1 = boxes[4 * r + 1];
        double x2 = boxes[4 * r + 2];
        double y2 = boxes[4 * r + 3];
        if (float64) {
            double wHalf = (x2 - x1) * 0.5 * scale;
            double hHalf = (y2 - y1) * 0.5 * scale;
            double xc = (x2 + x1) * 0.5;
            double yc = (y2 + y1) * 0.5;
            return new long[] {
                (long) (xc - wHalf), (long) (yc - hHalf), (long) (xc + wHalf), (long) (yc + hHalf)
            };
        }
        float s = (float) scale;
        float wHalf = ((float) x2 - (float) x1) * 0.5f * s;
        float hHalf = ((float) y2 - (float) y1) * 0.5f * s;
        float xc = ((float) x2 + (float) x1) * 0.5f;
        float yc = ((float) y2 + (float) y1) * 0.5f;
        return new long[] {
            (long) (xc - wHalf), (long) (yc - hHalf), (long) (xc + wHalf), (long) (yc + hHalf)
        };
    }
}
