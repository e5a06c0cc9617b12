package io.github.segloss.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;

/** One timed forward and backward pass of a loss, as the benchmarks and torch_bench.py run it. */
final class ForwardBackward {

    private ForwardBackward() {}

    /**
     * Copies the predictions into fresh graph leaves (as {@code x.clone().requires_grad_()} on the
     * PyTorch side), evaluates the loss, back-propagates and reads the value and one gradient
     * element to the host; everything made on the way is closed.
     *
     * @param engine the engine's name
     * @param loss the loss
     * @param labels the labels
     * @param predictions the predictions
     * @return a number that depends on the result
     */
    static float run(String engine, Loss loss, NDList labels, NDList predictions) {
        // every array made here (copies, intermediates, gradients) is closed with the scope
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList leaves = new NDList();
            for (NDArray prediction : predictions) {
                NDArray leaf = prediction.duplicate();
                leaf.setRequiresGradient(true);
                leaves.add(leaf);
            }
            float value;
            try (GradientCollector collector = Engine.getEngine(engine).newGradientCollector()) {
                NDArray result = loss.evaluate(labels, leaves);
                collector.backward(result);
                value = result.getFloat();
            }
            return value + leaves.head().getGradient().flatten().getFloat(0);
        }
    }
}
