package io.github.segloss.example.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.github.segloss.example.model.FineTunableModel;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The backbone of the model being trained: a built-in model's backbone block, or the parameters of
 * a TorchScript model named {@code *backbone.*} (torchvision's naming). {@code
 * --freeze-backbone-epochs} and {@code --backbone-lr-scale} act on the same parameters.
 */
final class Backbone {

    private static final Pattern NAME = Pattern.compile("(^|\\.)backbone\\.");

    private Backbone() {}

    /**
     * Returns the backbone's parameters (batch-norm running statistics included).
     *
     * @param net a built-in model or a TorchScript block
     * @return the backbone's parameters
     */
    static List<Parameter> parameters(Block net) {
        if (net instanceof FineTunableModel model) {
            return List.copyOf(model.getBackbone().getParameters().values());
        }
        return net.getParameters().stream()
                .filter(pair -> NAME.matcher(pair.getKey()).find())
                .map(pair -> pair.getValue())
                .toList();
    }

    /**
     * Freezes or unfreezes the backbone's trainable parameters.
     *
     * @param net a built-in model or a TorchScript block
     * @param freeze true to train the heads alone
     */
    static void freeze(Block net, boolean freeze) {
        if (net instanceof FineTunableModel model) {
            model.freezeBackbone(freeze);
        } else {
            net.freezeParameters(freeze, p -> NAME.matcher(p.getName()).find());
        }
    }
}
