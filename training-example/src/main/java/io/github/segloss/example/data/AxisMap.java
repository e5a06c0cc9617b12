package io.github.segloss.example.data;

/**
 * Where each output pixel of one axis reads from in the source: the source axis is scaled to {@code
 * scaledLength}, then a window of {@code outLength} starting at {@code offset} is taken (a negative
 * offset or a window past the end pads), then optionally mirrored.
 *
 * <p>Coordinates are pixel-centred (PyTorch's {@code align_corners=False}): output index {@code r}
 * of the scaled axis sits at source coordinate {@code (r + 0.5) * length / scaledLength - 0.5};
 * bilinear taps are clamped to the edge; nearest takes {@code floor((r + 0.5) * length /
 * scaledLength)}.
 */
final class AxisMap {

    /** Per output index: whether it is padding. */
    final boolean[] pad;

    /** Per output index: the nearest source index. */
    final int[] nearest;

    /** Per output index: the lower bilinear tap. */
    final int[] low;

    /** Per output index: the upper bilinear tap. */
    final int[] high;

    /** Per output index: the weight of the upper tap. */
    final float[] weight;

    /**
     * Builds the map of one axis.
     *
     * @param length the source length
     * @param scaledLength the length after scaling
     * @param offset the first scaled index of the output window (negative: padding before)
     * @param outLength the output length
     * @param flip whether the output is mirrored
     */
    AxisMap(int length, int scaledLength, int offset, int outLength, boolean flip) {
        pad = new boolean[outLength];
        nearest = new int[outLength];
        low = new int[outLength];
        high = new int[outLength];
        weight = new float[outLength];
        double scale = (double) length / scaledLength;
        for (int o = 0; o < outLength; o++) {
            int r = (flip ? outLength - 1 - o : o) + offset;
            if (r < 0 || r >= scaledLength) {
                pad[o] = true;
                continue;
            }
            nearest[o] = Math.min((int) Math.floor((r + 0.5) * scale), length - 1);
            double s = Math.max(0, Math.min(length - 1, (r + 0.5) * scale - 0.5));
            low[o] = (int) Math.floor(s);
            high[o] = Math.min(low[o] + 1, length - 1);
            weight[o] = (float) (s - low[o]);
        }
    }
}
