package io.github.segloss.enginetest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.BinaryCrossEntropyLoss;
import io.github.segloss.loss.BoundaryLoss;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.loss.DiceLoss;
import io.github.segloss.loss.FocalLoss;
import io.github.segloss.loss.GeneralizedDiceLoss;
import io.github.segloss.loss.HausdorffDTLoss;
import io.github.segloss.loss.JaccardLoss;
import io.github.segloss.loss.LovaszLoss;
import io.github.segloss.loss.MaskRcnnMaskLoss;
import io.github.segloss.loss.MaskedL2Loss;
import io.github.segloss.loss.MccLoss;
import io.github.segloss.loss.OhemCrossEntropyLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.PointSampledMaskLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.loss.TverskyLoss;
import io.github.segloss.loss.WeightedLoss;
import io.github.segloss.loss.WeightedSumLoss;
import io.github.segloss.target.DistanceMaps;
import java.util.List;
import java.util.function.Function;

/**
 * Every loss of the library, each with a fitting pair of inputs: predictions of any float type
 * built from the same fixed values, and labels. Predictions are (2, 3, 4, 4) logits (mask logits (R
 * = 2, K = 3, 4, 4)), except the binary mode's (2, 1, 4, 4).
 */
final class LossCatalog {

    /** The shape of most predictions. */
    static final Shape SHAPE = new Shape(2, 3, 4, 4);

    private LossCatalog() {}

    /**
     * A loss with its inputs.
     *
     * @param name the loss's description
     * @param loss the loss
     * @param labels its labels on a manager
     * @param heads how many predictions it reads (all of {@link #predictions} shape)
     * @param shape the shape of each prediction
     */
    record Entry(
            String name, Loss loss, Function<NDManager, NDList> labels, int heads, Shape shape) {

        /**
         * Creates the predictions: fixed values, rounded to float16 first so that every type holds
         * exactly the same numbers.
         *
         * @param manager the manager
         * @param type the float type
         * @return the predictions
         */
        NDList predictions(NDManager manager, DataType type) {
            NDList list = new NDList();
            for (int h = 0; h < heads; h++) {
                list.add(values(manager, shape, h).toType(type, false));
            }
            return list;
        }
    }

    /** Fixed logits in [-3, 3], rounded to float16, of a shape; {@code seed} varies them. */
    static NDArray values(NDManager manager, Shape shape, int seed) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (3 * Math.sin(1.7 * i + 0.9 * seed + 0.3));
        }
        return manager.create(values, shape)
                .toType(DataType.FLOAT16, false)
                .toType(DataType.FLOAT32, false);
    }

    /** Class labels (2, 4, 4) in [0, 3) with two pixels at the ignore index 255. */
    static NDList classLabels(NDManager manager) {
        long[] labels = new long[2 * 4 * 4];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7 + i / 5) % 3;
        }
        labels[5] = 255;
        labels[20] = 255;
        return new NDList(manager.create(labels, new Shape(2, 4, 4)));
    }

    /** 0/1 targets of a shape. */
    static NDArray binary(NDManager manager, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i * 5 + i / 3) % 2;
        }
        return manager.create(values, shape);
    }

    /**
     * Soft per-class targets of {@link #SHAPE} in [0, 1], each pixel's summing to 1 (class
     * probabilities), rounded to float16 so that every label type holds the same numbers.
     */
    static NDList softTargets(NDManager manager) {
        float[] values = new float[Math.toIntExact(SHAPE.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (1 + (i * 7 + i / 16) % 5) / 8f;
        }
        NDArray raw = manager.create(values, SHAPE);
        return new NDList(raw.div(raw.sum(new int[] {1}, true)));
    }

    private static NDList sameShape(NDManager manager) {
        return new NDList(binary(manager, SHAPE));
    }

    /** Every loss, with its inputs. */
    static List<Entry> all() {
        SegmentationMode multiclass = SegmentationMode.MULTICLASS;
        SegmentationMode multilabel = SegmentationMode.MULTILABEL;
        Shape binaryShape = new Shape(2, 1, 4, 4);
        return List.of(
                new Entry(
                        "cross-entropy",
                        PixelCrossEntropyLoss.builder().build(),
                        LossCatalog::classLabels,
                        1,
                        SHAPE),
                new Entry(
                        "cross-entropy, class weights and smoothing",
                        PixelCrossEntropyLoss.builder()
                                .optClassWeights(1f, 2f, 0.5f)
                                .optLabelSmoothing(0.1f)
                                .build(),
                        LossCatalog::classLabels,
                        1,
                        SHAPE),
                new Entry(
                        "cross-entropy, class probabilities, weights and smoothing",
                        PixelCrossEntropyLoss.builder()
                                .optClassWeights(1f, 2f, 0.5f)
                                .optLabelSmoothing(0.1f)
                                .build(),
                        LossCatalog::softTargets,
                        1,
                        SHAPE),
                new Entry(
                        "OHEM",
                        OhemCrossEntropyLoss.builder().optMinKept(6).optThreshold(0.6f).build(),
                        LossCatalog::classLabels,
                        1,
                        SHAPE),
                new Entry(
                        "sigmoid focal",
                        FocalLoss.builder().setMode(multiclass).optIgnoreIndex(255).build(),
                        LossCatalog::classLabels,
                        1,
                        SHAPE),
                new Entry(
                        "softmax focal",
                        FocalLoss.builder()
                                .setMode(multiclass)
                                .optSoftmax(true)
                                .optIgnoreIndex(255)
                                .build(),
                        LossCatalog::classLabels,
                        1,
                        SHAPE),
                new Entry(
                        "multilabel focal, alpha",
                        FocalLoss.builder().setMode(multilabel).optAlpha(0.25f).build(),
                        LossCatalog::sameShape,
                        1,
                        SHAPE),
                new Entry(
                        "Dice",
                        DiceLoss.builder().setMode(multiclass).optIgnoreIndex(255).build(),
                        LossCatalog::classLabels,
                        1,
                        SHAPE),
                new Entry(
                        "Dice, soft targets, MONAI's smoothing",
                        DiceLoss.builder()
                                .setMode(multiclass)
                                .optSoftLabels(true)
                                .optSmoothNumerator(1e-5f)
                                .optSmoothDenominator(1e-3f)
                                .build(),
                        LossCatalog::softTargets,
                        1,
                        SHAPE),
                new Entry(
                        "Jaccard multilabel, log loss",
                        JaccardLoss.builder().setMode(multilabel).optLogLoss(true).build(),
                        LossCatalog::sameShape,
                        1,
                        SHAPE),
                new Entry(
                        "Tversky binary",
                        TverskyLoss.builder().setMode(SegmentationMode.BINARY).build(),
                        m -> new NDList(binary(m, binaryShape)),
                        1,
                        binaryShape),
                new Entry(
                        "Lovasz softmax",
                        LovaszLoss.builder().setMode(multiclass).optIgnoreIndex(255).build(),
                        LossCatalog::classLabels,
                        1,
                        SHAPE),
                new Entry(
                        "Lovasz softmax per image",
                        LovaszLoss.builder()
                                .setMode(multiclass)
                                .optIgnoreIndex(255)
                                .optPerImage(true)
                                .build(),
                        LossCatalog::classLabels,
                        1,
                        SHAPE),
                new Entry(
                        "Lovasz hinge",
                        LovaszLoss.builder().setMode(multilabel).build(),
                        LossCatalog::sameShape,
                        1,
                        SHAPE),
                new Entry(
                        "binary cross-entropy, pos weight",
                        BinaryCrossEntropyLoss.builder().optPosWeight(1f, 2f, 3f).build(),
                        LossCatalog::sameShape,
                        1,
                        SHAPE),
                new Entry(
                        "generalized Dice, no background",
                        GeneralizedDiceLoss.builder()
                                .setMode(multiclass)
                                .optIncludeBackground(false)
                                .optIgnoreIndex(255)
                                .build(),
                        LossCatalog::classLabels,
                        1,
                        SHAPE),
                new Entry(
                        "generalized Dice multilabel, pooled, simple",
                        GeneralizedDiceLoss.builder()
                                .setMode(multilabel)
                                .optPerImage(false)
                                .optWeightType(GeneralizedDiceLoss.WeightType.SIMPLE)
                                .build(),
                        LossCatalog::sameShape,
                        1,
                        SHAPE),
                new Entry(
                        "MCC multiclass",
                        MccLoss.builder().setMode(multiclass).optIgnoreIndex(255).build(),
                        LossCatalog::classLabels,
                        1,
                        SHAPE),
                new Entry(
                        "MCC binary",
                        MccLoss.builder().setMode(SegmentationMode.BINARY).build(),
                        m -> new NDList(binary(m, binaryShape)),
                        1,
                        binaryShape),
                new Entry(
                        "Mask R-CNN mask",
                        MaskRcnnMaskLoss.builder().build(),
                        m -> new NDList(m.create(new long[] {0, 2}), binary(m, new Shape(2, 4, 4))),
                        1,
                        SHAPE),
                new Entry(
                        "point-sampled mask",
                        new SeededPointLoss(),
                        m -> new NDList(m.create(new long[] {0, 2}), binary(m, new Shape(2, 7, 7))),
                        1,
                        SHAPE),
                new Entry(
                        "masked L2",
                        new MaskedL2Loss(),
                        m -> new NDList(binary(m, SHAPE), binary(m, new Shape(2, 1, 4, 4))),
                        1,
                        SHAPE),
                new Entry(
                        "PSPNet deep supervision",
                        DeepSupervisionLoss.pspnet(),
                        LossCatalog::classLabels,
                        2,
                        SHAPE),
                new Entry(
                        "weighted sum",
                        WeightedSumLoss.builder()
                                .add(PixelCrossEntropyLoss.builder().build(), 1f)
                                .add(
                                        DiceLoss.builder()
                                                .setMode(multiclass)
                                                .optIgnoreIndex(255)
                                                .build(),
                                        0.5f)
                                .build(),
                        LossCatalog::classLabels,
                        1,
                        SHAPE),
                new Entry(
                        "boundary, maps computed",
                        BoundaryLoss.builder().setMode(multiclass).optIgnoreIndex(255).build(),
                        LossCatalog::classLabels,
                        1,
                        SHAPE),
                new Entry(
                        "boundary, maps given",
                        BoundaryLoss.builder().setMode(multiclass).optIgnoreIndex(255).build(),
                        m ->
                                new NDList(
                                        classLabels(m).head(),
                                        DistanceMaps.signedPerClass(classLabels(m).head(), 3, 255)),
                        1,
                        SHAPE),
                new Entry(
                        "Hausdorff DT",
                        HausdorffDTLoss.builder().setMode(multiclass).optIgnoreIndex(255).build(),
                        LossCatalog::classLabels,
                        1,
                        SHAPE),
                new Entry(
                        "weighted",
                        WeightedLoss.builder()
                                .setLoss(PixelCrossEntropyLoss.builder().build())
                                .optWeight(0.3f)
                                .build(),
                        LossCatalog::classLabels,
                        1,
                        SHAPE));
    }

    /**
     * A {@link PointSampledMaskLoss} that draws the same points on every call (a fresh loss seeded
     * 11 with 12 points, 9 by importance), so that every float type and engine scores the same
     * points.
     */
    private static final class SeededPointLoss extends Loss {

        SeededPointLoss() {
            super("PointSampledMaskLoss");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            return PointSampledMaskLoss.builder()
                    .optNumPoints(12)
                    .optSeed(11)
                    .build()
                    .evaluate(labels, predictions);
        }
    }
}
