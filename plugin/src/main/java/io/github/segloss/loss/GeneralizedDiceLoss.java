package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
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
 * Generalized Dice loss (Sudre et al., DLMIA 2017) with MONAI's semantics and defaults ({@code
 * monai.losses.GeneralizedDiceLoss}): a Dice score whose classes weigh by the inverse of their
 * target volume, so that small structures count as much as large ones.
 *
 * <p>Per image \(n\) (or pooled over the batch with {@code optPerImage(false)}, MONAI's {@code
 * batch=True}), with probabilities \(p\) (softmax in MULTICLASS mode, sigmoid otherwise, or as
 * given) and 0/1 targets \(t\) summed over the labelled pixels, for each class \(c\): \( I_c = \sum
 * p t \), \( D_c = \sum p + \sum t \), \( G_c = \sum t \) and the weight \( w_c = 1/G_c^2 \)
 * ({@link WeightType#SQUARE}, default), \( 1/G_c \) ({@link WeightType#SIMPLE}) or 1 ({@link
 * WeightType#UNIFORM}). A class absent from the targets (\( G_c = 0 \), an infinite weight) gets
 * the largest weight of the present classes of the same image (of the batch when pooled), or 0 when
 * no class is present, as MONAI does since its issues #369 and #371; class weights, if set,
 * multiply \( w_c \) after that. Then
 *
 * <p>\( L_n = 1 - \dfrac{2 \sum_c w_c I_c + s_{nr}}{\sum_c w_c D_c + s_{dr}} \)
 *
 * <p>with the sums over the classes taken before the division (MONAI issue #6765), and the loss is
 * the mean of \( L_n \) over the images that have a labelled pixel (the pooled \(L\) when pooled).
 * An image without a labelled pixel is left out (MONAI, which has no ignore index, counts it as \(
 * 1 - s_{nr}/s_{dr} \)); when nothing is labelled the loss is 0 with a zero gradient. An image
 * whose denominator is 0 (no class present and \( s_{dr} = 0 \)) counts 0 (MONAI gives NaN). With
 * {@code optIncludeBackground(false)} class 0 is left out of every sum (MONAI's {@code
 * include_background=False}; a pixel labelled 0 still counts as labelled). There is no ignore index
 * by default.
 *
 * <pre>{@code
 * Loss gdl = GeneralizedDiceLoss.builder()
 *         .setMode(SegmentationMode.MULTICLASS)   // MONAI: softmax=True, to_onehot_y=True
 *         .optWeightType(GeneralizedDiceLoss.WeightType.SQUARE)
 *         .optIgnoreIndex(255)
 *         .build();
 * }</pre>
 */
public class GeneralizedDiceLoss extends Loss {

    /** How a class's target volume \( G_c \) becomes its weight (MONAI's {@code w_type}). */
    public enum WeightType {
        /** \( w_c = 1/G_c^2 \), MONAI's default. */
        SQUARE,
        /** \( w_c = 1/G_c \). */
        SIMPLE,
        /** \( w_c = 1 \). */
        UNIFORM
    }

    private final SegmentationMode mode;
    private final boolean fromLogits;
    private final int ignoreIndex;
    private final WeightType weightType;
    private final boolean perImage;
    private final boolean includeBackground;
    private final double smoothNumerator;
    private final double smoothDenominator;
    private final float[] classWeights;
    private final boolean checkFinite;

    GeneralizedDiceLoss(Builder builder) {
        super(builder.name());
        this.mode = builder.mode();
        this.classWeights = builder.classWeights();
        if (mode == SegmentationMode.BINARY
                && (classWeights != null || !builder.includeBackground)) {
            throw new IllegalArgumentException(
                    "classWeights and includeBackground(false) need MULTICLASS or MULTILABEL mode,"
                            + " got BINARY");
        }
        this.fromLogits = builder.fromLogits();
        this.ignoreIndex = builder.ignoreIndex();
        this.weightType = builder.weightType;
        this.perImage = builder.perImage;
        this.includeBackground = builder.includeBackground;
        // the decimal the float was written as: 1e-5f adds 1e-5 to a float64 sum, as MONAI does
        this.smoothNumerator = Settings.decimal(builder.smoothNumerator);
        this.smoothDenominator = Settings.decimal(builder.smoothDenominator);
        this.checkFinite = builder.checkFinite();
    }

    /**
     * Returns a builder for a generalized Dice loss.
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

    /**
     * Returns the weight type.
     *
     * @return how target volumes become class weights
     */
    public WeightType getWeightType() {
        return weightType;
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
        long numClasses = logits.getShape().get(1);
        if (!includeBackground && numClasses < 2) {
            throw new IllegalArgumentException(
                    "includeBackground(false) needs logits of at least 2 classes on axis 1 to"
                            + " leave class 0 out, got "
                            + logits.getShape());
        }
        if (classWeights != null) {
            Settings.requireOnePerClass("classWeights", classWeights, logits);
        }
        if (EmptyBatch.isEmpty(logits)) { // no element: 0 on every engine (see EmptyBatch)
            return EmptyBatch.loss(logits);
        }

        NDArray valid = targets.valid();
        NDArray probability =
                targets.flatten(Probabilities.of(mode, fromLogits, logits)).mul(valid);
        NDArray target = targets.target();
        if (!includeBackground) {
            probability = probability.get(":, 1:");
            target = target.get(":, 1:");
        }
        int[] axes = perImage ? new int[] {2} : new int[] {0, 2};
        NDArray volume = target.sum(axes);
        NDArray weights = weights(volume, logits);
        int[] classAxis = {perImage ? 1 : 0};
        NDArray numerator =
                Scalars.add(
                        Scalars.mul(
                                probability.mul(target).sum(axes).mul(weights).sum(classAxis), 2),
                        smoothNumerator);
        NDArray denominator =
                Scalars.add(
                        probability.sum(axes).add(volume).mul(weights).sum(classAxis),
                        smoothDenominator);
        // 1 - numerator / denominator, and 0 where the denominator is 0: divided by 1 there, so
        // that no 0/0 reaches the gradient either
        DataType type = numerator.getDataType();
        NDArray nonZero = denominator.gt(0).toType(type, false);
        NDArray ratio = numerator.mul(nonZero).div(denominator.add(Scalars.sub(1, nonZero)));
        NDArray perGroup = nonZero.sub(ratio);
        if (!perImage) {
            return perGroup.mul(valid.sum().gt(0).toType(type, false));
        }
        NDArray labelled = valid.sum(new int[] {1, 2}).gt(0).toType(type, false);
        return SafeMath.safeDivide(perGroup.mul(labelled).sum(), labelled.sum());
    }

    /** The class weights \( w \) of the target volumes {@code (N, C)} or {@code (C)}. */
    private NDArray weights(NDArray volume, NDArray logits) {
        NDArray present = volume.gt(0).toType(volume.getDataType(), false);
        NDArray absent = Scalars.sub(1, present);
        // the volume where present, 1 where absent: no division by 0
        NDArray safeVolume = volume.add(absent);
        NDArray weights =
                switch (weightType) {
                    case SQUARE -> present.div(safeVolume.square());
                    case SIMPLE -> present.div(safeVolume);
                    case UNIFORM -> present;
                };
        // an absent class weighs as much as the heaviest present class of its image or batch
        NDArray largest = perImage ? weights.max(new int[] {1}, true) : weights.max();
        weights = weights.add(absent.mul(largest));
        if (classWeights == null) {
            return weights;
        }
        NDArray perClass = Settings.onClassAxis("classWeights", classWeights, logits, false);
        return weights.mul(includeBackground ? perClass : perClass.get("1:"));
    }

    /** Collects the settings of a {@link GeneralizedDiceLoss}. */
    public static final class Builder extends SegmentationLossBuilder<Builder> {

        private WeightType weightType = WeightType.SQUARE;
        private boolean perImage = true;
        private boolean includeBackground = true;
        private float smoothNumerator = 1e-5f;
        private float smoothDenominator = 1e-5f;

        Builder() {
            super("GeneralizedDiceLoss", ValueChecks.NO_IGNORE);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets how a class's target volume becomes its weight (default {@link WeightType#SQUARE},
         * MONAI's default).
         *
         * @param weightType the weight type
         * @return this builder
         */
        public Builder optWeightType(WeightType weightType) {
            if (weightType == null) {
                throw new IllegalArgumentException(
                        "weightType must be SQUARE, SIMPLE or UNIFORM, got null");
            }
            this.weightType = weightType;
            return this;
        }

        /**
         * Sets whether the loss is computed per image and averaged over the images (default true,
         * MONAI's default {@code batch=False}) or once over the whole batch ({@code batch=True}).
         *
         * @param perImage true for one score per image
         * @return this builder
         */
        public Builder optPerImage(boolean perImage) {
            this.perImage = perImage;
            return this;
        }

        /**
         * Sets whether class 0 counts (default true); false leaves it out of every sum (MONAI's
         * {@code include_background=False}), in MULTICLASS or MULTILABEL mode.
         *
         * @param includeBackground false to leave class 0 out
         * @return this builder
         */
        public Builder optIncludeBackground(boolean includeBackground) {
            this.includeBackground = includeBackground;
            return this;
        }

        /**
         * Sets the smoothing added to the numerator, MONAI's {@code smooth_nr} (default 1e-5).
         *
         * @param smoothNumerator the smoothing, finite and >= 0
         * @return this builder
         */
        public Builder optSmoothNumerator(float smoothNumerator) {
            Settings.requireFiniteNonNegative("smoothNumerator", smoothNumerator);
            this.smoothNumerator = smoothNumerator;
            return this;
        }

        /**
         * Sets the smoothing added to the denominator, MONAI's {@code smooth_dr} (default 1e-5).
         *
         * @param smoothDenominator the smoothing, finite and >= 0
         * @return this builder
         */
        public Builder optSmoothDenominator(float smoothDenominator) {
            Settings.requireFiniteNonNegative("smoothDenominator", smoothDenominator);
            this.smoothDenominator = smoothDenominator;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if no mode was set, or class weights or {@code
         *     includeBackground(false)} are set in BINARY mode
         */
        public GeneralizedDiceLoss build() {
            return new GeneralizedDiceLoss(this);
        }
    }
}
