package io.github.segloss.example.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.segloss.target.BilinearResize;
import io.github.segloss.target.RoiAlign;

/**
 * A Mask R-CNN-style mask branch on a small backbone, for CPU training on small images: the
 * stride-4 features of the image, RoI Align of each box to 14×14, four 3×3 conv-BN-ReLU units, a 2×
 * bilinear upsampling and a 1×1 convolution to one 28×28 mask logit map per class.
 *
 * <p>Input {@code NDList(images (B, 3, S, S), boxes (R, 4), batchIndices (R))}: the boxes are
 * {@code x1, y1, x2, y2} in image pixels and {@code batchIndices[r]} is the image of box r. Output
 * {@code NDList(maskLogits (R, K, 28, 28))}, as {@link io.github.segloss.loss.MaskRcnnMaskLoss}
 * reads it; K is the number of object classes (background excluded), 1 for a class-agnostic head.
 *
 * <p>The backbone is the stride-4 stem of {@link PspNet}, built under the same child names, so a
 * semantic checkpoint's stem parameters load into this block by name (its stride-8 stage and heads
 * are skipped; the mask head's children are named "maskHead" and "maskLogits" so that no head
 * parameter of PSPNet matches one of them by accident). The upsampling is {@link BilinearResize}
 * (DJL's transposed convolution is missing on PyTorch), and RoI Align is segloss's separable {@link
 * RoiAlign} (aligned, sampling ratio 2, spatial scale 1/4), differentiable with respect to the
 * features on both engines.
 *
 * <p>With zero RoIs the block returns a {@code (0, K, 28, 28)} array of zeros without running the
 * backbone or the head: there is nothing to predict, and MXNet cannot back-propagate through empty
 * arrays, so a trainer must not call backward on a batch without RoIs.
 */
public final class MaskRcnnHead extends AbstractBlock implements FineTunableModel {

    /** The side of the RoI features. */
    public static final int ROI_SIZE = 14;

    /** The side of the mask logits, twice {@link #ROI_SIZE}. */
    public static final int MASK_SIZE = 2 * ROI_SIZE;

    /** The stride of the features that RoI Align reads. */
    public static final int STRIDE = 4;

    private static final byte VERSION = 1;
    private static final int HEAD_CONVOLUTIONS = 4;
    private static final int SAMPLING_RATIO = 2;

    private final int classes;
    private final int headChannels;
    private final SequentialBlock backbone;
    private final SequentialBlock stem;
    private final SequentialBlock head;
    private final Block predictor;
    private final RoiAlign roiAlign;

    /**
     * Creates the model.
     *
     * @param classes the mask classes K (object classes, background excluded; 1 when class
     *     agnostic)
     * @param width the base channel width of the backbone, as {@link PspNet}'s (16 for the CPU
     *     default); the head has {@code 4 * width} channels
     * @throws IllegalArgumentException if classes or width is below 1
     */
    public MaskRcnnHead(int classes, int width) {
        super(VERSION);
        if (classes < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "classes and width must be >= 1, got " + classes + " and " + width);
        }
        this.classes = classes;
        this.headChannels = 4 * width;
        // The same blocks, in the same order and under the same names, as PspNet's stem.
        backbone = new SequentialBlock();
        stem = Backbones.stem(width);
        backbone.add(stem);
        addChildBlock("backbone", backbone);
        head = new SequentialBlock();
        for (int i = 0; i < HEAD_CONVOLUTIONS; i++) {
            head.add(new ConvBnRelu(headChannels, 3, 1));
        }
        addChildBlock("maskHead", head);
        predictor =
                addChildBlock(
                        "maskLogits",
                        Conv2d.builder()
                                .setKernelShape(new Shape(1, 1))
                                .setFilters(classes)
                                .build());
        roiAlign =
                RoiAlign.builder()
                        .setOutputSize(ROI_SIZE, ROI_SIZE)
                        .optSpatialScale(1.0 / STRIDE)
                        .optSamplingRatio(SAMPLING_RATIO)
                        .optAligned(true)
                        .build();
    }

    /**
     * Returns the number of mask classes K.
     *
     * @return K
     */
    public int getClasses() {
        return classes;
    }

    /** {@inheritDoc} */
    @Override
    public Block getBackbone() {
        return backbone;
    }

    /** {@inheritDoc} */
    @Override
    public void freezeBackbone(boolean freeze) {
        Backbones.freezeTrainable(backbone, freeze);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        requireInputs(inputs.size());
        NDArray images = inputs.get(0);
        NDArray boxes = inputs.get(1);
        NDArray batchIndices = inputs.get(2);
        long rois = boxes.getShape().get(0);
        if (rois == 0) {
            return new NDList(
                    images.getManager()
                            .zeros(
                                    new Shape(0, classes, MASK_SIZE, MASK_SIZE),
                                    images.getDataType(),
                                    images.getDevice()));
        }
        NDArray features =
                backbone.forward(store, new NDList(images), training, params).singletonOrThrow();
        NDArray pooled =
                roiAlign.apply(
                        features,
                        boxes.toDevice(features.getDevice(), false),
                        batchIndices.toDevice(features.getDevice(), false));
        NDList refined = head.forward(store, new NDList(pooled), training, params);
        NDArray upsampled =
                BilinearResize.resize(refined.singletonOrThrow(), MASK_SIZE, MASK_SIZE, false);
        return predictor.forward(store, new NDList(upsampled), training, params);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        requireInputs(inputShapes.length);
        Shape image = inputShapes[0];
        if (image.dimension() != 4 || image.get(2) % STRIDE != 0 || image.get(3) % STRIDE != 0) {
            throw new IllegalArgumentException(
                    "images must have shape (B, 3, S, S) with S a multiple of "
                            + STRIDE
                            + ", got "
                            + image);
        }
        backbone.initialize(manager, dataType, image);
        Shape features = backbone.getOutputShapes(new Shape[] {image})[0];
        Shape pooled =
                new Shape(Math.max(1, inputShapes[1].get(0)), features.get(1), ROI_SIZE, ROI_SIZE);
        head.initialize(manager, dataType, pooled);
        Shape refined = head.getOutputShapes(new Shape[] {pooled})[0];
        predictor.initialize(
                manager, dataType, new Shape(refined.get(0), refined.get(1), MASK_SIZE, MASK_SIZE));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        requireInputs(inputShapes.length);
        return new Shape[] {new Shape(inputShapes[1].get(0), classes, MASK_SIZE, MASK_SIZE)};
    }

    private static void requireInputs(int count) {
        if (count != 3) {
            throw new IllegalArgumentException(
                    "MaskRcnnHead takes NDList(images (B, 3, S, S), boxes (R, 4), batchIndices (R)),"
                            + " got "
                            + count
                            + " array(s)");
        }
    }
}
