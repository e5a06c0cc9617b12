package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
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
import io.github.segloss.loss.OverlapLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.PointSampledMaskLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.loss.TverskyLoss;
import io.github.segloss.loss.WeightedSumLoss;
import io.github.segloss.target.DistanceMaps;

/**
 * One benchmark case on one engine: a segloss loss with its inputs, and DJL's built-in loss with
 * its inputs where DJL has one. The cases and their settings match {@code torch_bench.py}.
 *
 * @param segloss the segloss loss
 * @param labels its labels
 * @param predictions its predictions (the benchmark differentiates with respect to each)
 * @param builtin DJL's own loss for the same shapes, or {@code null}
 * @param builtinLabels the built-in loss's labels (no ignore label), or {@code null}
 */
record LossCase(
        Loss segloss, NDList labels, NDList predictions, Loss builtin, NDList builtinLabels) {

    /** The case names, as {@code torch_bench.py} prints them. */
    static final String[] NAMES = {
        "ce_8x21x128x128",
        "ce_2x19x512x1024",
        "ce-prob_8x21x128x128",
        "pspnet_8x21x128x128",
        "mask_loss_256x81x28x28",
        "dice_8x21x128x128",
        "jaccard_8x21x128x128",
        "tversky_8x21x128x128",
        "focal_8x21x128x128",
        "gdl_8x21x128x128",
        "mcc_8x21x128x128",
        "lovasz_8x21x128x128",
        "ohem_8x21x128x128",
        "bce_8x21x128x128",
        "l2_8x21x128x128",
        "ce+dice_8x21x128x128",
        "point-mask_100x1x112x112",
        "boundary_8x21x128x128",
        "boundary-computed_8x21x128x128",
        "hausdorff_8x21x128x128"
    };

    /**
     * Creates a case's inputs on a manager.
     *
     * @param name one of {@link #NAMES}
     * @param manager the manager that owns the inputs
     * @return the case
     */
    static LossCase create(String name, NDManager manager) {
        String kind = name.substring(0, name.indexOf('_', name.startsWith("mask") ? 5 : 0));
        Shape shape = shapeOf(name);
        switch (kind) {
            case "ce":
                return classIndex(
                        manager,
                        shape,
                        PixelCrossEntropyLoss.builder()
                                .optClassWeights(HostData.classWeights(classes(shape)))
                                .build(),
                        new SoftmaxCrossEntropyLoss("SoftmaxCrossEntropyLoss", 1, 1, true, true));
            case "ce-prob":
                {
                    // class-probability targets: softmax rows of Gaussian values, as torch_bench.py
                    NDArray logits = manager.create(HostData.gaussian(1, shape.size()), shape);
                    NDArray targets =
                            manager.create(
                                    HostData.probabilities(
                                            5,
                                            shape.get(0),
                                            classes(shape),
                                            shape.size() / shape.get(0) / classes(shape)),
                                    shape);
                    return new LossCase(
                            PixelCrossEntropyLoss.builder()
                                    .optClassWeights(HostData.classWeights(classes(shape)))
                                    .build(),
                            new NDList(targets),
                            new NDList(logits),
                            null,
                            null);
                }
            case "pspnet":
                {
                    LossCase main = classIndex(manager, shape, DeepSupervisionLoss.pspnet(), null);
                    NDArray aux = manager.create(HostData.gaussian(2, shape.size()), shape);
                    return new LossCase(
                            main.segloss,
                            main.labels,
                            new NDList(main.predictions.head(), aux),
                            null,
                            null);
                }
            case "mask_loss":
                return maskLoss(manager);
            case "point-mask":
                return pointMask(manager, shape);
            case "dice":
                return classIndex(manager, shape, overlap(DiceLoss.builder()).build(), null);
            case "jaccard":
                return classIndex(manager, shape, overlap(JaccardLoss.builder()).build(), null);
            case "tversky":
                return classIndex(
                        manager,
                        shape,
                        overlap(TverskyLoss.builder()).optAlpha(0.3f).optBeta(0.7f).build(),
                        null);
            case "focal":
                return classIndex(
                        manager,
                        shape,
                        FocalLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(HostData.IGNORE)
                                .build(),
                        null);
            case "gdl":
                return classIndex(
                        manager,
                        shape,
                        GeneralizedDiceLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(HostData.IGNORE)
                                .build(),
                        null);
            case "mcc":
                return classIndex(
                        manager,
                        shape,
                        MccLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(HostData.IGNORE)
                                .build(),
                        null);
            case "lovasz":
                return classIndex(
                        manager,
                        shape,
                        LovaszLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(HostData.IGNORE)
                                .build(),
                        null);
            case "ohem":
                return classIndex(
                        manager,
                        shape,
                        OhemCrossEntropyLoss.builder()
                                .optThreshold(0.7f)
                                .optMinKept(100000)
                                .build(),
                        null);
            case "bce":
                {
                    NDArray logits = manager.create(HostData.gaussian(1, shape.size()), shape);
                    NDArray targets =
                            manager.create(HostData.binaryTargets(3, shape.size()), shape);
                    return new LossCase(
                            BinaryCrossEntropyLoss.builder().build(),
                            new NDList(targets),
                            new NDList(logits),
                            new SigmoidBinaryCrossEntropyLoss("SigmoidBinaryCrossEntropyLoss"),
                            new NDList(targets));
                }
            case "l2":
                {
                    NDArray predictions = manager.create(HostData.gaussian(1, shape.size()), shape);
                    NDArray targets = manager.create(HostData.gaussian(4, shape.size()), shape);
                    return new LossCase(
                            new MaskedL2Loss(),
                            new NDList(targets),
                            new NDList(predictions),
                            new L2Loss("L2Loss"),
                            new NDList(targets));
                }
            case "ce+dice":
                return classIndex(
                        manager,
                        shape,
                        WeightedSumLoss.builder()
                                .add(PixelCrossEntropyLoss.builder().build(), 1f)
                                .add(overlap(DiceLoss.builder()).build(), 1f)
                                .build(),
                        null);
            case "boundary":
                {
                    // the maps come from the data loader, as in the authors' training code
                    LossCase loss = classIndex(manager, shape, boundary(), null);
                    NDArray maps =
                            DistanceMaps.signedPerClass(
                                    loss.labels.head(), classes(shape), HostData.IGNORE);
                    return new LossCase(
                            loss.segloss,
                            new NDList(loss.labels.head(), maps),
                            loss.predictions,
                            null,
                            null);
                }
            case "boundary-computed":
                return classIndex(manager, shape, boundary(), null);
            case "hausdorff":
                return classIndex(
                        manager,
                        shape,
                        HausdorffDTLoss.builder()
                                .setMode(SegmentationMode.MULTICLASS)
                                .optIgnoreIndex(HostData.IGNORE)
                                .build(),
                        null);
            default:
                throw new IllegalArgumentException("unknown case " + name);
        }
    }

    private static BoundaryLoss boundary() {
        return BoundaryLoss.builder()
                .setMode(SegmentationMode.MULTICLASS)
                .optIgnoreIndex(HostData.IGNORE)
                .build();
    }

    private static <T extends OverlapLoss.BaseBuilder<T>> T overlap(T builder) {
        return builder.setMode(SegmentationMode.MULTICLASS).optIgnoreIndex(HostData.IGNORE);
    }

    /** Gaussian logits and labels with a tenth ignored; the built-in loss gets dense labels. */
    private static LossCase classIndex(NDManager manager, Shape shape, Loss loss, Loss builtin) {
        int classes = classes(shape);
        long pixels = shape.size() / classes;
        Shape labelShape = new Shape(shape.get(0)).addAll(shape.slice(2));
        NDArray logits = manager.create(HostData.gaussian(1, shape.size()), shape);
        NDArray labels = manager.create(HostData.classLabels(1, pixels, classes), labelShape);
        NDList dense =
                builtin == null
                        ? null
                        : new NDList(
                                manager.create(
                                        HostData.denseLabels(1, pixels, classes),
                                        new Shape(shape.get(0), 1).addAll(shape.slice(2))));
        return new LossCase(loss, new NDList(labels), new NDList(logits), builtin, dense);
    }

    /**
     * 256 RoIs × 81 classes × 28² logits; targets from {@link MaskTargets#project} of 16 ellipse
     * masks on a 1024² image, as torchvision's maskrcnn_loss would compute them.
     */
    /** Mask2Former's point loss on 100 one-class 112² masks, as torch_bench.py's. */
    private static LossCase pointMask(NDManager manager, Shape shape) {
        long masks = shape.get(0);
        NDArray logits = manager.create(HostData.gaussian(6, shape.size()), shape).mul(3);
        NDArray targets =
                manager.create(
                        HostData.binaryTargets(7, shape.size()),
                        new Shape(masks, shape.get(2), shape.get(3)));
        NDArray classIds = manager.zeros(new Shape(masks), DataType.INT64);
        return new LossCase(
                PointSampledMaskLoss.builder().optSeed(1).build(),
                new NDList(classIds, targets),
                new NDList(logits),
                null,
                null);
    }

    private static LossCase maskLoss(NDManager manager) {
        MaskInputs inputs = MaskInputs.create(manager);
        NDArray targets = inputs.targets();
        NDArray logits =
                manager.create(
                        HostData.gaussian(1, 256L * 81 * 28 * 28), new Shape(256, 81, 28, 28));
        return new LossCase(
                MaskRcnnMaskLoss.builder().build(),
                new NDList(inputs.labels(), targets),
                new NDList(logits),
                new SelectedMaskBce(),
                new NDList(inputs.labels(), targets));
    }

    private static Shape shapeOf(String name) {
        String[] dims = name.substring(name.lastIndexOf('_') + 1).split("x");
        long[] sizes = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            sizes[i] = Long.parseLong(dims[i]);
        }
        return new Shape(sizes);
    }

    private static int classes(Shape shape) {
        return Math.toIntExact(shape.get(1));
    }
}
