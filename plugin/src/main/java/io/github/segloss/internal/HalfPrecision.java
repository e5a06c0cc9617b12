package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.BiFunction;

/**
 * Losses of float16 predictions, computed in float32 and returned in float16, as the loss contract
 * promises ("in the prediction's float type").
 *
 * <p>Computed in float16 itself, the losses were wrong or failed: MXNet has no float16 {@code
 * argsort} (Lovász) and rejects float16 scalars (OHEM, the Lovász hinge, multilabel targets), and
 * on PyTorch the reductions' scalar operands promoted 0-d float16 results to float32; float16 also
 * cannot hold the denominators' guard (the smallest normal float) nor sums of many pixels exactly.
 * Both casts are differentiable, so the gradient reaches the float16 predictions in float16.
 */
public final class HalfPrecision {

    private HalfPrecision() {}

    /**
     * Evaluates a loss, in float32 when {@code predictions[0]} (the array every loss reads) is
     * float16; other predictions are passed unchanged.
     *
     * @param labels the labels
     * @param predictions the predictions, at least one
     * @param loss the loss's computation
     * @return the loss, in float16 when {@code predictions[0]} is float16
     */
    public static NDArray evaluate(
            NDList labels, NDList predictions, BiFunction<NDList, NDList, NDArray> loss) {
        NDArray head = predictions.get(0);
        if (head.getDataType() != DataType.FLOAT16) {
            return loss.apply(labels, predictions);
        }
        NDList widened = new NDList(predictions.size());
        widened.add(cast(head, DataType.FLOAT32));
        for (int i = 1; i < predictions.size(); i++) {
            widened.add(predictions.get(i));
        }
        return cast(loss.apply(labels, widened), DataType.FLOAT16);
    }

    /**
     * Casts a float array to another float type, connected to the graph.
     *
     * <p>DJL's {@code toType} is differentiable on MXNet but detaches the result from the graph on
     * PyTorch. There the cast is a multiplication by an engine-owned 1 of shape {@code (1)} in the
     * wanted type: PyTorch promotes a product of float tensors with dimensions to the wider type,
     * and a 0-d float tensor times one with dimensions to the latter's type, so the product has the
     * wanted type, the same values, and the gradient flows back in the input's type.
     *
     * @param array a float16 array to widen, or a 0-d float32 array (a loss) to narrow
     * @param type the wanted type, float32 or float16
     * @return the cast array, of the input's shape
     */
    static NDArray cast(NDArray array, DataType type) {
        if (!PYTORCH.equals(array.getManager().getEngine().getEngineName())) {
            return array.toType(type, false);
        }
        NDArray one = array.getManager().ones(new Shape(1), type);
        NDArray product = array.getShape().isScalar() ? one.mul(array) : array.mul(one);
        return product.reshape(array.getShape());
    }

    private static final String PYTORCH = "PyTorch";
}
