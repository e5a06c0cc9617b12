package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.ClassIndexLabels;
import io.github.segloss.internal.EmptyBatch;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.SafeMath;
import io.github.segloss.internal.Scalars;
import io.github.segloss.internal.Settings;
import io.github.segloss.internal.Shapes;

/**
 * Cross-entropy with online hard example mining, as PIDNet's and mmsegmentation's {@code
 * OhemCrossEntropy}: only the pixels the model finds hard count.
 *
 * <p>With \( q_i = p_{i y_i} \) the softmax probability of the target class of labelled pixel \(i\)
 * (no gradient flows through the selection), \( q_{(k)} \) the \(k\)-th smallest of them (0-based),
 * \(n\) the number of labelled pixels and \( \tau \) the threshold:
 *
 * <p>\( \theta = \max(\tau, q_{(\min(k_{min}, n - 1))}) \), \( K = \{ i : q_i \lt \theta \} \), \(
 * L = \frac{1}{|K|} \sum_{i \in K} w_{y_i} (-\log q_i) \)
 *
 * <p>so at least about \( k_{min} \) pixels are kept per batch. When nothing is labelled or kept,
 * the loss is 0 (PIDNet gives NaN). Finding \( q_{(k)} \) sorts the probabilities of the batch and
 * reads two numbers on the host.
 *
 * <p>Class weights \(w\) (all 1 by default) weigh the per-pixel cross-entropy only: the kept pixels
 * are still averaged by count, as PIDNet does. The ignore index defaults to 255.
 */
public class OhemCrossEntropyLoss extends Loss {

    private final float threshold;
    private final int minKept;
    private final int ignoreIndex;
    private final float[] classWeights;
    private final boolean checkFinite;

    OhemCrossEntropyLoss(Builder builder) {
        super(builder.name());
        this.threshold = builder.threshold;
        this.minKept = builder.minKept;
        this.ignoreIndex = builder.ignoreIndex();
        this.classWeights = builder.classWeights();
        this.checkFinite = builder.checkFinite();
    }

    /**
     * Returns a builder for an OHEM cross-entropy loss.
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
        Shapes.requireFloat(logits, "logits", 2, "(N, C) or (N, C, d1..dk)");
        ClassIndexLabels target = ClassIndexLabels.of(labels.head(), logits, ignoreIndex);
        if (EmptyBatch.isEmpty(logits)) { // no element: 0 on every engine (see EmptyBatch)
            return EmptyBatch.loss(logits, "classWeights", classWeights);
        }
        NDArray logProb = target.pick(SafeMath.logSoftmax(logits));
        NDArray pixelLoss = logProb.neg();
        if (classWeights != null) {
            NDArray weights = Settings.onClassAxis("classWeights", classWeights, logits, false);
            pixelLoss = pixelLoss.mul(target.weightOf(weights));
        }
        NDArray valid = target.valid();
        NDArray kept = valid.mul(hard(logProb.stopGradient().exp(), valid));
        return SafeMath.safeDivide(pixelLoss.mul(kept).sum(), kept.sum());
    }

    /** 1 where the target probability is below the OHEM threshold, else 0. */
    private NDArray hard(NDArray probability, NDArray valid) {
        long labelled = valid.gt(0).toType(DataType.INT64, false).sum().getLong();
        if (labelled == 0) {
            return valid;
        }
        NDArray candidates =
                NDArrays.where(valid.gt(0), probability, Scalars.mul(probability.onesLike(), 2));
        long k = Math.min(minKept, labelled - 1);
        // read as a double: getFloat() rejects the probabilities of float64 logits
        double kth = candidates.flatten().sort().get(k).toType(DataType.FLOAT64, false).getDouble();
        double theta = Math.max(threshold, kth);
        return probability.lt(theta).toType(probability.getDataType(), false);
    }

    /** Collects the settings of an {@link OhemCrossEntropyLoss}. */
    public static final class Builder extends WeightedPixelLossBuilder<Builder> {

        private float threshold = 0.7f;
        private int minKept = 100_000;

        Builder() {
            super("OhemCrossEntropyLoss", PixelCrossEntropyLoss.DEFAULT_IGNORE_INDEX);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the threshold \( \tau \) on the target-class probability (default 0.7): pixels
         * predicted at least this well are easy.
         *
         * @param threshold the threshold in (0, 1]
         * @return this builder
         */
        public Builder optThreshold(float threshold) {
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException(
                        "threshold must lie in (0, 1], got " + threshold);
            }
            this.threshold = threshold;
            return this;
        }

        /**
         * Sets the number \( k_{min} \) of pixels kept at least per batch (default 100000).
         *
         * @param minKept the count, >= 0
         * @return this builder
         */
        public Builder optMinKept(int minKept) {
            if (minKept < 0) {
                throw new IllegalArgumentException("minKept must be >= 0, got " + minKept);
            }
            this.minKept = minKept;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         */
        public OhemCrossEntropyLoss build() {
            return new OhemCrossEntropyLoss(this);
        }
    }
}
