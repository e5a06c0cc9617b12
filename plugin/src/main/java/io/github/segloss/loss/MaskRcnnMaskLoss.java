package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.EmptyBatch;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.LossErrors;
import io.github.segloss.internal.MaskHeadInputs;
import io.github.segloss.internal.SafeMath;

/**
 * The mask loss of Mask R-CNN: the mean binary cross-entropy with logits of each RoI's
 * ground-truth-class mask against its target, equal to torchvision's {@code maskrcnn_loss}.
 *
 * <p>Inputs, in the words of detectron2's mask head:
 *
 * <ul>
 *   <li>predictions: {@code NDList(maskLogits)}, {@code maskLogits} of shape {@code (R, K, M, M)}:
 *       for each of the R foreground RoIs, one M×M mask logit map per class (K = 1 when class
 *       agnostic);
 *   <li>labels: {@code NDList(classIds, targets)}: {@code classIds} of shape {@code (R)}, the
 *       ground-truth class of each RoI in {@code [0, K)} (integers or whole-number floats), and
 *       {@code targets} of shape {@code (R, M, M)}, the RoI's ground-truth mask cropped and resized
 *       to M×M (see {@link io.github.segloss.target.MaskTargets}), with values in [0, 1].
 * </ul>
 *
 * <p>\( L = \frac{1}{R M^2} \sum_{r} \sum_{u,v} \mathrm{BCE}(x_{r, k_r, u, v}, t_{r,u,v}) \) with
 * \( k_r \) = {@code classIds[r]} (or 0 when class agnostic) and \( \mathrm{BCE}(x, t) =
 * \mathrm{softplus}(x) - x t \). The other K − 1 channels get no gradient. With zero RoIs the loss
 * is 0, still connected to the graph (torchvision's {@code mask_logits.sum() * 0}).
 */
public class MaskRcnnMaskLoss extends Loss {

    private final boolean classAgnostic;
    private final boolean checkFinite;

    /**
     * Creates a mask loss from its builder.
     *
     * @param builder the builder with the settings
     */
    protected MaskRcnnMaskLoss(Builder builder) {
        super(builder.name());
        this.classAgnostic = builder.classAgnostic;
        this.checkFinite = builder.checkFinite();
    }

    /**
     * Returns a builder for the mask loss.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Tells whether the mask head predicts one class-agnostic mask per RoI (K = 1).
     *
     * @return true if class agnostic
     */
    public boolean isClassAgnostic() {
        return classAgnostic;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return EvaluationInputs.evaluate(
                this, LossErrors.NO_IGNORE_OPTION, labels, predictions, this::compute);
    }

    private NDArray compute(NDList labels, NDList predictions) {
        FiniteCheck.requireFinite(checkFinite, predictions.head(), "maskLogits");
        MaskHeadInputs inputs = MaskHeadInputs.of(labels, predictions, classAgnostic);
        NDArray logits = inputs.logits();
        if (EmptyBatch.isEmpty(logits)) { // zero RoIs or M = 0: 0 on every engine
            return EmptyBatch.loss(logits);
        }
        NDArray perPixel =
                SafeMath.binaryCrossEntropyWithLogits(
                        inputs.selectedLogits(),
                        inputs.targets().toType(logits.getDataType(), false));
        return SafeMath.mean(perPixel);
    }

    /** Collects the settings of a {@link MaskRcnnMaskLoss}. */
    public static final class Builder extends LossBuilder<Builder> {

        private boolean classAgnostic;

        Builder() {
            super("MaskRcnnMaskLoss");
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets whether the head predicts one class-agnostic mask per RoI (K = 1, channel 0 is used
         * whatever the class ids); default false.
         *
         * @param classAgnostic true for a class-agnostic head
         * @return this builder
         */
        public Builder optClassAgnostic(boolean classAgnostic) {
            this.classAgnostic = classAgnostic;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         */
        public MaskRcnnMaskLoss build() {
            return new MaskRcnnMaskLoss(this);
        }
    }
}
