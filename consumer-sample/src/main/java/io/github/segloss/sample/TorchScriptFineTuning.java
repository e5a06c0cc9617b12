package io.github.segloss.sample;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** README, "Using segloss": loading a scripted PyTorch model for fine-tuning (PyTorch only). */
final class TorchScriptFineTuning {

    private TorchScriptFineTuning() {}

    /**
     * Loads {@code modelDir/deeplabv3.pt} with trainable parameters, in training mode.
     *
     * @param model a PyTorch model
     * @param modelDir the folder of {@code deeplabv3.pt}
     * @throws IOException if the file cannot be read
     * @throws MalformedModelException if the file is not a TorchScript module
     */
    static void load(Model model, Path modelDir) throws IOException, MalformedModelException {
        // BEGIN README SNIPPET
        model.load(modelDir, "deeplabv3", Map.of("trainParam", "true")); // modelDir/deeplabv3.pt
        JniUtils.enableTrainingMode((PtSymbolBlock) model.getBlock());   // ai.djl.pytorch.{jni,engine}
        // END README SNIPPET
    }
}
