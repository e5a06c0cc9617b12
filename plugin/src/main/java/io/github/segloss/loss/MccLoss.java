package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.EmptyBatch;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.Probabilities;
import io.github.segloss.internal.SafeMath;
import io.github.segloss.internal.Scalars;
import io.github.segloss.internal.SegmentationTargets;
import io.github.segloss.internal.Settings;
import io.github.segloss.internal.ValueChecks;

/**
 * Matthews correlation coefficient loss with segmentation_models.pytorch's semantics ({@code
 * MCCLoss}, after Abhishek and Hamarneh 2021), \( 1 - \mathrm{MCC} \) of soft counts.
 *
 * <p>For a class \(c\), with probabilities \(p\) (sigmoid in BINARY and MULTILABEL mode, softmax in
 * MULTICLASS mode, or as given with {@code optFromLogits(false)}) and 0/1 targets \(t\) summed over
 * the batch and the labelled pixels, each count plus \( \varepsilon \):
 *
 * <p>\( TP = \sum pt + \varepsilon \), \( FP = \sum p(1 - t) + \varepsilon \), \( FN = \sum (1 -
 * p)t + \varepsilon \), \( TN = \sum (1 - p)(1 - t) + \varepsilon \), and
 *
 * <p>\( \ell_c = 1 - \dfrac{TP \cdot TN - FP \cdot FN}{\sqrt{(TP + FP)(TP + FN)}\,\sqrt{(TN +
 * FP)(TN + FN)}} \)
 *
 * <p>which lies in [0, 2]. BINARY mode is smp's {@code MCCLoss} (whose predictions are
 * probabilities: {@code optFromLogits(false)}; the default reads logits, as every mode-based loss
 * here does). smp's loss is binary only; MULTICLASS and MULTILABEL take each class one-vs-rest (its
 * own channel against all others, smp's binary loss on that channel) and average \( \ell_c \) over
 * the classes, weighted by the class weights if set. There a class absent from the labelled targets
 * contributes 0, as in the Dice family: its MCC has no positive to correlate with (without \(
 * \varepsilon \) it is 0/0), and with \( \varepsilon \) it would add about 0.5 to the loss even for
 * a perfect prediction, with a gradient of order \( 1/\varepsilon \) on any probability the network
 * gives it. In BINARY mode the loss is smp's also for a batch without a positive pixel. A batch
 * with nothing labelled gives 0 with a zero gradient (smp gives 1). There is no ignore index by
 * default.
 */
public class MccLoss extends Loss {

    private final SegmentationMode mode;
    private final boolean fromLogits;
    private final int ignoreIndex;
    private final double eps;
    private final float[] classWeights;
    private final boolean checkFinite;

    MccLoss(Builder builder) {
        super(builder.name());
        this.mode = builder.mode();
        this.classWeights = builder.classWeights();
        if (mode == SegmentationMode.BINARY && classWeights != null) {
            throw new IllegalArgumentException(
                    "classWeights need MULTICLASS or MULTILABEL mode, got BINARY");
        }
        this.fromLogits = builder.fromLogits();
        this.ignoreIndex = builder.ignoreIndex();
        // the decimal the float was written as: 1e-5f adds 1e-5 to a float64 count, as smp does
        this.eps = Settings.decimal(builder.eps);
        this.checkFinite = builder.checkFinite();
    }

    /**
     * Returns a builder for an MCC loss.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the segmentation mode.
     *
     * @return the mode
     */
    public SegmentationMode getMode() {
        return mode;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return EvaluationInputs.evaluate(this, ignoreIndex, labels, predictions, this::compute);
    }

    private NDArray compute(NDList labels, NDList predictions) {
        NDArray logits = predictions.head();
        FiniteCheck.requireFinite(checkFinite, logits, "logits");
        SegmentationTargets targets =
                SegmentationTargets.of(mode, labels.head(), logits, ignoreIndex);
        if (EmptyBatch.isEmpty(logits)) { // no element: 0 on every engine (see EmptyBatch)
            return EmptyBatch.loss(logits, "classWeights", classWeights);
        }
        NDArray valid = targets.valid();
        NDArray p = targets.flatten(Probabilities.of(mode, fromLogits, logits)).mul(valid);
        NDArray t = targets.target();
        NDArray pt = p.mul(t);
        int[] axes = {0, 2};
        NDArray tp = Scalars.add(pt.sum(axes), eps);
        NDArray fp = Scalars.add(p.sub(pt).sum(axes), eps);
        NDArray fn = Scalars.add(t.sub(pt).sum(axes), eps);
        // (1 - p)(1 - t) on the labelled pixels, element by element: exact where TN is small
        NDArray tn = Scalars.add(valid.sub(p).sub(t).add(pt).sum(axes), eps);
        NDArray numerator = tp.mul(tn).sub(fp.mul(fn));
        // two square roots of products of two counts: no overflow before 1e19 pixels
        NDArray denominator =
                tp.add(fp).mul(tp.add(fn)).sqrt().mul(tn.add(fp).mul(tn.add(fn)).sqrt());
        NDArray perClass = Scalars.sub(1, numerator.div(denominator));
        // BINARY: smp's loss whenever a pixel is labelled; else each class present in the targets
        NDArray counted = mode == SegmentationMode.BINARY ? valid.sum().gt(0) : t.sum(axes).gt(0);
        perClass = perClass.mul(counted.toType(perClass.getDataType(), false));
        if (classWeights == null) {
            return SafeMath.mean(perClass);
        }
        NDArray weights = Settings.onClassAxis("classWeights", classWeights, logits, false);
        // all-zero class weights weigh nothing: 0, not 0/0
        return SafeMath.safeDivide(perClass.mul(weights).sum(), weights.sum());
    }

    /** Collects the settings of an {@link MccLoss}. */
    public static final class Builder extends SegmentationLossBuilder<Builder> {

        private float eps = 1e-5f;

        Builder() {
            super("MccLoss", ValueChecks.NO_IGNORE);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets \( \varepsilon \), added to each of TP, TN, FP and FN (smp's {@code eps}, default
         * 1e-5): it keeps the denominator above 0 when a class covers every pixel or none.
         *
         * @param eps the constant, finite and > 0
         * @return this builder
         */
        public Builder optEps(float eps) {
            if (!(eps > 0) || Float.isInfinite(eps)) {
                throw new IllegalArgumentException("eps must be finite and > 0, got " + eps);
            }
            this.eps = eps;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if no mode was set, or class weights are set in BINARY
         *     mode
         */
        public MccLoss build() {
            return new MccLoss(this);
        }
    }
}
