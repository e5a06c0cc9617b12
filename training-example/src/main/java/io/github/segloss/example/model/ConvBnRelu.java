package io.github.segloss.example.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A k×k convolution (optionally dilated) without bias, batch normalisation and ReLU, with "same"
 * padding: the unit of the example's backbones and heads. Shapes are computed, never inferred on
 * another engine.
 */
public final class ConvBnRelu extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Conv2d conv;
    private final BatchNorm norm;

    /**
     * Creates the unit.
     *
     * @param filters the output channels
     * @param kernel the kernel size (odd)
     * @param stride the stride
     */
    public ConvBnRelu(int filters, int kernel, int stride) {
        this(filters, kernel, stride, 1);
    }

    /**
     * Creates a dilated unit.
     *
     * @param filters the output channels
     * @param kernel the kernel size (odd)
     * @param stride the stride
     * @param dilation the dilation (padding grows with it)
     */
    public ConvBnRelu(int filters, int kernel, int stride, int dilation) {
        super(VERSION);
        conv =
                addChildBlock(
                        "conv",
                        Conv2d.builder()
                                .setKernelShape(new Shape(kernel, kernel))
                                .optStride(new Shape(stride, stride))
                                .optPadding(
                                        new Shape(dilation * (kernel / 2), dilation * (kernel / 2)))
                                .optDilation(new Shape(dilation, dilation))
                                .setFilters(filters)
                                .optBias(false)
                                .build());
        norm = addChildBlock("bn", BatchNorm.builder().build());
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList convolved = conv.forward(store, inputs, training, params);
        NDList normalised = norm.forward(store, convolved, training, params);
        return new NDList(Activation.relu(normalised.singletonOrThrow()));
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        norm.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }
}
