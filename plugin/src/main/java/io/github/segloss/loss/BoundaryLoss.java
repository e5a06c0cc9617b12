package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.Settings;
import io.github.segloss.internal.Shapes;
import io.github.segloss.internal.ValueChecks;
import io.github.segloss.target.DistanceMaps;
import java.util.Arrays;

/**
 * The boundary loss of Kervadec et al. ("Boundary loss for highly unbalanced segmentation", MIDL
 * 2019), as the authors' {@code SurfaceLoss}: the mean over pixels of each class's probability
 * times its signed distance map, over the classes that count.
 *
 * <p>\( L = \frac{\sum_{c \in K} w_c L_c}{\sum_{c \in K} w_c} \), \( L_c = \frac{1}{|V_c|} \sum_{i
 * \in V_c} p_{ic}\, \phi_{ic} \), with the probabilities \(p\) (softmax in MULTICLASS mode, sigmoid
 * otherwise, as given with {@code optFromLogits(false)}), the signed distance maps \( \phi \) of
 * boundary-loss's {@code one_hot2dist} (negative inside the class, 0 on its inner border, the
 * distance to it outside, 0 everywhere for a class absent from the image; see {@link
 * DistanceMaps}), the labelled pixels \( V_c \) of the batch, the classes \(K\) of {@code
 * optClasses} (default: all but the background class 0 in MULTICLASS mode, as the paper's {@code
 * idc=[1]}; every class in BINARY and MULTILABEL mode) and the class weights \(w\) (default 1).
 * Without ignored pixels and weights it is the authors' {@code SurfaceLoss}: the mean over the
 * batch, the selected classes and the pixels. The loss is negative when the prediction lies inside
 * the targets; its minimum is reached by the perfect segmentation.
 *
 * <p>The maps come from either place:
 *
 * <ul>
 *   <li>given as a second label, {@code labels = (classIds, maps)} with {@code maps} of the logits'
 *       shape {@code (N, C, d1..dk)} in any float type, computed by the data loader with {@link
 *       DistanceMaps#signedPerClass(int[], int[], int, int, double...)} as the authors' data loader
 *       does (no copy to the host during training; the maps must be finite);
 *   <li>computed from the labels at each call when only {@code labels = (classIds)} is given: the
 *       targets are copied to the host and transformed there (see {@link DistanceMaps}), with the
 *       spacing of {@code optSampling}.
 * </ul>
 *
 * <p>Ignored pixels belong to no class (they lie outside every class's mask when the maps are
 * computed here) and count nowhere; a batch without a labelled pixel gives 0 with a zero gradient.
 * There is no ignore index by default. It is used beside a region loss whose weight falls as the
 * boundary term's rises: the paper trains \( \alpha \mathcal{L}_{GDL} + (1 - \alpha) \mathcal{L}_B
 * \) with \( \alpha \) from 1 down by 0.01 per epoch (to at least 0.01).
 */
public class BoundaryLoss extends DistanceLoss {

    private final int[] classes;

    BoundaryLoss(Builder builder) {
        super(
                new Options(
                        builder.name(),
                        builder.mode(),
                        builder.fromLogits(),
                        builder.ignoreIndex(),
                        builder.classWeights(),
                        builder.sampling,
                        builder.checkFinite()));
        if (getMode() == SegmentationMode.BINARY && builder.classes != null) {
            throw new IllegalArgumentException(
                    "classes need MULTICLASS or MULTILABEL mode, got BINARY");
        }
        this.classes = builder.classes;
    }

    /**
     * Returns a builder for a boundary loss.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    NDArray elementTerm(NDArray probability, NDArray target, NDArray maps, Shape shape) {
        NDArray phi =
                maps != null
                        ? maps.toType(probability.getDataType(), false)
                        : DistanceMaps.signed(
                                target.reshape(shape), sampling(shape.dimension() - 2));
        return probability.mul(phi.reshape(probability.getShape()));
    }

    @Override
    float[] classesThatCount(int numClasses, NDArray logits) {
        float[] flags = new float[numClasses];
        if (classes == null) {
            Arrays.fill(flags, 1f);
            if (getMode() == SegmentationMode.MULTICLASS && numClasses > 1) {
                flags[0] = 0f;
            }
            return flags;
        }
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
            flags[c] = 1f;
        }
        return flags;
    }

    @Override
    NDArray givenMaps(NDList labels, NDArray logits) {
        if (labels.size() < 2) {
            return null;
        }
        NDArray maps = labels.get(1);
        String name = "labels[1] (the signed distance maps)";
        Shapes.requireShape(maps, name, logits.getShape(), "(N, C, d1..dk) like the logits");
        if (!maps.getDataType().isFloating()) {
            throw new IllegalArgumentException(
                    name + " must be a floating-point array, got " + maps.getDataType());
        }
        FiniteCheck.requireFinite(true, maps, name);
        return maps;
    }

    /** Collects the settings of a {@link BoundaryLoss}. */
    public static final class Builder extends SegmentationLossBuilder<Builder> {

        private int[] classes;
        private double[] sampling;

        Builder() {
            super("BoundaryLoss", ValueChecks.NO_IGNORE);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the classes that count (default: all but class 0 in MULTICLASS mode, all in the
         * others); not in BINARY mode.
         *
         * @param classes the distinct class indices, each >= 0
         * @return this builder
         */
        public Builder optClasses(int... classes) {
            this.classes = Settings.distinctClasses(classes);
            return this;
        }

        /**
         * Sets the pixel spacing of each spatial axis for the maps computed from the labels
         * (boundary-loss's {@code resolution}; default 1 on every axis). Maps given as {@code
         * labels[1]} are used as they are.
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
        public BoundaryLoss build() {
            return new BoundaryLoss(this);
        }
    }
}
