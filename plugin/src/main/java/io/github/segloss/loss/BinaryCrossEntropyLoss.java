package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.EmptyBatch;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.SafeMath;
import io.github.segloss.internal.Scalars;
import io.github.segloss.internal.Settings;
import io.github.segloss.internal.Shapes;
import io.github.segloss.internal.ValueChecks;

/**
 * Binary cross-entropy with logits for segmentation: PyTorch's {@code BCEWithLogitsLoss} (with
 * {@code pos_weight} and a per-element {@code weight}) plus segmentation_models.pytorch's {@code
 * SoftBCEWithLogitsLoss} options (ignore index, target smoothing).
 *
 * <p>Per element with logit \(x\), target \(t \in [0, 1]\) (smoothed to \( t' = (1 - t)s + t(1 - s)
 * \) with smooth factor \(s\)), positive weight \( q_c \) of its class (axis 1) and weight \(w\):
 *
 * <p>\( \ell = w \left[ q_c\, t' \,\mathrm{softplus}(-x) + (1 - t')\,\mathrm{softplus}(x) \right]
 * \), which is \( -w[q_c t' \log\sigma(x) + (1 - t')\log(1 - \sigma(x))] \), stable for any finite
 * \(x\). It is computed with one softplus, as \( w[\mathrm{softplus}(x)(1 - t' + q_c t') - q_c t'
 * x] \).
 *
 * <p>\( L = \frac{1}{|V|} \sum_{i \in V} \ell_i \) over the elements \(V\) whose target is not the
 * ignore index; 0 when every element is ignored. (smp divides by all elements, ignored ones
 * included; torch has no ignore index.)
 *
 * <p>Labels are {@code NDList(targets)} or {@code NDList(targets, weights)}: targets have the
 * logits' shape and hold values in [0, 1] or the ignore index; weights are finite, non-negative and
 * have the logits' shape or one that broadcasts to it.
 */
public class BinaryCrossEntropyLoss extends Loss {

    private final int ignoreIndex;
    private final float[] posWeight;
    private final float smoothFactor;
    private final boolean checkFinite;

    BinaryCrossEntropyLoss(Builder builder) {
        super(builder.name());
        this.ignoreIndex = builder.ignoreIndex();
        this.posWeight = builder.posWeight;
        this.smoothFactor = builder.smoothFactor;
        this.checkFinite = builder.checkFinite();
    }

    /**
     * Returns a builder for a binary cross-entropy loss.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return EvaluationInputs.evaluate(this, ignoreIndex, labels, predictions, this::compute);
    }

    private NDArray compute(NDList labels, NDList predictions) {
        NDArray logits = predictions.head();
        FiniteCheck.requireFinite(checkFinite, logits, "logits");
        Shapes.requireFloat(logits, "logits", 1, "(N, d1..dk)");
        if (labels.isEmpty() || labels.size() > 2) {
            throw new IllegalArgumentException(
                    "labels must be NDList(targets) or NDList(targets, weights), got "
                            + labels.size()
                            + " array(s)");
        }
        NDArray targets = labels.get(0);
        Shapes.requireShape(targets, "targets", logits.getShape(), "like the logits");
        Shapes.requireNumeric(targets, "targets");
        NDArray positiveWeight =
                posWeight == null
                        ? null
                        : Settings.onClassAxis("posWeight", posWeight, logits, true);
        NDArray weights = labels.size() == 2 ? elementWeights(labels.get(1), logits) : null;
        if (EmptyBatch.isEmpty(logits)) { // no element: 0 on every engine (see EmptyBatch)
            return EmptyBatch.loss(logits);
        }

        NDArray t = targets.toType(logits.getDataType(), false);
        NDArray valid = null;
        if (ignoreIndex != ValueChecks.NO_IGNORE) {
            valid = t.neq(ignoreIndex).toType(logits.getDataType(), false);
            t = t.mul(valid);
        }
        // checked on the masked targets that the loss needs anyway (ignored ones read 0): one
        // min/max copy; the detailed scan of the raw targets runs only to word the error
        if (!ValueChecks.inBounds(t, 0, 1)) {
            ValueChecks.requireRangeOrIgnore(targets, "targets", 0, 1, ignoreIndex);
        }
        if (smoothFactor > 0) {
            t = Scalars.add(Scalars.mul(t, 1 - 2 * smoothFactor), smoothFactor);
        }
        // With softplus(-x) = softplus(x) - x, the loss needs one softplus:
        // q t' softplus(-x) + (1 - t') softplus(x) = softplus(x) (1 - t' + q t') - q t' x
        NDArray positiveTarget = positiveWeight == null ? t : t.mul(positiveWeight);
        NDArray loss =
                positiveWeight == null
                        ? SafeMath.binaryCrossEntropyWithLogits(logits, t)
                        : SafeMath.softplus(logits)
                                .mul(Scalars.add(positiveTarget.sub(t), 1))
                                .sub(logits.mul(positiveTarget));
        if (weights != null) {
            loss = loss.mul(weights);
        }
        if (valid == null) {
            return SafeMath.mean(loss);
        }
        return SafeMath.safeDivide(loss.mul(valid).sum(), valid.sum());
    }

    private static NDArray elementWeights(NDArray weights, NDArray logits) {
        Shapes.requireBroadcastable(weights, "weights", logits.getShape(), "the logits'");
        ValueChecks.requireFiniteNonNegative(weights, "weights");
        return weights.toType(logits.getDataType(), false);
    }

    /** Collects the settings of a {@link BinaryCrossEntropyLoss}. */
    public static final class Builder extends PixelLossBuilder<Builder> {

        private float[] posWeight;
        private float smoothFactor;

        Builder() {
            super("BinaryCrossEntropyLoss", ValueChecks.NO_IGNORE);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * {@inheritDoc}
         *
         * <p>Here the ignore value marks elements without a target, so it must lie outside the
         * target values 0 and 1.
         *
         * @throws IllegalArgumentException if it is 0 or 1
         */
        @Override
        public Builder optIgnoreIndex(int ignoreIndex) {
            if (ignoreIndex == 0 || ignoreIndex == 1) {
                throw new IllegalArgumentException(
                        "ignoreIndex must not be a target value (0 or 1), got " + ignoreIndex);
            }
            return super.optIgnoreIndex(ignoreIndex);
        }

        /**
         * Sets the weight of positive targets per class, broadcast over the class axis 1 (torch's
         * {@code pos_weight}, which torch broadcasts over the last axis: the same for (N, C)
         * input).
         *
         * @param posWeight one weight per class, finite and >= 0
         * @return this builder
         */
        public Builder optPosWeight(float... posWeight) {
            this.posWeight = Settings.perClass("posWeight", posWeight);
            return this;
        }

        /**
         * Sets the target smoothing \(s\): targets become \( (1 - t)s + t(1 - s) \) (smp's {@code
         * smooth_factor}, default 0).
         *
         * @param smoothFactor the smoothing in [0, 1)
         * @return this builder
         */
        public Builder optSmoothFactor(float smoothFactor) {
            if (!(smoothFactor >= 0 && smoothFactor < 1)) {
                throw new IllegalArgumentException(
                        "smoothFactor must lie in [0, 1), got " + smoothFactor);
            }
            this.smoothFactor = smoothFactor;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         */
        public BinaryCrossEntropyLoss build() {
            return new BinaryCrossEntropyLoss(this);
        }
    }
}
