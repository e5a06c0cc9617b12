package io.github.segloss.example.train;

import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import io.github.segloss.example.model.FineTunableModel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Freezes the batch-norm running statistics of the model being fine-tuned ({@code
 * --freeze-bn-stats}): batch normalisation then uses and keeps its running statistics in training
 * too, while its scale and shift still train.
 *
 * <p>DJL 0.36 can switch a TorchScript module only as a whole between training and inference mode
 * (and switches it back on every change of mode), so a TorchScript model must freeze its own batch
 * norms: {@code training-example/scripts/trace_model.py} exports {@value #METHOD}{@code (bool)} for
 * this.
 */
final class BatchNormStatistics {

    /** The method of a TorchScript module that freezes its batch-norm statistics. */
    static final String METHOD = "freeze_batch_norm_statistics";

    private BatchNormStatistics() {}

    /**
     * Freezes or unfreezes the running statistics of every batch norm of the model.
     *
     * @param net a built-in model or a TorchScript block
     * @param freeze true to keep the running statistics while training
     * @param torchscript the TorchScript file (for messages), or {@code null}
     * @throws IllegalArgumentException if a TorchScript model to freeze lacks {@value #METHOD}
     */
    static void freeze(Block net, boolean freeze, Path torchscript) {
        if (net instanceof FineTunableModel model) {
            model.freezeStatistics(freeze);
            return;
        }
        PtSymbolBlock module = (PtSymbolBlock) net;
        if (!Arrays.asList(JniUtils.getMethodNames(module)).contains(METHOD)) {
            if (freeze) {
                throw new IllegalArgumentException(
                        "--freeze-bn-stats: --torchscript "
                                + torchscript
                                + " has no method "
                                + METHOD
                                + "(bool); script it with"
                                + " training-example/scripts/trace_model.py");
            }
            return;
        }
        try (IValue flag = IValue.from(freeze)) {
            IValueUtils.runMethod(module, METHOD, flag).close();
        }
    }
}
