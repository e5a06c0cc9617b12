package io.github.segloss.example.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The input and labels of the PyTorch reference generators ({@code
 * training-example/scripts/reference_train_mode.py} and {@code reference_float64_parity.py}), as
 * formulas Java reproduces exactly.
 */
final class ReferenceBatch {

    private ReferenceBatch() {}

    /**
     * The input, {@code x[i] = ((i * 37) % 101 - 50) / 25.0} with i the flat NCHW index, computed
     * in float64 and rounded to the type once.
     *
     * @param manager the manager of the array
     * @param shape (N, C, H, W)
     * @param type FLOAT32 or FLOAT64
     * @return the input
     */
    static NDArray input(NDManager manager, Shape shape, DataType type) {
        double[] values = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((i * 37L) % 101 - 50) / 25.0;
        }
        if (type == DataType.FLOAT64) {
            return manager.create(values, shape);
        }
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = (float) values[i];
        }
        return manager.create(rounded, shape);
    }

    /**
     * The labels, {@code (7n + 3h + w) mod 5} with 4 replaced by the ignore index 255.
     *
     * @param manager the manager of the array
     * @param shape the input's (N, C, H, W)
     * @return the labels (N, H, W), int64
     */
    static NDArray labels(NDManager manager, Shape shape) {
        int n = (int) shape.get(0);
        int h = (int) shape.get(2);
        int w = (int) shape.get(3);
        long[] values = new long[n * h * w];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int label = (7 * b + 3 * y + x) % 5;
                    values[(b * h + y) * w + x] = label == 4 ? 255 : label;
                }
            }
        }
        return manager.create(values, new Shape(n, h, w));
    }
}
