package io.github.segloss.enginetest.fuzz;

/**
 * Float64 references of the resampling helpers, written from torchvision's CPU {@code roi_align}
 * kernel and PyTorch's {@code upsample_bilinear2d} (plain loops): both are linear in the input, so
 * each returns the output and, for an output weight G, the gradient of \( \sum G \cdot \mathrm{out}
 * \) with respect to the input.
 */
public final class ResamplingReference {

    private ResamplingReference() {}

    /**
     * An output and the input gradient of \( \sum G \cdot \mathrm{out} \).
     *
     * @param output the output values
     * @param grad the gradient of the input
     */
    public record Result(double[] output, double[] grad) {}

    /**
     * torchvision's {@code roi_align(features, rois, (outH, outW), spatialScale, samplingRatio,
     * aligned)}: for RoI r on image \( b_r \), cell (u, v) is the mean of the bilinear samples of
     * an adaptive (\( \lceil h / outH \rceil \)) or fixed grid; samples outside \( [-1, H] \) count
     * as 0, samples in \( [-1, 0] \) are clamped to 0 and beyond \( H - 1 \) to \( H - 1 \).
     *
     * @param features (B, C, H, W)
     * @param b B
     * @param channels C
     * @param height H
     * @param width W
     * @param boxes (R, 4) as x1, y1, x2, y2
     * @param images (R) the image of each RoI
     * @param outH the output height
     * @param outW the output width
     * @param spatialScale the box scale
     * @param samplingRatio the sampling ratio (adaptive when 0 or less)
     * @param aligned whether to shift by half a pixel
     * @param weight the output weight G (R, C, outH, outW)
     * @return the output (R, C, outH, outW) and the gradient of the features
     */
    static Result roiAlign(
            double[] features,
            int b,
            int channels,
            int height,
            int width,
            double[] boxes,
            int[] images,
            int outH,
            int outW,
            double spatialScale,
            int samplingRatio,
            boolean aligned,
            double[] weight) {
        int rois = images.length;
        double[] out = new double[rois * channels * outH * outW];
        double[] grad = new double[features.length];
        double offset = aligned ? 0.5 : 0;
        for (int r = 0; r < rois; r++) {
            double startW = boxes[4 * r] * spatialScale - offset;
            double startH = boxes[4 * r + 1] * spatialScale - offset;
            double endW = boxes[4 * r + 2] * spatialScale - offset;
            double endH = boxes[4 * r + 3] * spatialScale - offset;
            double roiW = endW - startW;
            double roiH = endH - startH;
            if (!aligned) {
                roiW = Math.max(roiW, 1);
                roiH = Math.max(roiH, 1);
            }
            double binH = roiH / outH;
            double binW = roiW / outW;
            int gridH = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiH / outH);
            int gridW = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiW / outW);
            double count = Math.max(gridH * gridW, 1);
            for (int c = 0; c < channels; c++) {
                int plane = (images[r] * channels + c) * height * width;
                for (int ph = 0; ph < outH; ph++) {
                    for (int pw = 0; pw < outW; pw++) {
                        int at = ((r * channels + c) * outH + ph) * outW + pw;
                        double sum = 0;
                        for (int iy = 0; iy < gridH; iy++) {
                            double y = startH + ph * binH + (iy + 0.5) * binH / gridH;
                            for (int ix = 0; ix < gridW; ix++) {
                                double x = startW + pw * binW + (ix + 0.5) * binW / gridW;
                                sum +=
                                        bilinear(
                                                features,
                                                grad,
                                                plane,
                                                height,
                                                width,
                                                y,
                                                x,
                                                weight[at] / count);
                            }
                        }
                        out[at] = sum / count;
                    }
                }
            }
        }
        return new Result(out, grad);
    }

    /**
     * torchvision's {@code bilinear_interpolate}: the sample at (y, x) of one plane, and {@code g}
     * times its weights added to the gradient.
     */
    private static double bilinear(
            double[] data,
            double[] grad,
            int plane,
            int height,
            int width,
            double y,
            double x,
            double g) {
        if (y < -1.0 || y > height || x < -1.0 || x > width) {
            return 0;
        }
        y = Math.max(y, 0);
        x = Math.max(x, 0);
        int yLow = (int) y;
        int xLow = (int) x;
        int yHigh;
        int xHigh;
        if (yLow >= height - 1) {
            yHigh = yLow = height - 1;
            y = yLow;
        } else {
            yHigh = yLow + 1;
        }
        if (xLow >= width - 1) {
            xHigh = xLow = width - 1;
            x = xLow;
        } else {
            xHigh = xLow + 1;
        }
        double ly = y - yLow;
        double lx = x - xLow;
        double hy = 1 - ly;
        double hx = 1 - lx;
        int[] at = {
            plane + yLow * width + xLow,
            plane + yLow * width + xHigh,
            plane + yHigh * width + xLow,
            plane + yHigh * width + xHigh
        };
        double[] w = {hy * hx, hy * lx, ly * hx, ly * lx};
        double value = 0;
        for (int k = 0; k < 4; k++) {
            value += w[k] * data[at[k]];
            grad[at[k]] += w[k] * g;
        }
        return value;
    }

    /**
     * PyTorch's {@code F.interpolate(x, (outH, outW), mode="bilinear", align_corners)}: source
     * coordinate \( s = u (in - 1)/(out - 1) \) (aligned corners; 0 for out = 1) or \( \max(0, (u +
     * 0.5)\, in/out - 0.5) \), neighbours \( \lfloor s \rfloor \) and the next one clamped to the
     * input, weights \( 1 - \lambda, \lambda \).
     *
     * @param input (N, C, H, W)
     * @param planes N·C
     * @param height H
     * @param width W
     * @param outH the output height
     * @param outW the output width
     * @param alignCorners PyTorch's align_corners
     * @param weight the output weight G (N, C, outH, outW)
     * @return the output and the gradient of the input
     */
    static Result bilinearResize(
            double[] input,
            int planes,
            int height,
            int width,
            int outH,
            int outW,
            boolean alignCorners,
            double[] weight) {
        double[] out = new double[planes * outH * outW];
        double[] grad = new double[input.length];
        for (int p = 0; p < planes; p++) {
            for (int u = 0; u < outH; u++) {
                double sy = source(u, height, outH, alignCorners);
                int y0 = (int) sy;
                int y1 = y0 < height - 1 ? y0 + 1 : y0;
                double ly = sy - y0;
                for (int v = 0; v < outW; v++) {
                    double sx = source(v, width, outW, alignCorners);
                    int x0 = (int) sx;
                    int x1 = x0 < width - 1 ? x0 + 1 : x0;
                    double lx = sx - x0;
                    int base = p * height * width;
                    int[] at = {
                        base + y0 * width + x0,
                        base + y0 * width + x1,
                        base + y1 * width + x0,
                        base + y1 * width + x1
                    };
                    double[] w = {(1 - ly) * (1 - lx), (1 - ly) * lx, ly * (1 - lx), ly * lx};
                    int o = (p * outH + u) * outW + v;
                    for (int k = 0; k < 4; k++) {
                        out[o] += w[k] * input[at[k]];
                        grad[at[k]] += w[k] * weight[o];
                    }
                }
            }
        }
        return new Result(out, grad);
    }

    private static double source(int dst, int in, int out, boolean alignCorners) {
        if (alignCorners) {
            return out > 1 ? dst * (double) (in - 1) / (out - 1) : 0;
        }
        return Math.max(0, (dst + 0.5) * in / out - 0.5);
    }

    /**
     * detectron2's {@code point_sample}, PyTorch's {@code grid_sample(input, 2 * points - 1,
     * align_corners=False)} with zero padding: point (x, y) reads pixel coordinates \( (xW - 0.5,
     * yH - 0.5) \); each of the four corners outside the map contributes 0.
     *
     * @param input (N, C, H, W)
     * @param n N
     * @param channels C
     * @param height H
     * @param width W
     * @param points (N, P, 2) as (x, y)
     * @param count P
     * @param weight the output weight G (N, C, P)
     * @return the output (N, C, P) and the gradient of the input
     */
    static Result pointSample(
            double[] input,
            int n,
            int channels,
            int height,
            int width,
            double[] points,
            int count,
            double[] weight) {
        double[] out = new double[n * channels * count];
        double[] grad = new double[input.length];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < count; p++) {
                double x = points[(b * count + p) * 2] * width - 0.5;
                double y = points[(b * count + p) * 2 + 1] * height - 0.5;
                int x0 = (int) Math.floor(x);
                int y0 = (int) Math.floor(y);
                double lx = x - x0;
                double ly = y - y0;
                for (int c = 0; c < channels; c++) {
                    int o = (b * channels + c) * count + p;
                    int plane = (b * channels + c) * height * width;
                    for (int dy = 0; dy <= 1; dy++) {
                        for (int dx = 0; dx <= 1; dx++) {
                            int yy = y0 + dy;
                            int xx = x0 + dx;
                            if (yy < 0 || yy >= height || xx < 0 || xx >= width) {
                                continue;
                            }
                            double w = (dx == 1 ? lx : 1 - lx) * (dy == 1 ? ly : 1 - ly);
                            out[o] += w * input[plane + yy * width + xx];
                            grad[plane + yy * width + xx] += w * weight[o];
                        }
                    }
                }
            }
        }
        return new Result(out, grad);
    }
}
