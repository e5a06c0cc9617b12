package io.github.segloss.enginetest;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Runs a scalar function under a gradient collector and reads its value and gradients. */
public final class Gradients {

    private Gradients() {}

    /**
     * A computed scalar with the gradients of its inputs.
     *
     * @param value the scalar
     * @param grads the gradient of each input, by name
     * @param result the scalar array itself (shape, type and device checks)
     */
    public record Result(double value, Map<String, float[]> grads, NDArray result) {}

    /**
     * Computes {@code function} with gradients for {@code inputs}.
     *
     * @param engine the engine of the inputs
     * @param inputs the arrays to differentiate, by name (they are marked as requiring gradients);
     *     none computes the value alone
     * @param function the scalar function
     * @return the value and the gradients
     */
    public static Result of(
            Engine engine, Map<String, NDArray> inputs, Supplier<NDArray> function) {
        if (inputs.isEmpty()) {
            NDArray result = function.get();
            return new Result(result.toType(DataType.FLOAT64, false).getDouble(), Map.of(), result);
        }
        inputs.values().forEach(array -> array.setRequiresGradient(true));
        NDArray result;
        try (GradientCollector collector = engine.newGradientCollector()) {
            result = function.get();
            collector.backward(result);
        }
        Map<String, float[]> grads = new LinkedHashMap<>();
        inputs.forEach((name, array) -> grads.put(name, array.getGradient().toFloatArray()));
        double value = result.toType(DataType.FLOAT64, false).getDouble();
        return new Result(value, grads, result);
    }
}
