package io.github.segloss.benchmarks;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Scripted torchvision models in DJL's PyTorch engine for the benchmarks: loading for training, and
 * the fixed input and labels of {@code training-example/scripts/reference_float64_parity.py}.
 */
final class ScriptedModules {

    private ScriptedModules() {}

    /**
     * Loads {@code folder/name.pt} with trainable parameters and puts the module really in training
     * mode, as the training example's {@code TorchScriptTraining} (package-private there) does: DJL
     * loads a module in eval mode while believing it is in training mode, so without this the first
     * training forward would run batch norm on the running statistics.
     *
     * @param model the model (PyTorch engine), without a block
     * @param folder the folder holding the module
     * @param name the module's file name without {@code .pt}
     * @throws IOException if the file cannot be read
     * @throws MalformedModelException if the file is not a TorchScript module
     */
    static void loadForTraining(Model model, Path folder, String name)
            throws IOException, MalformedModelException {
        model.load(folder, name, Map.of("trainParam", "true"));
        JniUtils.enableTrainingMode((PtSymbolBlock) model.getBlock());
    }

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
