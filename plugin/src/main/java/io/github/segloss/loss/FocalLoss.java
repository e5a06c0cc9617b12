package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.ClassIndexLabels;
import io.github.segloss.internal.EmptyBatch;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.SafeMath;
import io.github.segloss.internal.Scalars;
import io.github.segloss.internal.SegmentationTargets;
import io.github.segloss.internal.Settings;
import io.github.segloss.internal.Shapes;
import io.github.segloss.internal.ValueChecks;

/**
 * Focal loss with segmentation_models.pytorch's semantics (sigmoid focal loss, one-vs-rest per
 * class in MULTICLASS mode), or MONAI's softmax focal loss with {@code optSoftmax(true)}.
 *
 * <p>Sigmoid focal loss, per element with logit \(x\) and 0/1 target \(t\): \( \ell = -\log p_t =
 * \mathrm{BCE}(x, t) \), \( p_t = e^{-\ell} \), focal term \( f = (1 - p_t)^\gamma \) (reduced
 * focal: \( f = ((1 - p_t)/\tau)^\gamma \) where \( p_t \ge \tau \), else 1), and
 *
 * <p>\( L_c = \frac{1}{|V_c|} \sum_{i \in V_c} a_i\, f_i\, \ell_i \big/ Z_c \) per class \(c\) over
 * its labelled pixels \(V_c\), with \( a_i = \alpha t_i + (1 - \alpha)(1 - t_i) \) when alpha is
 * set (else 1) and \( Z_c = \max(\sum_{V_c} f_i, 10^{-6}) \) when normalized (else 1). BINARY mode
 * has one class; MULTICLASS and MULTILABEL average \( L_c \) over the classes (weighted by class
 * weights if set).
 *
 * <p>Softmax focal loss (MULTICLASS only): \( \ell_i = -\log p_{i y_i} \) from the softmax, the
 * same focal term and normalisation, averaged over the labelled pixels.
 *
 * <p>Classes or images without a labelled pixel contribute 0 (smp gives NaN). Class weights apply
 * to the sigmoid focal loss in MULTICLASS or MULTILABEL mode; weights that are all 0 give a loss of
 * 0 (smp gives NaN). Probabilities given with {@code optFromLogits(false)} are clamped to [eps, 1 −
 * eps] and turned into logits as smp does. There is no ignore index by default.
 */
public class FocalLoss extends Loss {

    private static final float NORMALIZATION_EPS = 1e-6f;

    private final SegmentationMode mode;
    private final boolean fromLogits;
    private final int ignoreIndex;
    private final Float alpha;
    private final float gamma;
    private final boolean normalized;
    private final Float reducedThreshold;
    private final float[] classWeights;
    private final boolean softmax;
    private final float eps;
    private final boolean checkFinite;

    FocalLoss(Builder builder) {
        super(builder.name());
        this.mode = builder.mode();
        this.classWeights = builder.classWeights();
        if (mode == SegmentationMode.BINARY && classWeights != null) {
            throw new IllegalArgumentException(
                    "classWeights need MULTICLASS or MULTILABEL mode, got BINARY");
        }
        if (builder.softmax) {
            if (mode != SegmentationMode.MULTICLASS) {
                throw new IllegalArgumentException(
                        "the softmax focal loss needs MULTICLASS mode, got " + mode);
            }
            if (builder.alpha != null || classWeights != null) {
                throw new IllegalArgumentException(
                        "alpha and classWeights apply to the sigmoid focal loss, not with"
                                + " optSoftmax(true)");
            }
        }
        this.fromLogits = builder.fromLogits();
        this.ignoreIndex = builder.ignoreIndex();
        this.alpha = builder.alpha;
        this.gamma = builder.gamma;
        this.normalized = builder.normalized;
        this.reducedThreshold = builder.reducedThreshold;
        this.softmax = builder.softmax;
        this.eps = builder.eps;
        this.checkFinite = builder.checkFinite();
    }

    /**
     * Returns a builder for a focal loss.
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
        Shapes.requireFloat(logits, "logits", 2, "(N, C, d1..dk)");
        return softmax ? softmaxFocal(labels.head(), logits) : sigmoidFocal(labels.head(), logits);
    }

    private NDArray sigmoidFocal(NDArray labels, NDArray logits) {
        SegmentationTargets targets = SegmentationTargets.of(mode, labels, logits, ignoreIndex);
        if (EmptyBatch.isEmpty(logits)) { // no element: 0 on every engine (see EmptyBatch)
            return EmptyBatch.loss(logits, "classWeights", classWeights);
        }
        NDArray x = targets.flatten(asLogits(logits));
        NDArray t = targets.target();
        NDArray valid = targets.valid().broadcast(t.getShape());
        NDArray logPt = SafeMath.binaryCrossEntropyWithLogits(x, t);
        NDArray focal = focalTerm(logPt);
        NDArray loss = focal.mul(logPt);
        if (alpha != null) {
            loss = loss.mul(Scalars.add(Scalars.mul(t, 2 * alpha - 1), 1 - alpha));
        }
        int[] pooled = {0, 2};
        NDArray perClass = loss.mul(valid).sum(pooled);
        if (normalized) {
            perClass =
                    perClass.div(Scalars.maximum(focal.mul(valid).sum(pooled), NORMALIZATION_EPS));
        }
        perClass = SafeMath.safeDivide(perClass, valid.sum(pooled));
        if (classWeights == null) {
            return perClass.mean();
        }
        NDArray weights = Settings.onClassAxis("classWeights", classWeights, logits, false);
        // all-zero class weights weigh nothing: 0, not 0/0
        return SafeMath.safeDivide(perClass.mul(weights).sum(), weights.sum());
    }

    private NDArray softmaxFocal(NDArray labels, NDArray logits) {
        ClassIndexLabels target = ClassIndexLabels.of(labels, logits, ignoreIndex);
        if (EmptyBatch.isEmpty(logits)) { // no element: 0 on every engine (see EmptyBatch)
            return EmptyBatch.loss(logits);
        }
        NDArray logProb =
                fromLogits ? SafeMath.logSoftmax(logits) : clampProbabilities(logits).log();
        NDArray logPt = target.pick(logProb).neg();
        NDArray focal = focalTerm(logPt);
        NDArray valid = target.valid();
        NDArray sum = focal.mul(logPt).mul(valid).sum();
        if (normalized) {
            sum = sum.div(Scalars.maximum(focal.mul(valid).sum(), NORMALIZATION_EPS));
        }
        return SafeMath.safeDivide(sum, valid.sum());
    }

    /** \( (1 - p_t)^\gamma \), or the reduced focal term, from \( -\log p_t \). */
    private NDArray focalTerm(NDArray logPt) {
        NDArray pt = logPt.neg().exp();
        NDArray oneMinusPt = Scalars.sub(1, pt);
        if (reducedThreshold == null) {
            return SafeMath.safePow(oneMinusPt, gamma);
        }
        NDArray reduced = SafeMath.safePow(Scalars.div(oneMinusPt, reducedThreshold), gamma);
        return NDArrays.where(pt.lt(reducedThreshold), reduced.onesLike(), reduced);
    }

    /** Probabilities given instead of logits are clamped to [eps, 1 - eps] and turned back. */
    private NDArray asLogits(NDArray predictions) {
        if (fromLogits) {
            return predictions;
        }
        NDArray p = clampProbabilities(predictions);
        return mode == SegmentationMode.MULTICLASS ? p.log() : p.div(Scalars.sub(1, p)).log();
    }

    private NDArray clampProbabilities(NDArray p) {
        return p.clip(eps, 1 - eps);
    }

    /** Collects the settings of a {@link FocalLoss}. */
    public static final class Builder extends SegmentationLossBuilder<Builder> {

        private Float alpha;
        private float gamma = 2f;
        private boolean normalized;
        private Float reducedThreshold;
        private boolean softmax;
        private float eps = 1e-7f;

        Builder() {
            super("FocalLoss", ValueChecks.NO_IGNORE);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the weight \( \alpha \) of positive targets, \( 1 - \alpha \) for negative ones
         * (default: none, every element weighs 1).
         *
         * @param alpha the weight in [0, 1]
         * @return this builder
         */
        public Builder optAlpha(float alpha) {
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("alpha must lie in [0, 1], got " + alpha);
            }
            this.alpha = alpha;
            return this;
        }

        /**
         * Sets the focusing exponent \( \gamma \) (default 2).
         *
         * @param gamma the exponent, finite and >= 0
         * @return this builder
         */
        public Builder optGamma(float gamma) {
            Settings.requireFiniteNonNegative("gamma", gamma);
            this.gamma = gamma;
            return this;
        }

        /**
         * Sets whether the loss is divided by the sum of the focal terms (normalized focal loss,
         * default false).
         *
         * @param normalized true to normalize
         * @return this builder
         */
        public Builder optNormalized(boolean normalized) {
            this.normalized = normalized;
            return this;
        }

        /**
         * Switches to the reduced focal loss with threshold \( \tau \): the focal term is 1 for \(
         * p_t \lt \tau \) and \( ((1 - p_t)/\tau)^\gamma \) above.
         *
         * @param reducedThreshold the threshold in (0, 1]
         * @return this builder
         */
        public Builder optReducedThreshold(float reducedThreshold) {
            if (!(reducedThreshold > 0 && reducedThreshold <= 1)) {
                throw new IllegalArgumentException(
                        "reducedThreshold must lie in (0, 1], got " + reducedThreshold);
            }
            this.reducedThreshold = reducedThreshold;
            return this;
        }

        /**
         * Selects MONAI's softmax focal loss \( -(1 - p_y)^\gamma \log p_y \) (MULTICLASS mode)
         * instead of the one-vs-rest sigmoid focal loss (default false).
         *
         * @param softmax true for the softmax focal loss
         * @return this builder
         */
        public Builder optSoftmax(boolean softmax) {
            this.softmax = softmax;
            return this;
        }

        /**
         * Sets the clamp of probabilities given with {@code optFromLogits(false)} (default 1e-7).
         *
         * @param eps the clamp, in (0, 0.5)
         * @return this builder
         */
        public Builder optEps(float eps) {
            if (!(eps > 0 && eps < 0.5f)) {
                throw new IllegalArgumentException("eps must lie in (0, 0.5), got " + eps);
            }
            this.eps = eps;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         */
        public FocalLoss build() {
            return new FocalLoss(this);
        }
    }
}
