package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.EmptyBatch;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.LossErrors;
import io.github.segloss.internal.MaskHeadInputs;
import io.github.segloss.internal.SafeMath;
import io.github.segloss.internal.Scalars;
import io.github.segloss.internal.Settings;
import io.github.segloss.target.PointSampling;
import java.util.Random;

/**
 * The point-sampled mask loss of PointRend (Kirillov et al. 2020) and Mask2Former: binary
 * cross-entropy plus Dice over N points per mask instead of over every pixel, chosen by
 * uncertainty-based importance sampling, so that the loss's memory does not grow with the mask
 * resolution (see benchmarks/README.md: on a CPU the sampling of the kN candidates costs more time
 * than a full-mask loss at 224²).
 *
 * <p>Inputs as {@link MaskRcnnMaskLoss}: predictions {@code NDList(maskLogits)} with {@code
 * maskLogits} {@code (R, K, M, M)}, labels {@code NDList(classIds (R), targets (R, H, W))}; the
 * targets may have their own resolution (Mask2Former samples full-resolution ground truth), with
 * values in [0, 1]. For each mask r (its ground-truth class's channel, or channel 0 when class
 * agnostic):
 *
 * <ol>
 *   <li>points \(P_r\): of \( \lfloor kN \rfloor \) uniform candidates in \( [0, 1]^2 \), the \(
 *       \lfloor \beta N \rfloor \) whose logit is the most uncertain (\( -|x| \) largest), plus
 *       uniform points up to N ({@link PointSampling#uncertainPoints}, without gradient);
 *   <li>point logits \(x_{rp}\) and point labels \(t_{rp}\) sampled bilinearly at \(P_r\) ({@link
 *       PointSampling#sample}, detectron2's {@code point_sample});
 *   <li>\( L = w_{bce} \frac{1}{RN} \sum_{r,p} \mathrm{BCE}(x_{rp}, t_{rp}) + w_{dice} \frac{1}{R}
 *       \sum_r \left(1 - \frac{2 \sum_p \sigma(x_{rp}) t_{rp} + 1}{\sum_p \sigma(x_{rp}) + \sum_p
 *       t_{rp} + 1}\right) \), Mask2Former's {@code sigmoid_ce_loss} and {@code dice_loss} with
 *       {@code num_masks} = R.
 * </ol>
 *
 * <p>Defaults are Mask2Former's: N = 112² = 12544 points, k = 3, β = 0.75, and both terms weighted
 * 1 (Mask2Former weighs both by 5 against its classification loss). The points are random: set
 * {@code optSeed} for a reproducible sequence, or give the points to {@link #evaluate(NDList,
 * NDList, NDArray)}. With zero RoIs the loss is 0, connected to the graph.
 */
public class PointSampledMaskLoss extends Loss {

    /** Mask2Former's number of points per mask, 112². */
    public static final int DEFAULT_NUM_POINTS = 112 * 112;

    private final boolean classAgnostic;
    private final boolean checkFinite;
    private final int numPoints;
    private final float oversampleRatio;
    private final float importanceSampleRatio;
    private final float bceWeight;
    private final float diceWeight;
    private final Random random;

    PointSampledMaskLoss(Builder builder) {
        super(builder.name());
        this.classAgnostic = builder.classAgnostic;
        this.checkFinite = builder.checkFinite();
        this.numPoints = builder.numPoints;
        this.oversampleRatio = builder.oversampleRatio;
        this.importanceSampleRatio = builder.importanceSampleRatio;
        this.bceWeight = builder.bceWeight;
        this.diceWeight = builder.diceWeight;
        this.random = builder.seed == null ? new Random() : new Random(builder.seed);
        PointSampling.requireSettings(numPoints, oversampleRatio, importanceSampleRatio);
    }

    /**
     * Returns a builder for the point-sampled mask loss.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Draws the points of each mask from the mask logits by importance sampling.
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return EvaluationInputs.evaluate(
                this,
                LossErrors.NO_IGNORE_OPTION,
                labels,
                predictions,
                (l, p) -> compute(l, p, null));
    }

    /**
     * Computes the loss at given points instead of sampled ones.
     *
     * @param labels {@code NDList(classIds (R), targets (R, H, W))}
     * @param predictions {@code NDList(maskLogits (R, K, M, M))}
     * @param points the points of each mask {@code (R, N, 2)} as (x, y) in [0, 1]
     * @return the loss, a scalar
     * @throws IllegalArgumentException if an input has the wrong shape or values
     */
    public NDArray evaluate(NDList labels, NDList predictions, NDArray points) {
        return EvaluationInputs.evaluate(
                this,
                LossErrors.NO_IGNORE_OPTION,
                labels,
                predictions,
                (l, p) -> compute(l, p, points));
    }

    private NDArray compute(NDList labels, NDList predictions, NDArray givenPoints) {
        FiniteCheck.requireFinite(checkFinite, predictions.head(), "maskLogits");
        MaskHeadInputs inputs = MaskHeadInputs.of(labels, predictions, classAgnostic, true);
        NDArray logits = inputs.logits();
        if (EmptyBatch.isEmpty(logits)) { // zero RoIs or M = 0: 0 on every engine
            return EmptyBatch.loss(logits);
        }
        if (inputs.targets().isEmpty()) {
            throw new IllegalArgumentException(
                    "targets must have at least one pixel per RoI to sample, got shape "
                            + inputs.targets().getShape());
        }
        Shape shape = logits.getShape();
        long rois = shape.get(0);
        NDArray selected = inputs.selectedLogits().reshape(rois, 1, shape.get(2), shape.get(3));
        NDArray points =
                givenPoints != null
                        ? givenPoints
                        : PointSampling.uncertainPoints(
                                selected,
                                numPoints,
                                oversampleRatio,
                                importanceSampleRatio,
                                random);
        if (points.getShape().get(1) == 0) {
            return EmptyBatch.loss(logits);
        }
        NDArray targets = inputs.targets().toType(logits.getDataType(), false);
        NDArray pointLabels =
                PointSampling.sample(targets.expandDims(1), points).squeeze(1).stopGradient();
        NDArray pointLogits = PointSampling.sample(selected, points).squeeze(1);
        NDArray bce =
                SafeMath.mean(SafeMath.binaryCrossEntropyWithLogits(pointLogits, pointLabels));
        NDArray probabilities = Activation.sigmoid(pointLogits);
        NDArray numerator =
                Scalars.add(Scalars.mul(probabilities.mul(pointLabels).sum(new int[] {1}), 2), 1);
        NDArray denominator =
                Scalars.add(
                        probabilities.sum(new int[] {1}).add(pointLabels.sum(new int[] {1})), 1);
        NDArray dice = Scalars.sub(1, numerator.div(denominator)).mean();
        return Scalars.mul(bce, bceWeight).add(Scalars.mul(dice, diceWeight));
    }

    /** Collects the settings of a {@link PointSampledMaskLoss}. */
    public static final class Builder extends LossBuilder<Builder> {

        private boolean classAgnostic;
        private int numPoints = DEFAULT_NUM_POINTS;
        private float oversampleRatio = 3f;
        private float importanceSampleRatio = 0.75f;
        private float bceWeight = 1f;
        private float diceWeight = 1f;
        private Long seed;

        Builder() {
            super("PointSampledMaskLoss");
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets whether the head predicts one class-agnostic mask per RoI (K = 1); default false.
         *
         * @param classAgnostic true for a class-agnostic head
         * @return this builder
         */
        public Builder optClassAgnostic(boolean classAgnostic) {
            this.classAgnostic = classAgnostic;
            return this;
        }

        /**
         * Sets the number of points per mask N (default 112² = 12544, Mask2Former's; PointRend's
         * mask head uses 14² = 196 on 28×28 masks).
         *
         * @param numPoints N, >= 0
         * @return this builder
         */
        public Builder optNumPoints(int numPoints) {
            PointSampling.requireSettings(numPoints, oversampleRatio, importanceSampleRatio);
            this.numPoints = numPoints;
            return this;
        }

        /**
         * Sets the oversample ratio k: kN uniform candidates are drawn (default 3).
         *
         * @param oversampleRatio k, finite and >= 1
         * @return this builder
         */
        public Builder optOversampleRatio(float oversampleRatio) {
            PointSampling.requireSettings(numPoints, oversampleRatio, importanceSampleRatio);
            this.oversampleRatio = oversampleRatio;
            return this;
        }

        /**
         * Sets the importance sample ratio β: βN of the points are the most uncertain candidates,
         * the rest uniform (default 0.75).
         *
         * @param importanceSampleRatio β, in [0, 1]
         * @return this builder
         */
        public Builder optImportanceSampleRatio(float importanceSampleRatio) {
            PointSampling.requireSettings(numPoints, oversampleRatio, importanceSampleRatio);
            this.importanceSampleRatio = importanceSampleRatio;
            return this;
        }

        /**
         * Sets the weights of the cross-entropy and Dice terms (default 1 and 1).
         *
         * @param bceWeight the cross-entropy weight, finite and >= 0
         * @param diceWeight the Dice weight, finite and >= 0
         * @return this builder
         */
        public Builder optWeights(float bceWeight, float diceWeight) {
            Settings.requireFiniteNonNegative("bceWeight", bceWeight);
            Settings.requireFiniteNonNegative("diceWeight", diceWeight);
            this.bceWeight = bceWeight;
            this.diceWeight = diceWeight;
            return this;
        }

        /**
         * Seeds the random points, for a reproducible sequence of losses (default: unseeded).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         */
        public PointSampledMaskLoss build() {
            return new PointSampledMaskLoss(this);
        }
    }
}
