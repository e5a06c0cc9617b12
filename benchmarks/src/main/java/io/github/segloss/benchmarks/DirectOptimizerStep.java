package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;

/**
 * A prototype of {@code trainer.step()} for training on one device: each trainable parameter is
 * updated by the trainer's optimizer straight from its gradient.
 *
 * <p>DJL 0.36's {@code trainer.step()} goes through {@code LocalParameterServer.update}, which
 * copies every gradient ({@code grads[0].duplicate()}, kept for the devices after the first,
 * because DJL's PyTorch update zeroes the gradient) before calling the optimizer, whose native Adam
 * clones it once more: with one device that copy is a full extra pass and allocation per parameter
 * that changes nothing. This step calls the same {@code Optimizer.update} with the same parameter
 * ids on the gradient itself, so the optimizer's state, update counts and learning-rate tracker
 * advance exactly as under {@code trainer.step()} ({@code DirectOptimizerStepTest} checks bit-equal
 * weights). Not used by segloss-train.
 */
public final class DirectOptimizerStep {

    private DirectOptimizerStep() {}

    /**
     * Updates every trainable parameter of the trainer's model once.
     *
     * @param trainer a trainer on one device, after the backward pass
     * @param optimizer the optimizer of the trainer's configuration (DJL's trainer does not expose
     *     it)
     * @throws IllegalArgumentException if the trainer has several devices
     */
    public static void step(Trainer trainer, Optimizer optimizer) {
        if (trainer.getDevices().length != 1) {
            throw new IllegalArgumentException(
                    "DirectOptimizerStep needs a trainer on one device, got "
                            + trainer.getDevices().length);
        }
        for (Pair<String, Parameter> pair : trainer.getModel().getBlock().getParameters()) {
            Parameter parameter = pair.getValue();
            if (parameter.requiresGradient()) {
                NDArray weight = parameter.getArray();
                try (NDArray gradient = weight.getGradient()) {
                    optimizer.update(parameter.getId(), weight, gradient);
                }
            }
        }
    }
}
