package io.github.segloss.enginetest.gc;

import static io.github.segloss.enginetest.gc.GraphCase.binary;
import static io.github.segloss.enginetest.gc.GraphCase.classLabels;
import static io.github.segloss.enginetest.gc.GraphCase.loss;
import static io.github.segloss.enginetest.gc.GraphCase.normal;
import static io.github.segloss.enginetest.gc.GraphCase.uniform;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.github.segloss.enginetest.gc.GraphCase.Graph;
import io.github.segloss.example.train.DataParallelStep;
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
import io.github.segloss.target.BilinearResize;
import io.github.segloss.target.MaskTargets;
import io.github.segloss.target.PointSampling;
import io.github.segloss.target.RoiAlign;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Every differentiable path of the library, each with settings that reach its constants: class
 * weights, label smoothing, loss weights, fractional exponents, alpha, normalisation, per-image
 * means, ignored pixels.
 */
public final class GraphCases {

    private static final int CLASSES = 4;
    private static final int IGNORE = 255;
    private static final Shape LOGITS = new Shape(2, CLASSES, 8, 8);
    private static final Shape LABELS = new Shape(2, 8, 8);
    private static final Shape BINARY = new Shape(2, 1, 8, 8);
    private static final float[] WEIGHTS = {0.5f, 1f, 2f, 0.25f};
    private static final MaskRcnnMaskLoss MASK_LOSS = MaskRcnnMaskLoss.builder().build();

    private GraphCases() {}

    /**
     * All cases.
     *
     * @return the cases
     */
    public static List<GraphCase> all() {
        List<GraphCase> cases = new ArrayList<>();
        multiclass(cases, "ce_ignore", () -> PixelCrossEntropyLoss.builder().build());
        multiclass(
                cases,
                "ce_weights_smoothing_ignore",
                () ->
                        PixelCrossEntropyLoss.builder()
                                .optClassWeights(WEIGHTS)
                                .optLabelSmoothing(0.1f)
                                .optIgnoreIndex(IGNORE)
                                .build());
        softTargets(
                cases,
                "ce_probabilities_weights_smoothing",
                PixelCrossEntropyLoss.builder()
                        .optClassWeights(WEIGHTS)
                        .optLabelSmoothing(0.1f)
                        .build());
        softTargets(
                cases,
                "dice_soft_targets_monai_smoothing",
                DiceLoss.builder()
                        .setMode(SegmentationMode.MULTICLASS)
                        .optSoftLabels(true)
                        .optSmoothNumerator(1e-5f)
                        .optSmoothDenominator(1e-3f)
                        .build());
        DeepSupervisionLoss pspnet = DeepSupervisionLoss.pspnet();
        cases.add(
                new GraphCase(
                        "pspnet_ignore",
                        m ->
                                loss(
                                        pspnet::evaluate,
                                        new NDList(classLabels(m, 2, CLASSES, IGNORE, LABELS)),
                                        new NDList(
                                                normal(m, 1, 2f, LOGITS),
                                                normal(m, 7, 2f, LOGITS)))));
        PixelCrossEntropyLoss crossEntropy = PixelCrossEntropyLoss.builder().build();
        multiclass(
                cases,
                "training_example_share_of_batch",
                () ->
                        new SlicedLoss(
                                (labels, predictions) ->
                                        DataParallelStep.shareOfBatch(
                                                crossEntropy.evaluate(labels, predictions), 3, 8)));
        multiclass(
                cases,
                "weighted_ce_ignore",
                () ->
                        WeightedLoss.builder()
                                .setLoss(PixelCrossEntropyLoss.builder().build())
                                .optWeight(0.7f)
                                .build());
        multiclass(
                cases,
                "ce+dice_ignore",
                () ->
                        WeightedSumLoss.builder()
                                .add(PixelCrossEntropyLoss.builder().build(), 0.3f)
                                .add(
                                        DiceLoss.builder()
                                                .setMode(SegmentationMode.MULTICLASS)
                                                .optIgnoreIndex(IGNORE)
                                                .build(),
                                        0.7f)
                                .build());
        multiclass(
                cases,
                "dice_multiclass_ignore",
                () ->
                        DiceLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(IGNORE)
                                .optSmooth(0.5f)
                                .optClassWeights(WEIGHTS)
                                .optPerImage(true)
                                .optSquaredDenominator(true)
                                .build());
        multiclass(
                cases,
                "dice_log",
                () ->
                        DiceLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optLogLoss(true)
                                .optEps(1e-3f)
                                .build());
        binaryCase(
                cases,
                "dice_binary",
                () -> DiceLoss.builder().setMode(SegmentationMode.BINARY).build());
        cases.add(
                new GraphCase(
                        "dice_multilabel",
                        m ->
                                loss(
                                        DiceLoss.builder()
                                                        .setMode(SegmentationMode.MULTILABEL)
                                                        .build()
                                                ::evaluate,
                                        new NDList(binary(m, 3, LOGITS)),
                                        new NDList(normal(m, 1, 2f, LOGITS)))));
        multiclass(
                cases,
                "jaccard_ignore",
                () ->
                        JaccardLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(IGNORE)
                                .build());
        multiclass(
                cases,
                "tversky_fractional_gamma",
                () ->
                        TverskyLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optAlpha(0.3f)
                                .optBeta(0.7f)
                                .optGamma(0.75f)
                                .build());
        multiclass(
                cases,
                "tversky_gamma_above_one",
                () ->
                        TverskyLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optGamma(1.5f)
                                .build());
        multiclass(
                cases,
                "focal_sigmoid_ignore",
                () ->
                        FocalLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(IGNORE)
                                .optAlpha(0.25f)
                                .optGamma(0.5f)
                                .optClassWeights(WEIGHTS)
                                .build());
        multiclass(
                cases,
                "focal_softmax_normalized_ignore",
                () ->
                        FocalLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optSoftmax(true)
                                .optNormalized(true)
                                .optGamma(2f)
                                .optIgnoreIndex(IGNORE)
                                .build());
        multiclass(
                cases,
                "focal_softmax_alpha_ignore",
                () ->
                        FocalLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optSoftmax(true)
                                .optAlpha(0.25f)
                                .optIgnoreIndex(IGNORE)
                                .build());
        binaryCase(
                cases,
                "focal_binary_reduced",
                () ->
                        FocalLoss.builder()
                                .setMode(SegmentationMode.BINARY)
                                .optReducedThreshold(0.5f)
                                .optAlpha(0.25f)
                                .build());
        multiclass(
                cases,
                "generalized_dice_weights_ignore",
                () ->
                        GeneralizedDiceLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optClassWeights(WEIGHTS)
                                .optSmoothNumerator(0.5f)
                                .optIgnoreIndex(IGNORE)
                                .build());
        binaryCase(
                cases,
                "generalized_dice_binary_pooled",
                () ->
                        GeneralizedDiceLoss.builder()
                                .setMode(SegmentationMode.BINARY)
                                .optPerImage(false)
                                .build());
        multiclass(
                cases,
                "mcc_weights_ignore",
                () ->
                        MccLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optClassWeights(WEIGHTS)
                                .optEps(1e-3f)
                                .optIgnoreIndex(IGNORE)
                                .build());
        binaryCase(
                cases,
                "mcc_binary",
                () -> MccLoss.builder().setMode(SegmentationMode.BINARY).build());
        multiclass(
                cases,
                "lovasz_multiclass_ignore",
                () ->
                        LovaszLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(IGNORE)
                                .build());
        binaryCase(
                cases,
                "lovasz_binary_per_image",
                () ->
                        LovaszLoss.builder()
                                .setMode(SegmentationMode.BINARY)
                                .optPerImage(true)
                                .build());
        multiclass(
                cases,
                "ohem_ignore",
                () ->
                        OhemCrossEntropyLoss.builder()
                                .optThreshold(0.6f)
                                .optMinKept(20)
                                .optClassWeights(WEIGHTS)
                                .optIgnoreIndex(IGNORE)
                                .build());
        multiclass(
                cases,
                "boundary_weights_ignore",
                () ->
                        BoundaryLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optClassWeights(WEIGHTS)
                                .optIgnoreIndex(IGNORE)
                                .build());
        multiclass(
                cases,
                "hausdorff_dt_alpha_ignore",
                () ->
                        HausdorffDTLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optAlpha(1.5f)
                                .optIncludeBackground(true)
                                .optIgnoreIndex(IGNORE)
                                .build());
        binaryCase(
                cases,
                "bce_pos_weight_smoothing",
                () ->
                        BinaryCrossEntropyLoss.builder()
                                .optPosWeight(2.5f)
                                .optSmoothFactor(0.1f)
                                .build());
        cases.add(
                new GraphCase(
                        "masked_l2",
                        m ->
                                loss(
                                        new MaskedL2Loss()::evaluate,
                                        new NDList(normal(m, 5, 1f, BINARY), binary(m, 6, BINARY)),
                                        new NDList(normal(m, 1, 1f, BINARY)))));
        cases.add(new GraphCase("mask_rcnn_mask_loss", GraphCases::maskLoss));
        cases.add(new GraphCase("roi_align", GraphCases::roiAlign));
        cases.add(new GraphCase("roi_align_windowed", GraphCases::roiAlignWindowed));
        cases.add(new GraphCase("bilinear_resize", GraphCases::bilinearResize));
        cases.add(new GraphCase("deep_supervision_resized", GraphCases::resizedHeads));
        cases.add(new GraphCase("point_sample", GraphCases::pointSample));
        cases.add(new GraphCase("point_sampled_mask_loss", GraphCases::pointLoss));
        return cases;
    }

    /**
     * A class-index loss; its labels hold the ignore label 255 only if the name ends in it. The
     * loss instance is made once and shared by every pass and thread.
     */
    private static void multiclass(List<GraphCase> cases, String name, Supplier<Loss> loss) {
        int ignore = name.endsWith("ignore") ? IGNORE : -1;
        Loss instance = loss.get();
        cases.add(
                new GraphCase(
                        name,
                        m ->
                                loss(
                                        instance::evaluate,
                                        new NDList(classLabels(m, 2, CLASSES, ignore, LABELS)),
                                        new NDList(normal(m, 1, 2f, LOGITS)))));
    }

    /** A loss of soft per-class targets in [0, 1) of the logits' shape. */
    private static void softTargets(List<GraphCase> cases, String name, Loss loss) {
        cases.add(
                new GraphCase(
                        name,
                        m ->
                                loss(
                                        loss::evaluate,
                                        new NDList(uniform(m, 3, LOGITS)),
                                        new NDList(normal(m, 1, 2f, LOGITS)))));
    }

    private static void binaryCase(List<GraphCase> cases, String name, Supplier<Loss> loss) {
        Loss instance = loss.get();
        cases.add(
                new GraphCase(
                        name,
                        m ->
                                loss(
                                        instance::evaluate,
                                        new NDList(binary(m, 2, BINARY)),
                                        new NDList(normal(m, 1, 2f, BINARY)))));
    }

    /** A function of labels and predictions as a DJL loss. */
    private static final class SlicedLoss extends Loss {

        private final BiFunction<NDList, NDList, NDArray> function;

        SlicedLoss(BiFunction<NDList, NDList, NDArray> function) {
            super("sliced");
            this.function = function;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            return function.apply(labels, predictions);
        }
    }

    /** Targets projected from ground-truth masks with {@link MaskTargets}, then the mask loss. */
    private static Graph maskLoss(NDManager m) {
        NDArray masks = binary(m, 4, new Shape(2, 32, 32));
        NDArray boxes =
                m.create(
                        new float[] {2, 3, 20, 25, 0, 0, 31, 31, 8.5f, 4, 16, 30}, new Shape(3, 4));
        NDArray matched = m.create(new long[] {0, 1, 1});
        NDArray classIds = m.create(new long[] {1, 3, 2});
        NDArray logits = normal(m, 1, 2f, new Shape(3, CLASSES, 14, 14));
        return new Graph(
                List.of(logits),
                () -> {
                    NDArray targets = MaskTargets.project(masks, boxes, matched, 14, true);
                    return MASK_LOSS.evaluate(new NDList(classIds, targets), new NDList(logits));
                });
    }

    /** RoI Align of features, both the windowed and the whole-map products, times fixed weights. */
    private static Graph roiAlign(NDManager m) {
        NDArray features = normal(m, 1, 1f, new Shape(2, 3, 40, 36));
        NDArray boxes =
                m.create(
                        new float[] {1, 2, 9, 7, 0, 0, 35, 39, 4.5f, 3, 30, 12, 20, 20, 23, 22},
                        new Shape(4, 4));
        NDArray batch = m.create(new long[] {1, 0, 1, 0});
        NDArray weights = uniform(m, 9, new Shape(4, 3, 7, 7));
        RoiAlign align = RoiAlign.builder().setOutputSize(7, 7).optSamplingRatio(2).build();
        return new Graph(
                List.of(features), () -> align.apply(features, boxes, batch).mul(weights).sum());
    }

    /** Small boxes on a large map: each RoI multiplies only its window of the map. */
    private static Graph roiAlignWindowed(NDManager m) {
        NDArray features = normal(m, 1, 1f, new Shape(1, 1, 512, 512));
        NDArray boxes =
                m.create(new float[] {10, 20, 22, 31, 300.5f, 100, 320, 125}, new Shape(2, 4));
        NDArray batch = m.create(new long[] {0, 0});
        NDArray weights = uniform(m, 9, new Shape(2, 1, 7, 7));
        RoiAlign align = RoiAlign.builder().setOutputSize(7, 7).optAligned(true).build();
        return new Graph(
                List.of(features), () -> align.apply(features, boxes, batch).mul(weights).sum());
    }

    private static Graph bilinearResize(NDManager m) {
        NDArray input = normal(m, 1, 1f, new Shape(2, 3, 5, 7));
        NDArray weights = uniform(m, 9, new Shape(2, 3, 11, 13));
        return new Graph(
                List.of(input),
                () -> BilinearResize.resize(input, 11, 13, false).mul(weights).sum());
    }

    /** MONAI-style deep supervision: heads at 8², 4² and 2², labels resized to each. */
    private static Graph resizedHeads(NDManager m) {
        DeepSupervisionLoss loss =
                DeepSupervisionLoss.builder()
                        .addHeads(
                                PixelCrossEntropyLoss.builder().optIgnoreIndex(IGNORE).build(),
                                3,
                                DeepSupervisionLoss.WeightMode.EXP)
                        .optResizeLabels(true)
                        .build();
        NDArray labels = classLabels(m, 2, CLASSES, IGNORE, LABELS);
        List<NDArray> heads =
                List.of(
                        normal(m, 1, 2f, LOGITS),
                        normal(m, 3, 2f, new Shape(2, CLASSES, 4, 4)),
                        normal(m, 5, 2f, new Shape(2, CLASSES, 2, 2)));
        return new Graph(heads, () -> loss.evaluate(new NDList(labels), new NDList(heads)));
    }

    /** detectron2's point_sample of a map at fixed points, inside and outside, times weights. */
    private static Graph pointSample(NDManager m) {
        NDArray input = normal(m, 1, 1f, new Shape(2, 3, 6, 7));
        NDArray points = uniform(m, 4, new Shape(2, 20, 2)).mul(1.4f).sub(0.2f);
        NDArray weights = uniform(m, 9, new Shape(2, 3, 20));
        return new Graph(
                List.of(input), () -> PointSampling.sample(input, points).mul(weights).sum());
    }

    /** The point-sampled mask loss at fixed points (its own points are random by design). */
    private static Graph pointLoss(NDManager m) {
        NDArray logits = normal(m, 1, 2f, new Shape(3, CLASSES, 14, 14));
        NDArray classIds = m.create(new long[] {1, 3, 2});
        NDArray targets = binary(m, 6, new Shape(3, 28, 28));
        NDArray points = uniform(m, 4, new Shape(3, 50, 2));
        PointSampledMaskLoss loss = PointSampledMaskLoss.builder().build();
        return new Graph(
                List.of(logits),
                () -> loss.evaluate(new NDList(classIds, targets), new NDList(logits), points));
    }
}
