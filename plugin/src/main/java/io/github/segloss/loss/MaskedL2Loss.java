package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.EmptyBatch;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.LossErrors;
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

    private final boolean checkFinite;

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
        this(name, false);
    }

    private MaskedL2Loss(String name, boolean checkFinite) {
        super(name);
        this.checkFinite = checkFinite;
    }

    /**
     * Returns a builder for a masked L2 loss.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return EvaluationInputs.evaluate(
                this, LossErrors.NO_IGNORE_OPTION, labels, predictions, this::compute);
    }

    private NDArray compute(NDList labels, NDList predictions) {
        NDArray prediction = predictions.head();
        FiniteCheck.requireFinite(checkFinite, prediction, "prediction");
        Shapes.requireFloat(prediction, "prediction", 0, "any");
        if (labels.isEmpty() || labels.size() > 2) {
            throw new IllegalArgumentException(
                    "labels must be NDList(target) or NDList(target, mask), got "
                            + labels.size()
                            + " array(s)");
        }
        NDArray target = labels.get(0);
        Shapes.requireShape(target, "target", prediction.getShape(), "like the prediction");
        NDArray mask = labels.size() == 2 ? labels.get(1) : null;
        if (mask != null) {
            Shapes.requireBroadcastable(mask, "mask", prediction.getShape(), "the prediction's");
            ValueChecks.requireFiniteNonNegative(mask, "mask");
        }
        if (EmptyBatch.isEmpty(prediction)) { // no element: 0 on every engine (see EmptyBatch)
            return EmptyBatch.loss(prediction);
        }
        NDArray squared = prediction.sub(target.toType(prediction.getDataType(), false)).square();
        if (mask == null) {
            return SafeMath.mean(squared);
        }
        NDArray weights =
                mask.toType(prediction.getDataType(), false).broadcast(prediction.getShape());
        return SafeMath.safeDivide(squared.mul(weights).sum(), weights.sum());
    }

    /** Collects the settings of a {@link MaskedL2Loss}. */
    public static final class Builder extends LossBuilder<Builder> {

        Builder() {
            super("MaskedL2Loss");
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         */
        public MaskedL2Loss build() {
            return new MaskedL2Loss(name(), checkFinite());
        }
    }
}
