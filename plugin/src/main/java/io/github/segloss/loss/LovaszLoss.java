package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.EmptyBatch;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.LovaszExtension;
import io.github.segloss.internal.SafeMath;
import io.github.segloss.internal.Scalars;
import io.github.segloss.internal.SegmentationTargets;
import io.github.segloss.internal.ValueChecks;

/**
 * Lovász loss with segmentation_models.pytorch's semantics: the Lovász-softmax loss in MULTICLASS
 * mode, the Lovász hinge loss in BINARY and MULTILABEL mode (Berman et al., 2018).
 *
 * <p>MULTICLASS: for each class \(c\) present in the labelled pixels, the Lovász extension of the
 * Jaccard loss of the errors \( |[y_i = c] - p_{ic}| \) (softmax probabilities); the loss is the
 * mean over the present classes.
 *
 * <p>BINARY, MULTILABEL: the Lovász extension of the hinge errors \( \max(0, 1 - x_i s_i) \) with
 * signs \( s_i = 2 t_i - 1 \), over all labelled elements (all channels together, as smp).
 *
 * <p>The errors are pooled over the batch, or with {@code perImage} computed per image and averaged
 * over the images that have a labelled pixel. Ignored pixels take no part; with nothing labelled
 * the loss is 0 (smp returns an empty tensor in MULTICLASS mode and counts an all-ignored image as
 * 0 in BINARY mode).
 */
public class LovaszLoss extends Loss {

    private final SegmentationMode mode;
    private final boolean perImage;
    private final int ignoreIndex;
    private final boolean fromLogits;
    private final boolean checkFinite;

    LovaszLoss(Builder builder) {
        super(builder.name());
        if (builder.mode == null) {
            throw new IllegalArgumentException(builder.name() + " needs setMode(mode)");
        }
        if (!builder.fromLogits && builder.mode != SegmentationMode.MULTICLASS) {
            throw new IllegalArgumentException(
                    "the Lovász hinge of " + builder.mode + " mode needs logits");
        }
        this.mode = builder.mode;
        this.perImage = builder.perImage;
        this.ignoreIndex = builder.ignoreIndex();
        this.fromLogits = builder.fromLogits;
        this.checkFinite = builder.checkFinite();
    }

    /**
     * Returns a builder for a Lovász loss.
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
        SegmentationTargets targets =
                SegmentationTargets.of(mode, labels.head(), logits, ignoreIndex);
        if (EmptyBatch.isEmpty(logits)) { // no element: 0 on every engine (see EmptyBatch)
            return EmptyBatch.loss(logits);
        }
        NDArray valid = targets.valid().broadcast(targets.target().getShape());
        return mode == SegmentationMode.MULTICLASS
                ? softmax(targets, logits, valid)
                : hinge(targets, logits, valid);
    }

    private NDArray softmax(SegmentationTargets targets, NDArray logits, NDArray valid) {
        NDArray probability = targets.flatten(fromLogits ? logits.softmax(1) : logits);
        NDArray foreground = targets.target();
        // ignored pixels get error -1, below every real error in [0, 1]
        NDArray errors = Scalars.sub(foreground.sub(probability).abs().mul(valid).add(valid), 1);
        long batch = errors.getShape().get(0);
        long classes = errors.getShape().get(1);
        long pixels = errors.getShape().get(2);
        if (perImage) {
            NDArray perGroup =
                    LovaszExtension.loss(
                                    errors.reshape(batch * classes, pixels),
                                    foreground.reshape(batch * classes, pixels),
                                    false)
                            .reshape(batch, classes);
            NDArray present =
                    foreground.sum(new int[] {2}).gt(0).toType(errors.getDataType(), false);
            NDArray perImageLoss =
                    SafeMath.safeDivide(
                            perGroup.mul(present).sum(new int[] {1}), present.sum(new int[] {1}));
            NDArray labelled = present.sum(new int[] {1}).gt(0).toType(errors.getDataType(), false);
            return SafeMath.safeDivide(perImageLoss.mul(labelled).sum(), labelled.sum());
        }
        NDArray pooledErrors = errors.transpose(1, 0, 2).reshape(classes, batch * pixels);
        NDArray pooledForeground = foreground.transpose(1, 0, 2).reshape(classes, batch * pixels);
        NDArray perClass = LovaszExtension.loss(pooledErrors, pooledForeground, false);
        NDArray present =
                pooledForeground.sum(new int[] {1}).gt(0).toType(errors.getDataType(), false);
        return SafeMath.safeDivide(perClass.mul(present).sum(), present.sum());
    }

    private NDArray hinge(SegmentationTargets targets, NDArray logits, NDArray valid) {
        NDArray foreground = targets.target();
        long batch = foreground.getShape().get(0);
        long groups = perImage ? batch : 1;
        NDArray signs = Scalars.sub(Scalars.mul(foreground, 2), 1);
        NDArray errors = Scalars.sub(1, targets.flatten(logits).mul(signs));
        // ignored elements sort last and vanish under the hinge
        NDArray excluded = Scalars.mul(errors.onesLike(), Double.NEGATIVE_INFINITY);
        NDArray kept = NDArrays.where(valid.gt(0), errors, excluded);
        NDArray perGroup =
                LovaszExtension.loss(
                        kept.reshape(groups, -1), foreground.reshape(groups, -1), true);
        NDArray labelled =
                valid.reshape(groups, -1)
                        .sum(new int[] {1})
                        .gt(0)
                        .toType(errors.getDataType(), false);
        return SafeMath.safeDivide(perGroup.mul(labelled).sum(), labelled.sum());
    }

    /** Collects the settings of a {@link LovaszLoss}. */
    public static final class Builder extends PixelLossBuilder<Builder> {

        private SegmentationMode mode;
        private boolean perImage;
        private boolean fromLogits = true;

        Builder() {
            super("LovaszLoss", ValueChecks.NO_IGNORE);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the segmentation mode (required).
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder setMode(SegmentationMode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * Sets whether the loss is computed per image and averaged (default false: pooled over the
         * batch).
         *
         * @param perImage true for per-image losses
         * @return this builder
         */
        public Builder optPerImage(boolean perImage) {
            this.perImage = perImage;
            return this;
        }

        /**
         * Sets whether MULTICLASS predictions are logits (default) or probabilities; the hinge of
         * BINARY and MULTILABEL mode always reads logits.
         *
         * @param fromLogits true for logits
         * @return this builder
         */
        public Builder optFromLogits(boolean fromLogits) {
            this.fromLogits = fromLogits;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         */
        public LovaszLoss build() {
            return new LovaszLoss(this);
        }
    }
}
