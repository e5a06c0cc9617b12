package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.ClassIndexLabels;
import io.github.segloss.internal.EmptyBatch;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.ProbabilityTargets;
import io.github.segloss.internal.SafeMath;
import io.github.segloss.internal.Scalars;
import io.github.segloss.internal.Settings;
import io.github.segloss.internal.Shapes;

/**
 * Softmax cross-entropy over the class axis 1 of logits {@code (N, C)}, {@code (N, C, H, W)} or
 * {@code (N, C, d1..dk)}, with an ignore label, class weights and label smoothing: the value and
 * gradient of {@code torch.nn.functional.cross_entropy(logits, labels, weight, ignore_index,
 * label_smoothing)} with mean reduction.
 *
 * <p>With \( \log p_{ic} \) the log-softmax of pixel \(i\), \(y_i\) its label, \(V\) the pixels
 * whose label is not the ignore index, \(w\) the class weights (all 1 by default), \(\varepsilon\)
 * the label smoothing and \(C\) the number of classes:
 *
 * <p>\( L = \dfrac{\sum_{i \in V} \left[ (1 - \varepsilon)\, w_{y_i} (-\log p_{i y_i}) +
 * \frac{\varepsilon}{C} \sum_c w_c (-\log p_{ic}) \right]}{\sum_{i \in V} w_{y_i}} \)
 *
 * <p>The denominator is PyTorch's: the sum of the target classes' weights over labelled pixels.
 * Where it is 0 (every pixel ignored) the loss is exactly 0 with a zero gradient; PyTorch gives
 * NaN.
 *
 * <p>Labels are {@code (N, d1..dk)} or {@code (N, 1, d1..dk)}, of any integer type or floats
 * holding whole numbers; each must be a class in {@code [0, C)} or the ignore index, else {@link
 * #evaluate} throws an {@link IllegalArgumentException}. The loss reads the first prediction of the
 * {@link NDList} it is given.
 *
 * <p><b>Class-probability targets.</b> Labels of the logits' shape {@code (N, C, d1..dk)} (with \(C
 * \ge 2\)) are class probabilities \(t\), as in {@code cross_entropy} since PyTorch 1.10: the shape
 * alone decides, as in PyTorch (with one class the {@code (N, 1, d1..dk)} layout stays class
 * indices; the loss is 0 either way). With \(P = N d_1 \cdots d_k\) the number of pixels and \( t'
 * = (1 - \varepsilon) t + \varepsilon / C \):
 *
 * <p>\( L = \dfrac{1}{P} \sum_i \sum_c w_c\, t'_{ic} (-\log p_{ic}) \)
 *
 * <p>The denominator is PyTorch's: the number of pixels, not a sum of weights. The probabilities
 * must be floating-point, finite and \( \ge 0 \); rows need not sum to 1 (PyTorch does not require
 * it either). The ignore index does not apply: every pixel counts in \(P\), also one whose targets
 * are all 0 (it adds nothing to the sum without smoothing), exactly as in PyTorch. Without pixels
 * the loss is 0 (PyTorch: NaN). Float labels of the logits' rank and classes but another shape are
 * rejected as misshapen probabilities.
 */
public class PixelCrossEntropyLoss extends Loss {

    /** The ignore label of the PSPNet and DeepLab recipes, and the default here. */
    public static final int DEFAULT_IGNORE_INDEX = 255;

    private final int ignoreIndex;
    private final float[] classWeights;
    private final float labelSmoothing;
    private final boolean checkFinite;

    /**
     * Creates a cross-entropy loss from its builder.
     *
     * @param builder the builder with the settings
     */
    protected PixelCrossEntropyLoss(Builder builder) {
        super(builder.name());
        this.ignoreIndex = builder.ignoreIndex();
        this.classWeights = builder.classWeights();
        this.labelSmoothing = builder.labelSmoothing;
        this.checkFinite = builder.checkFinite();
    }

    /**
     * Returns a builder for a cross-entropy loss.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the label that marks pixels without a class.
     *
     * @return the ignore index
     */
    public int getIgnoreIndex() {
        return ignoreIndex;
    }

    /**
     * Returns a copy of the class weights, or {@code null} if every class weighs 1.
     *
     * @return the class weights or {@code null}
     */
    public float[] getClassWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    /**
     * Returns the label smoothing \(\varepsilon\).
     *
     * @return the label smoothing in [0, 1]
     */
    public float getLabelSmoothing() {
        return labelSmoothing;
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
        int numClasses = Math.toIntExact(logits.getShape().get(1));
        if (ProbabilityTargets.isPerClass(labels.head(), logits)) {
            return probabilityTargets(labels.head(), logits, numClasses);
        }
        if (ProbabilityTargets.misshapen(labels.head(), logits)) {
            throw ProbabilityTargets.shapeError(labels.head(), logits);
        }
        // The fewest passes DJL allows: one log-softmax over the logits and one gather of the
        // target class (no one-hot, no copy); the ignore label, the class weights and the label
        // check act on the (N, 1, ...) labels only.
        ClassIndexLabels target = ClassIndexLabels.of(labels.head(), logits, ignoreIndex);
        if (EmptyBatch.isEmpty(logits)) { // no element: 0 on every engine (see EmptyBatch)
            return EmptyBatch.loss(logits, "classWeights", classWeights);
        }

        NDArray logProb = SafeMath.logSoftmax(logits);
        NDArray targetLogProb = target.pick(logProb);
        NDArray pixelWeight = target.valid();
        NDArray weights = null;
        if (classWeights != null) {
            weights = Settings.onClassAxis("classWeights", classWeights, logits, false);
            pixelWeight = target.weightOf(weights).mul(pixelWeight);
        }
        NDArray numerator = targetLogProb.mul(pixelWeight).sum().neg();
        if (labelSmoothing > 0) {
            NDArray smooth =
                    weights == null
                            ? logProb
                            : logProb.mul(Settings.broadcastOnClassAxis(weights, logits));
            NDArray smoothSum = smooth.sum(new int[] {1}, true).mul(target.valid()).sum().neg();
            numerator =
                    Scalars.mul(numerator, 1 - labelSmoothing)
                            .add(Scalars.mul(smoothSum, (double) labelSmoothing / numClasses));
        }
        // without smoothing every term carries its pixel's weight, so the numerator is 0
        // wherever the denominator is; with smoothing and zero class weights it may not be
        return labelSmoothing > 0
                ? SafeMath.safeDivide(numerator, pixelWeight.sum())
                : SafeMath.divideByCount(numerator, pixelWeight.sum());
    }

    /**
     * The loss of class-probability targets, torch's {@code cross_entropy} with probability
     * targets: \( -\sum_i \sum_c w_c t'_{ic} \log p_{ic} \) divided by the number of pixels, \( t'
     * = (1 - \varepsilon) t + \varepsilon / C \).
     */
    private NDArray probabilityTargets(NDArray labels, NDArray logits, int numClasses) {
        NDArray target = ProbabilityTargets.probabilities(labels, logits);
        if (EmptyBatch.isEmpty(logits)) { // no pixel: 0 (torch gives NaN)
            return EmptyBatch.loss(logits, "classWeights", classWeights);
        }
        if (labelSmoothing > 0) {
            target =
                    Scalars.add(
                            Scalars.mul(target, 1 - (double) labelSmoothing),
                            (double) labelSmoothing / numClasses);
        }
        if (classWeights != null) {
            target = target.mul(Settings.onClassAxis("classWeights", classWeights, logits, true));
        }
        NDArray sum = SafeMath.logSoftmax(logits).mul(target).sum().neg();
        return SafeMath.divideByCount(sum, logits.size() / numClasses);
    }

    /**
     * Collects the settings of a {@link PixelCrossEntropyLoss}; the ignore index defaults to {@link
     * #DEFAULT_IGNORE_INDEX}.
     */
    public static final class Builder extends WeightedPixelLossBuilder<Builder> {

        private float labelSmoothing;

        Builder() {
            super("PixelCrossEntropyLoss", DEFAULT_IGNORE_INDEX);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the label smoothing \(\varepsilon\) (default 0): the target becomes \( (1 -
         * \varepsilon) \) on the label plus \( \varepsilon / C \) on every class.
         *
         * @param labelSmoothing the smoothing in [0, 1]
         * @return this builder
         * @throws IllegalArgumentException if it lies outside [0, 1]
         */
        public Builder optLabelSmoothing(float labelSmoothing) {
            if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
                throw new IllegalArgumentException(
                        "labelSmoothing must lie in [0, 1], got " + labelSmoothing);
            }
            this.labelSmoothing = labelSmoothing;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         */
        public PixelCrossEntropyLoss build() {
            return new PixelCrossEntropyLoss(this);
        }
    }
}
