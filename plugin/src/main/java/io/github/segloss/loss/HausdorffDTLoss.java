package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.SafeMath;
import io.github.segloss.internal.Settings;
import io.github.segloss.internal.ValueChecks;
import io.github.segloss.target.DistanceMaps;
import java.util.Arrays;

/**
 * The Hausdorff distance loss of Karimi and Salcudean ("Reducing the Hausdorff Distance in Medical
 * Image Segmentation with Convolutional Neural Networks", IEEE TMI 2019) with the semantics of
 * MONAI's {@code HausdorffDTLoss} (reduction mean).
 *
 * <p>\( L = \frac{\sum_{c \in K} w_c L_c}{\sum_{c \in K} w_c} \), \( L_c = \frac{1}{|V_c|} \sum_{i
 * \in V_c} (p_{ic} - t_{ic})^2 (d^P_{ic}{}^\alpha + d^T_{ic}{}^\alpha) \), with the probabilities
 * \(p\) (softmax in MULTICLASS mode, MONAI's {@code softmax=True, to_onehot_y=True}; sigmoid in
 * BINARY and MULTILABEL mode, MONAI's {@code sigmoid=True}; as given with {@code
 * optFromLogits(false)}), the 0/1 targets \(t\), and MONAI's distance fields (see {@link
 * DistanceMaps#distanceField(NDArray, double...)}) of the targets, \( d^T \), and of the
 * thresholded prediction \( p > 0.5 \), \( d^P \) (constants: no gradient flows through them). The
 * classes \(K\) are all but class 0 (MONAI's {@code include_background=False}, the default) or all
 * with {@code optIncludeBackground(true)}; with one channel it always counts, as in MONAI. \(V_c\)
 * are the labelled pixels of the batch; without ignored pixels and class weights \(L\) is MONAI's
 * mean over the batch, the classes and the pixels. MONAI's {@code batch} option changes nothing
 * under its mean reduction (every image has as many pixels), so there is no such setting.
 *
 * <p>Both fields are computed at each call on the host (see {@link DistanceMaps}: the targets and
 * the thresholded probabilities are copied there), with the spacing of {@code optSampling} (MONAI
 * has none: spacing 1). Ignored pixels lie outside every class's target mask and count nowhere; a
 * batch without a labelled pixel gives 0 with a zero gradient. There is no ignore index by default.
 */
public class HausdorffDTLoss extends DistanceLoss {

    private final float alpha;
    private final boolean includeBackground;

    HausdorffDTLoss(Builder builder) {
        super(
                new Options(
                        builder.name(),
                        builder.mode(),
                        builder.fromLogits(),
                        builder.ignoreIndex(),
                        builder.classWeights(),
                        builder.sampling,
                        builder.checkFinite()));
        this.alpha = builder.alpha;
        this.includeBackground = builder.includeBackground;
    }

    /**
     * Returns a builder for a Hausdorff distance loss.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    NDArray elementTerm(NDArray probability, NDArray target, NDArray maps, Shape shape) {
        double[] spacing = sampling(shape.dimension() - 2);
        NDArray predicted = DistanceMaps.distanceField(probability.reshape(shape), spacing);
        NDArray truth = DistanceMaps.distanceField(target.reshape(shape), spacing);
        NDArray distance =
                SafeMath.safePow(predicted, alpha)
                        .add(SafeMath.safePow(truth, alpha))
                        .reshape(probability.getShape());
        NDArray error = probability.sub(target);
        return error.mul(error).mul(distance);
    }

    @Override
    float[] classesThatCount(int numClasses, NDArray logits) {
        float[] flags = new float[numClasses];
        Arrays.fill(flags, 1f);
        if (!includeBackground && numClasses > 1) {
            flags[0] = 0f;
        }
        return flags;
    }

    /** Labels after the first are not read (as by the other losses). */
    @Override
    NDArray givenMaps(NDList labels, NDArray logits) {
        return null;
    }

    /** Collects the settings of a {@link HausdorffDTLoss}. */
    public static final class Builder extends SegmentationLossBuilder<Builder> {

        private float alpha = 2f;
        private boolean includeBackground;
        private double[] sampling;

        Builder() {
            super("HausdorffDTLoss", ValueChecks.NO_IGNORE);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the exponent \( \alpha \) of the distances (MONAI's {@code alpha}, default 2).
         *
         * @param alpha the exponent, finite and >= 0
         * @return this builder
         */
        public Builder optAlpha(float alpha) {
            Settings.requireFiniteNonNegative("alpha", alpha);
            this.alpha = alpha;
            return this;
        }

        /**
         * Sets whether class 0 counts (MONAI's {@code include_background}, default false).
         *
         * @param includeBackground true to count class 0
         * @return this builder
         */
        public Builder optIncludeBackground(boolean includeBackground) {
            this.includeBackground = includeBackground;
            return this;
        }

        /**
         * Sets the pixel spacing of each spatial axis for the distance fields (default 1 on every
         * axis, as MONAI).
         *
         * @param sampling one spacing per spatial axis {@code d1..dk}, each finite and > 0
         * @return this builder
         */
        public Builder optSampling(double... sampling) {
            this.sampling = DistanceLoss.checkedSampling(sampling);
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         */
        public HausdorffDTLoss build() {
            return new HausdorffDTLoss(this);
        }
    }
}
