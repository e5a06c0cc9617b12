package io.github.segloss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.internal.EmptyBatch;
import io.github.segloss.internal.EvaluationInputs;
import io.github.segloss.internal.FiniteCheck;
import io.github.segloss.internal.Probabilities;
import io.github.segloss.internal.SafeMath;
import io.github.segloss.internal.SegmentationTargets;
import io.github.segloss.internal.Settings;
import io.github.segloss.internal.Shapes;
import java.util.Arrays;

/**
 * The part that {@link BoundaryLoss} and {@link HausdorffDTLoss} share: probabilities by mode, 0/1
 * targets by mode, a per-element term that each loss defines, its mean per class over the labelled
 * pixels of the batch, and the weighted mean of that over the classes that count.
 */
abstract class DistanceLoss extends Loss {

    /** The settings both losses take from their builders. */
    record Options(
            String name,
            SegmentationMode mode,
            boolean fromLogits,
            int ignoreIndex,
            float[] classWeights,
            double[] sampling,
            boolean checkFinite) {}

    private final SegmentationMode mode;
    private final boolean fromLogits;
    private final int ignoreIndex;
    private final float[] classWeights;
    private final double[] sampling;
    private final boolean checkFinite;

    DistanceLoss(Options settings) {
        super(settings.name());
        this.mode = settings.mode();
        this.fromLogits = settings.fromLogits();
        this.ignoreIndex = settings.ignoreIndex();
        this.classWeights = settings.classWeights();
        this.sampling = settings.sampling();
        this.checkFinite = settings.checkFinite();
        if (mode == SegmentationMode.BINARY && classWeights != null) {
            throw new IllegalArgumentException(
                    "classWeights need MULTICLASS or MULTILABEL mode, got BINARY");
        }
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
        Shapes.requireFloat(logits, "logits", 3, "(N, C, d1..dk) with k >= 1");
        Shape shape = logits.getShape();
        int spatialAxes = shape.dimension() - 2;
        if (sampling != null && sampling.length != spatialAxes) {
            throw new IllegalArgumentException(
                    "sampling must have one spacing per spatial axis of logits "
                            + shape
                            + ": "
                            + spatialAxes
                            + ", got "
                            + sampling.length);
        }
        SegmentationTargets targets =
                SegmentationTargets.of(mode, labels.head(), logits, ignoreIndex);
        int numClasses = Math.toIntExact(shape.get(1));
        float[] selected = selection(numClasses, logits);
        NDArray extra = givenMaps(labels, logits);
        if (EmptyBatch.isEmpty(logits)) { // no element: 0 on every engine (see EmptyBatch)
            return EmptyBatch.loss(logits);
        }
        NDArray target = targets.target();
        NDArray probability = targets.flatten(Probabilities.of(mode, fromLogits, logits));
        NDArray term = elementTerm(probability, target, extra, shape);
        NDArray valid = targets.valid().broadcast(target.getShape());
        int[] pooled = {0, 2};
        NDArray perClass = SafeMath.divideByCount(term.mul(valid).sum(pooled), valid.sum(pooled));
        NDArray weights = Settings.onClassAxis("class selection", selected, logits, false);
        // no selected class with a weight above 0: 0, not 0/0
        return SafeMath.safeDivide(perClass.mul(weights).sum(), weights.sum());
    }

    /**
     * The per-element term of the loss, {@code (N, C, P)}.
     *
     * @param probability the probabilities, flattened over the spatial axes, in the graph
     * @param target the 0/1 targets {@code (N, C, P)}, 0 on ignored pixels
     * @param maps the distance maps of {@link #givenMaps}, or null
     * @param shape the logits' shape {@code (N, C, d1..dk)}
     * @return the term per element
     */
    abstract NDArray elementTerm(NDArray probability, NDArray target, NDArray maps, Shape shape);

    /**
     * The classes that count, as 0/1 per class (before the class weights).
     *
     * @param numClasses the number of classes C
     * @param logits the logits, for messages
     * @return one flag per class
     */
    abstract float[] classesThatCount(int numClasses, NDArray logits);

    /**
     * The distance maps that the labels carry, checked, or null when the loss computes them.
     *
     * @param labels the labels the loss received
     * @param logits the logits
     * @return the maps, or null
     */
    abstract NDArray givenMaps(NDList labels, NDArray logits);

    /** The spacing of the spatial axes, as {@link io.github.segloss.target.DistanceMaps} takes. */
    double[] sampling(int spatialAxes) {
        if (sampling != null) {
            return sampling;
        }
        double[] ones = new double[spatialAxes];
        Arrays.fill(ones, 1);
        return ones;
    }

    /**
     * Checks a sampling setting.
     *
     * @param sampling one spacing per spatial axis
     * @return a copy
     * @throws IllegalArgumentException if none is given or one is not finite and > 0
     */
    static double[] checkedSampling(double... sampling) {
        if (sampling == null || sampling.length == 0) {
            throw new IllegalArgumentException("sampling must give one spacing per spatial axis");
        }
        for (double s : sampling) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException(
                        "sampling must be finite and > 0, got " + Arrays.toString(sampling));
            }
        }
        return sampling.clone();
    }

    private float[] selection(int numClasses, NDArray logits) {
        float[] weights = classesThatCount(numClasses, logits);
        if (classWeights != null) {
            Settings.requireOnePerClass("classWeights", classWeights, logits);
            for (int c = 0; c < numClasses; c++) {
                weights[c] *= classWeights[c];
            }
        }
        return weights;
    }
}
