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

/**
 * A small PSPNet for CPU training: a stride-8 convolutional backbone, the pyramid pooling module
 * and a main head, plus PSPNet's auxiliary head on the stride-4 features. Both heads' logits are
 * resized bilinearly to the input size.
 *
 * <p>In training the block returns {@code NDList(main, aux)}, in inference {@code NDList(main)}, as
 * {@link io.github.segloss.loss.DeepSupervisionLoss#pspnet()} expects. The backbone's parameters
 * live under the child block "backbone" (frozen by {@code --freeze-backbone-epochs}); the
 * class-dependent parameters under "head" and "aux".
 */
public final class PspNet extends AbstractBlock implements FineTunableModel {

    private static final byte VERSION = 1;
    private static final int[] BINS = {1, 2, 4};

    private final int classes;
    private final SequentialBlock backbone;
    private final SequentialBlock stem;
    private final SequentialBlock stage;
    private final SequentialBlock head;
    private final SequentialBlock aux;

    /**
     * Creates the model.
     *
     * @param classes the number of classes
     * @param width the base channel width (16 for the CPU default)
     */
    public PspNet(int classes, int width) {
        super(VERSION);
        this.classes = classes;
        backbone = new SequentialBlock();
        stem = Backbones.stem(width);
        stage =
                new SequentialBlock()
                        .add(new ConvBnRelu(4 * width, 3, 2))
                        .add(new ConvBnRelu(4 * width, 3, 1, 2));
        backbone.add(stem).add(stage);
        addChildBlock("backbone", backbone);
        head =
                addChildBlock(
                        "head",
                        new SequentialBlock()
                                .add(new PyramidPooling(BINS, width))
                                .add(new ConvBnRelu(4 * width, 3, 1))
                                .add(conv1x1(classes)));
        aux =
                addChildBlock(
                        "aux",
                        new SequentialBlock()
                                .add(new ConvBnRelu(2 * width, 3, 1))
                                .add(conv1x1(classes)));
    }

    private static Block conv1x1(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(filters).build();
    }

    /**
     * Returns the number of classes.
     *
     * @return the classes of both heads
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
        NDArray image = inputs.singletonOrThrow();
        int height = Math.toIntExact(image.getShape().get(2));
        int width = Math.toIntExact(image.getShape().get(3));
        NDList stride4 = stem.forward(store, inputs, training, params);
        NDList stride8 = stage.forward(store, stride4, training, params);
        NDArray main = head.forward(store, stride8, training, params).singletonOrThrow();
        NDArray mainLogits = BilinearResize.resize(main, height, width, false);
        if (!training) {
            return new NDList(mainLogits);
        }
        NDArray auxLogits = aux.forward(store, stride4, training, params).singletonOrThrow();
        return new NDList(mainLogits, BilinearResize.resize(auxLogits, height, width, false));
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape image = inputShapes[0];
        if (image.get(2) % 32 != 0 || image.get(3) % 32 != 0) {
            throw new IllegalArgumentException(
                    "image size must be a multiple of 32 for the pyramid pooling, got "
                            + image.get(2)
                            + " x "
                            + image.get(3));
        }
        stem.initialize(manager, dataType, image);
        Shape[] stride4 = stem.getOutputShapes(new Shape[] {image});
        stage.initialize(manager, dataType, stride4);
        Shape[] stride8 = stage.getOutputShapes(stride4);
        head.initialize(manager, dataType, stride8);
        aux.initialize(manager, dataType, stride4);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape image = inputShapes[0];
        Shape logits = new Shape(image.get(0), classes, image.get(2), image.get(3));
        return new Shape[] {logits, logits};
    }
}
