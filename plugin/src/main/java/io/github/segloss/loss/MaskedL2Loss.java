package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.SafeMath;
import io.github.segloss.internal.Shapes;
import io.github.segloss.internal.ValueChecks;

/**
 * Mean squared error, optionally restricted by a mask: \( L = \dfrac{\sum_i m_i (p_i -
 * t_i)^2}{\sum_i m_i} \), PyTorch's {@code mse_loss} with mean reduction when there is no mask (\(
 * m_i = 1 \)).
 *
 * <p>Unlike DJL's {@link ai.djl.training.loss.L2Loss}, which computes \( \frac{1}{2}(p - t)^2 \),
 * there is no factor ½ here: the value is PyTorch's.
 *
 * <p>Labels are {@code NDList(target)} or {@code NDList(target, mask)}: the target has the
 * prediction's shape; the mask holds non-negative weights (usually 0 and 1) and has the
 * prediction's shape or one that broadcasts to it (e.g. {@code (N, 1, H, W)} for {@code (N, C, H,
 * W)}), each broadcast element counting once in the denominator. An all-zero mask gives 0.
 */
public class MaskedL2Loss extends Loss {

    /** Creates a masked L2 loss named "MaskedL2Loss". */
    public MaskedL2Loss() {
        this("MaskedL2Loss");
    }

    /**
     * Creates a masked L2 loss.
     *
     * @param name the display name of the loss
     */
    public MaskedL2Loss(String name) {
        super(name);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray prediction = predictions.head();
        Shapes.requireFloat(prediction, "prediction", 0, "any");
        if (labels.isEmpty() || labels.size() > 2) {
            throw new IllegalArgumentException(
                    "labels must be NDList(target) or NDList(target, mask), got "
                            + labels.size()
                            + " array(s)");
        }
        NDArray target = labels.get(0);
        Shapes.requireShape(target, "target", prediction.getShape(), "like the prediction");
        NDArray squared = prediction.sub(target.toType(prediction.getDataType(), false)).square();
        if (labels.size() == 1) {
            return squared.mean();
        }
        NDArray mask = labels.get(1);
        Shapes.requireBroadcastable(mask, "mask", prediction.getShape(), "the prediction's");
        ValueChecks.requireFiniteNonNegative(mask, "mask");
        NDArray weights =
                mask.toType(prediction.getDataType(), false).broadcast(prediction.getShape());
        return SafeMath.safeDivide(squared.mul(weights).sum(), weights.sum());
    }
}
