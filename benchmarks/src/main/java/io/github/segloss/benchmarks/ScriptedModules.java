package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The fixed input and labels of {@code training-example/scripts/reference_float64_parity.py} for
 * the scripted-model benchmarks (the tests' {@code ReferenceBatch} is test code, out of reach of
 * this module); the models load through the training example's {@code TorchScriptTraining}.
 */
final class ScriptedModules {

    private ScriptedModules() {}

    /**
     * The generator's float64 input: {@code x[i] = ((i * 37) % 101 - 50) / 25.0}, i the flat NCHW
     * index.
     *
     * @param manager the manager of the array
     * @param shape (N, C, H, W)
     * @return the input
     */
    static NDArray parityInput(NDManager manager, Shape shape) {
        double[] values = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((i * 37L) % 101 - 50) / 25.0;
        }
        return manager.create(values, shape);
    }

    /**
     * The generator's labels: {@code (7n + 3h + w) mod 5}, with 4 replaced by the ignore index 255.
     *
     * @param manager the manager of the array
     * @param shape the input's (N, C, H, W)
     * @return the labels (N, H, W), int64
     */
    static NDArray parityLabels(NDManager manager, Shape shape) {
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
