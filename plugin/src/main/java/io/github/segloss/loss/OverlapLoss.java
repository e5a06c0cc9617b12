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
import io.github.segloss.internal.TverskyScore;
import io.github.segloss.internal.ValueChecks;
import java.util.Arrays;

/**
 * The region-overlap losses of segmentation_models.pytorch, built on one soft Tversky score (see
 * {@link DiceLoss}, {@link JaccardLoss} and {@link TverskyLoss}).
 *
 * <p>Per class \(c\), with probabilities \(p\) (softmax in MULTICLASS mode, sigmoid otherwise) and
 * 0/1 targets \(t\) (soft targets in [0, 1] with {@code optSoftLabels(true)}) pooled over the batch
 * and the pixels (or per image with {@code perImage}), ignored pixels removed from both:
 *
 * <p>\( \ell_c = [\textstyle\sum t_c > 0] \cdot (1 - \mathrm{score}_c) \), or \( -\log
 * \max(\mathrm{score}_c, \varepsilon) \) with {@code logLoss}; a class absent from the targets
 * contributes 0.
 *
 * <p>\( L = \left( \frac{\sum_{c \in K} w_c \ell_c}{\sum_{c \in K} w_c} \right)^\gamma \) over the
 * selected classes \(K\) (all by default) with class weights \(w\) (all 1 by default). With {@code
 * perImage}, \( \ell_c \) is first the mean over the images of the per-image losses. When nothing
 * is labelled every class is absent and the loss is 0. Classes and class weights need MULTICLASS or
 * MULTILABEL mode; when the selected classes all weigh 0 the loss is 0 (smp gives NaN). There is no
 * ignore index by default.
 */
public abstract class OverlapLoss extends Loss {

    /**
     * MONAI's Dice and Jaccard scores carry a factor 2, \( (2I + s_{nr}) / (\ldots + s_{dr}) \):
     * their smoothing is twice this score's.
     */
    static final double MONAI_DICE_SMOOTH_SCALE = 0.5;

    private final SegmentationMode mode;
    private final boolean fromLogits;
    private final int ignoreIndex;
    private final double smoothNumerator;
    private final double smoothDenominator;
    private final boolean softLabels;
    private final float eps;
    private final boolean logLoss;
    private final int[] classes;
    private final float[] classWeights;
    private final boolean perImage;
    private final boolean squaredDenominator;
    private final float alpha;
    private final float beta;
    private final float gamma;
    private final boolean checkFinite;

    /**
     * Creates the loss.
     *
     * @param monaiScale what MONAI's {@code smooth_nr} and {@code smooth_dr} are multiplied by to
     *     give this score's smoothing: 1/2 for MONAI's Dice and Jaccard, whose score is \( (2I +
     *     s_{nr}) / (\ldots + s_{dr}) \), 1 for its Tversky score
     */
    OverlapLoss(BaseBuilder<?> builder, float alpha, float beta, float gamma, double monaiScale) {
        super(builder.name());
        this.mode = builder.mode();
        this.classWeights = builder.classWeights();
        if (mode == SegmentationMode.BINARY && (builder.classes != null || classWeights != null)) {
            throw new IllegalArgumentException(
                    "classes and classWeights need MULTICLASS or MULTILABEL mode, got BINARY");
        }
        this.fromLogits = builder.fromLogits();
        this.ignoreIndex = builder.ignoreIndex();
        if (builder.smoothSet
                && (builder.smoothNumerator != null || builder.smoothDenominator != null)) {
            throw new IllegalArgumentException(
                    "set either optSmooth (smp's smooth, got "
                            + builder.smooth
                            + ") or optSmoothNumerator/optSmoothDenominator (MONAI's smooth_nr and"
                            + " smooth_dr, got "
                            + builder.smoothNumerator
                            + " and "
                            + builder.smoothDenominator
                            + "), not both");
        }
        if (builder.smoothNumerator == null && builder.smoothDenominator == null) {
            this.smoothNumerator = builder.smooth;
            this.smoothDenominator = builder.smooth;
        } else {
            this.smoothNumerator = monaiScale * orZero(builder.smoothNumerator);
            this.smoothDenominator = monaiScale * orZero(builder.smoothDenominator);
        }
        this.softLabels = builder.softLabels;
        this.eps = builder.eps;
        this.logLoss = builder.logLoss;
        this.classes = builder.classes;
        this.perImage = builder.perImage;
        this.squaredDenominator = builder.squaredDenominator;
        this.alpha = alpha;
        this.beta = beta;
        this.gamma = gamma;
        this.checkFinite = builder.checkFinite();
    }

    /** The decimal a float was written as (1e-5f as 1e-5, as MONAI's float64 reads it), or 0. */
    private static double orZero(Float value) {
        return value == null ? 0 : Settings.decimal(value);
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
                SegmentationTargets.of(mode, labels.head(), logits, ignoreIndex, softLabels);
        int numClasses = Math.toIntExact(logits.getShape().get(1));
        NDArray selection = classSelection(numClasses, logits);
        if (EmptyBatch.isEmpty(logits)) { // no element: 0 on every engine (see EmptyBatch)
            return EmptyBatch.loss(logits);
        }

        NDArray probability =
                targets.flatten(Probabilities.of(mode, fromLogits, logits)).mul(targets.valid());
        NDArray target = targets.target();
        int[] axes = perImage ? new int[] {2} : new int[] {0, 2};
        NDArray score =
                TverskyScore.score(
                        probability,
                        target,
                        axes,
                        alpha,
                        beta,
                        smoothNumerator,
                        smoothDenominator,
                        eps,
                        squaredDenominator);
        NDArray perClass =
                logLoss ? Scalars.maximum(score, eps).log().neg() : Scalars.sub(1, score);
        NDArray present = target.sum(axes).gt(0).toType(perClass.getDataType(), false);
        perClass = perClass.mul(present);
        if (perImage) {
            perClass = perClass.mean(new int[] {0});
        }
        // no selected class with a weight above 0: 0, not 0/0
        NDArray mean = SafeMath.safeDivide(perClass.mul(selection).sum(), selection.sum());
        return SafeMath.safePow(mean, gamma);
    }

    /** The weight of each class in the final mean: class weight if selected, else 0. */
    private NDArray classSelection(int numClasses, NDArray logits) {
        float[] weights = new float[numClasses];
        if (classes == null) {
            Arrays.fill(weights, 1f);
        } else {
            for (int c : classes) {
                if (c >= numClasses) {
                    throw new IllegalArgumentException(
                            "classes must lie in [0, "
                                    + numClasses
                                    + ") for logits "
                                    + logits.getShape()
                                    + ", got "
                                    + c);
                }
                weights[c] = 1f;
            }
        }
        if (classWeights != null) {
            Settings.requireOnePerClass("classWeights", classWeights, logits);
            for (int c = 0; c < numClasses; c++) {
                weights[c] *= classWeights[c];
            }
        }
        return Settings.onClassAxis("class selection", weights, logits, false);
    }

    /**
     * The settings shared by the overlap losses: the {@link SegmentationLossBuilder} settings and
     * the score's options.
     *
     * @param <T> the concrete builder
     */
    public abstract static class BaseBuilder<T extends BaseBuilder<T>>
            extends SegmentationLossBuilder<T> {

        private float smooth;
        private boolean smoothSet;
        private Float smoothNumerator;
        private Float smoothDenominator;
        private boolean softLabels;
        private float eps = 1e-7f;
        private boolean logLoss;
        private int[] classes;
        private boolean perImage;
        private boolean squaredDenominator;

        BaseBuilder(String name) {
            super(name, ValueChecks.NO_IGNORE);
        }

        /**
         * Sets the smoothing \(s\) of segmentation_models.pytorch, added to the numerator and the
         * denominator of the score (default 0): \( (I + s) / (\ldots + s) \). For {@link DiceLoss}
         * and {@link JaccardLoss} this is MONAI's {@code smooth_nr = smooth_dr = 2s} (MONAI writes
         * the Dice score as \( (2I + s_{nr}) / (S_p + S_t + s_{dr}) \)); for {@link TverskyLoss} it
         * is MONAI's {@code smooth_nr = smooth_dr = s}. It excludes {@link #optSmoothNumerator} and
         * {@link #optSmoothDenominator}: setting both kinds makes {@code build()} throw an {@link
         * IllegalArgumentException}.
         *
         * @param smooth the smoothing, >= 0
         * @return this builder
         */
        public T optSmooth(float smooth) {
            Settings.requireFiniteNonNegative("smooth", smooth);
            this.smooth = smooth;
            this.smoothSet = true;
            return self();
        }

        /**
         * Sets MONAI's {@code smooth_nr}, the smoothing of the numerator, unchanged: the Dice score
         * becomes \( (2I + s_{nr}) / (S_p + S_t + s_{dr}) \), the Jaccard score \( (2I + s_{nr}) /
         * (2(S_p + S_t - I) + s_{dr}) \) and the Tversky score \( (I + s_{nr}) / (I + \alpha FP +
         * \beta FN + s_{dr}) \), as in MONAI's {@code DiceLoss}, {@code DiceLoss(jaccard=True)} and
         * {@code TverskyLoss}. An unset {@link #optSmoothDenominator} is then 0 (MONAI's default is
         * 1e-5 for both). {@link #optSmooth optSmooth(s)} is {@code smooth_nr = smooth_dr = 2s} for
         * Dice and Jaccard and {@code = s} for Tversky; setting both kinds makes {@code build()}
         * throw an {@link IllegalArgumentException}.
         *
         * @param smoothNumerator MONAI's {@code smooth_nr}, finite and >= 0
         * @return this builder
         */
        public T optSmoothNumerator(float smoothNumerator) {
            Settings.requireFiniteNonNegative("smoothNumerator", smoothNumerator);
            this.smoothNumerator = smoothNumerator;
            return self();
        }

        /**
         * Sets MONAI's {@code smooth_dr}, the smoothing of the denominator, unchanged (see {@link
         * #optSmoothNumerator} for the scores). An unset {@link #optSmoothNumerator} is then 0.
         * {@link #optSmooth optSmooth(s)} is {@code smooth_nr = smooth_dr = 2s} for Dice and
         * Jaccard and {@code = s} for Tversky; setting both kinds makes {@code build()} throw an
         * {@link IllegalArgumentException}. The denominator stays bounded below by {@link #optEps}.
         *
         * @param smoothDenominator MONAI's {@code smooth_dr}, finite and >= 0
         * @return this builder
         */
        public T optSmoothDenominator(float smoothDenominator) {
            Settings.requireFiniteNonNegative("smoothDenominator", smoothDenominator);
            this.smoothDenominator = smoothDenominator;
            return self();
        }

        /**
         * Sets whether the targets may be soft, any value in [0, 1] (default false: 0/1 targets and
         * class indices only, so that a stray fraction, e.g. of a bilinearly resized mask, is an
         * error). With it, BINARY and MULTILABEL labels may hold values in [0, 1] (or the ignore
         * index), and MULTICLASS mode also takes per-class targets of the logits' shape {@code (N,
         * C, d1..dk)} (C at least 2) with values in [0, 1] or the ignore index, each ignored
         * element counting nowhere, as in MULTILABEL; class indices are still read as usual. The
         * score is MONAI's {@code soft_label=True} formula (JDTLosses), which this loss always
         * computes: the intersection \( I = (\sum p + \sum t - \sum |p - t|) / 2 \) (\( \sum p t \)
         * for 0/1 targets), or \( \sum p t \) with {@link #optSquaredDenominator}. A class counts
         * as present where its targets sum above 0.
         *
         * @param softLabels true to accept soft targets
         * @return this builder
         */
        public T optSoftLabels(boolean softLabels) {
            this.softLabels = softLabels;
            return self();
        }

        /**
         * Sets the lower bound of the score's denominator and of the score under {@code logLoss}
         * (default 1e-7).
         *
         * @param eps the bound, > 0
         * @return this builder
         */
        public T optEps(float eps) {
            if (!(eps > 0) || Float.isInfinite(eps)) {
                throw new IllegalArgumentException("eps must be finite and > 0, got " + eps);
            }
            this.eps = eps;
            return self();
        }

        /**
         * Sets whether the per-class loss is \( -\log(\mathrm{score}) \) instead of \( 1 -
         * \mathrm{score} \) (default false).
         *
         * @param logLoss true for the log loss
         * @return this builder
         */
        public T optLogLoss(boolean logLoss) {
            this.logLoss = logLoss;
            return self();
        }

        /**
         * Sets the classes that count in the mean (default: all); not in BINARY mode.
         *
         * @param classes the distinct class indices, each >= 0
         * @return this builder
         */
        public T optClasses(int... classes) {
            this.classes = Settings.distinctClasses(classes);
            return self();
        }

        /**
         * Sets whether the score is computed per image and class, then averaged over the images
         * (MONAI's {@code batch=False}), instead of pooled over the batch (default false).
         *
         * @param perImage true for per-image scores
         * @return this builder
         */
        public T optPerImage(boolean perImage) {
            this.perImage = perImage;
            return self();
        }

        /**
         * Sets whether the denominator sums squares, \( \sum p^2 + \sum t^2 \) (MONAI's {@code
         * squared_pred}), default false.
         *
         * @param squaredDenominator true for squared sums
         * @return this builder
         */
        public T optSquaredDenominator(boolean squaredDenominator) {
            this.squaredDenominator = squaredDenominator;
            return self();
        }
    }
}
