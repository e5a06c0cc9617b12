package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.EmptyBatch;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;
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
 * 0/1 targets \(t\) pooled over the batch and the pixels (or per image with {@code perImage}),
 * ignored pixels removed from both:
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

    private final SegmentationMode mode;
    private final boolean fromLogits;
    private final int ignoreIndex;
    private final float smooth;
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

    OverlapLoss(BaseBuilder<?> builder, float alpha, float beta, float gamma) {
        super(builder.name());
        this.mode = builder.mode();
        this.classWeights = builder.classWeights();
        if (mode == SegmentationMode.BINARY && (builder.classes != null || classWeights != null)) {
            throw new IllegalArgumentException(
                    "classes and classWeights need MULTICLASS or MULTILABEL mode, got BINARY");
        }
        this.fromLogits = builder.fromLogits();
        this.ignoreIndex = builder.ignoreIndex();
        this.smooth = builder.smooth;
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
        int numClasses = Math.toIntExact(logits.getShape().get(1));
        NDArray selection = classSelection(numClasses, logits);
        if (EmptyBatch.isEmpty(logits)) { // no element: 0 on every engine (see EmptyBatch)
            return EmptyBatch.loss(logits);
        }

        NDArray probability = targets.flatten(probabilities(logits)).mul(targets.valid());
        NDArray target = targets.target();
        int[] axes = perImage ? new int[] {2} : new int[] {0, 2};
        NDArray score =
                TverskyScore.score(
                        probability, target, axes, alpha, beta, smooth, eps, squaredDenominator);
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

    private NDArray probabilities(NDArray logits) {
        if (!fromLogits) {
            return logits;
        }
        return mode == SegmentationMode.MULTICLASS
                ? SafeMath.logSoftmax(logits).exp()
                : Activation.sigmoid(logits);
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
        private float eps = 1e-7f;
        private boolean logLoss;
        private int[] classes;
        private boolean perImage;
        private boolean squaredDenominator;

        BaseBuilder(String name) {
            super(name, ValueChecks.NO_IGNORE);
        }

        /**
         * Sets the smoothing added to the numerator and the denominator of the score (default 0).
         *
         * @param smooth the smoothing, >= 0
         * @return this builder
         */
        public T optSmooth(float smooth) {
            Settings.requireFiniteNonNegative("smooth", smooth);
            this.smooth = smooth;
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
            if (classes == null || classes.length == 0) {
                throw new IllegalArgumentException("classes must name at least one class");
            }
            if (Arrays.stream(classes).anyMatch(c -> c < 0)
                    || Arrays.stream(classes).distinct().count() != classes.length) {
                throw new IllegalArgumentException(
                        "classes must be distinct and >= 0, got " + Arrays.toString(classes));
            }
            this.classes = classes.clone();
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
