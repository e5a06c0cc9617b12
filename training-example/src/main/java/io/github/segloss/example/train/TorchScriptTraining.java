package io.github.segloss.example.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads a TorchScript module for fine-tuning: its parameters trainable and the module really in
 * training mode, so that batch normalisation uses the batch's statistics from the very first
 * training batch.
 *
 * <p>DJL 0.36 loads a TorchScript module in eval mode, but its {@code PtSymbolBlock} starts out
 * believing it is in training mode and calls the module's {@code train()} only when a forward's
 * {@code training} flag differs from what it believes. Without an inference call first, the first
 * training forward therefore runs batch normalisation on the running statistics. Switching the
 * module to training mode right after loading makes the module agree with DJL's belief; later
 * inference and training calls then switch it both ways as usual.
 */
public final class TorchScriptTraining {

    private TorchScriptTraining() {}

    /**
     * Loads {@code folder/name.pt} into a model (PyTorch engine) and puts it in training mode.
     *
     * @param model the model, without a block
     * @param folder the folder holding the module
     * @param name the module's file name without {@code .pt}
     * @throws IOException if the file cannot be read
     * @throws MalformedModelException if the file is not a TorchScript module
     */
    public static void load(Model model, Path folder, String name)
            throws IOException, MalformedModelException {
        model.load(folder, name, Map.of("trainParam", "true"));
        JniUtils.enableTrainingMode((PtSymbolBlock) model.getBlock());
    }
}
