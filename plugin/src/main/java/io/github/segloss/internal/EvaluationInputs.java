package io.github.segloss.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.function.BiFunction;

/**
 * The checks that every loss and every metric runs first on the {@code (labels, predictions)} pair
 * it receives, before it reads a single array: both lists hold at least one array, and every array
 * of both lists lives on the engine and the device of {@code predictions[0]}.
 *
 * <p>Without them an empty list failed with an {@link IndexOutOfBoundsException}, and arrays of two
 * engines failed deep inside an operator ({@link ClassCastException}, "Only PtNDArray is
 * supported") or, worse, were silently copied across engines. The checks read only Java-side
 * properties of the arrays (their manager's engine and their device): no device work.
 */
public final class EvaluationInputs {

    private EvaluationInputs() {}

    /**
     * Checks the inputs of a loss, then evaluates it, in float32 for float16 predictions (see
     * {@link HalfPrecision}).
     *
     * @param labels the labels the loss received
     * @param predictions the predictions the loss received
     * @param loss the loss's computation on checked inputs
     * @return the loss, in the type of {@code predictions[0]}
     * @throws IllegalArgumentException as {@link #require}
     */
    public static NDArray evaluate(
            NDList labels, NDList predictions, BiFunction<NDList, NDList, NDArray> loss) {
        require(labels, predictions);
        return HalfPrecision.evaluate(labels, predictions, loss);
    }

    /**
     * Checks the inputs of a loss, then evaluates it as {@link #evaluate(NDList, NDList,
     * BiFunction)} does, naming the loss in the message of any bad-input error ({@link
     * LossErrors}).
     *
     * @param owner the loss being evaluated
     * @param ignoreIndex the loss's ignore index as {@link LossErrors#evaluate} takes it
     * @param labels the labels the loss received
     * @param predictions the predictions the loss received
     * @param loss the loss's computation on checked inputs
     * @return the loss, in the type of {@code predictions[0]}
     * @throws IllegalArgumentException as {@link #require} or the computation, the loss named
     */
    public static NDArray evaluate(
            Loss owner,
            int ignoreIndex,
            NDList labels,
            NDList predictions,
            BiFunction<NDList, NDList, NDArray> loss) {
        return LossErrors.evaluate(owner, ignoreIndex, () -> evaluate(labels, predictions, loss));
    }

    /**
     * Requires non-empty lists whose arrays all share the engine and the device of {@code
     * predictions[0]}.
     *
     * @param labels the labels received
     * @param predictions the predictions received
     * @throws IllegalArgumentException naming the empty list, or the first array on another engine
     *     or device with both engines and devices
     */
    public static void require(NDList labels, NDList predictions) {
        requireNotEmpty(labels, "labels");
        requireNotEmpty(predictions, "predictions");
        NDArray reference = predictions.get(0);
        String engine = engineOf(reference);
        Device device = reference.getDevice();
        for (int i = 1; i < predictions.size(); i++) {
            NDArray array = predictions.get(i);
            requireSamePlace(
                    "predictions[" + i + "]",
                    engineOf(array),
                    array.getDevice(),
                    "predictions[0]",
                    engine,
                    device);
        }
        for (int i = 0; i < labels.size(); i++) {
            NDArray array = labels.get(i);
            requireSamePlace(
                    "labels[" + i + "]",
                    engineOf(array),
                    array.getDevice(),
                    "predictions[0]",
                    engine,
                    device);
        }
    }

    /**
     * Requires an array to live on the reference's engine and device.
     *
     * @param name the array's name for the message, e.g. "labels[0]"
     * @param engine the array's engine name
     * @param device the array's device
     * @param referenceName the reference's name, e.g. "predictions[0]"
     * @param referenceEngine the reference's engine name
     * @param referenceDevice the reference's device
     * @throws IllegalArgumentException like {@code labels[0] must be on the engine and device of
     *     predictions[0] (PyTorch, cpu()), got MXNet, cpu()}
     */
    public static void requireSamePlace(
            String name,
            String engine,
            Device device,
            String referenceName,
            String referenceEngine,
            Device referenceDevice) {
        if (engine.equals(referenceEngine) && device.equals(referenceDevice)) {
            return;
        }
        throw new IllegalArgumentException(
                name
                        + " must be on the engine and device of "
                        + referenceName
                        + " ("
                        + referenceEngine
                        + ", "
                        + referenceDevice
                        + "), got "
                        + engine
                        + ", "
                        + device
                        + ": move every label and prediction to one engine and device");
    }

    private static void requireNotEmpty(NDList list, String name) {
        if (list == null || list.isEmpty()) {
            throw new IllegalArgumentException(
                    name
                            + " must be an NDList of at least 1 array, got "
                            + (list == null ? "null" : "an empty NDList (0 arrays)"));
        }
    }

    private static String engineOf(NDArray array) {
        return array.getManager().getEngine().getEngineName();
    }
}
