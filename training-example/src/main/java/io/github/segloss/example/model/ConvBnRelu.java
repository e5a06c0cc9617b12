package io.github.segloss.example.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.ParameterList;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.segloss.internal.HostArrays;

/**
 * A k×k convolution (optionally dilated) without bias, batch normalisation and ReLU, with "same"
 * padding: the unit of the example's backbones and heads. Shapes are computed, never inferred on
 * another engine.
 *
 * <p>With {@link #freezeStatistics(boolean) frozen statistics} the batch normalisation uses and
 * keeps its running statistics in training too, as in inference; its scale and shift still train.
 */
public final class ConvBnRelu extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float EPSILON = 1e-5f;

    private final Conv2d conv;
    private final BatchNorm norm;
    private boolean frozenStatistics;

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
        norm = addChildBlock("bn", BatchNorm.builder().optEpsilon(EPSILON).build());
    }

    /**
     * Freezes or unfreezes the batch normalisation's running statistics: frozen, a training forward
     * normalises with the running statistics and leaves them alone.
     *
     * @param freeze true to keep the running statistics while training
     */
    public void freezeStatistics(boolean freeze) {
        frozenStatistics = freeze;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList convolved = conv.forward(store, inputs, training, params);
        NDArray normalised =
                training && frozenStatistics
                        ? withRunningStatistics(store, convolved.singletonOrThrow())
                        : norm.forward(store, convolved, training, params).singletonOrThrow();
        return new NDList(Activation.relu(normalised));
    }

    /**
     * Inference-mode batch normalisation written out, so that gradients reach the input, scale and
     * shift on either engine (MXNet's batch norm follows the recording mode, not its argument): \(
     * \gamma (x - \mu) / \sqrt{\sigma^2 + \epsilon} + \beta \) per channel.
     */
    private NDArray withRunningStatistics(ParameterStore store, NDArray x) {
        Device device = x.getDevice();
        ParameterList parameters = norm.getDirectParameters();
        NDArray gamma = store.getValue(parameters.get("gamma"), device, true);
        NDArray beta = store.getValue(parameters.get("beta"), device, true);
        NDArray mean = store.getValue(parameters.get("runningMean"), device, true);
        NDArray variance = store.getValue(parameters.get("runningVar"), device, true);
        NDArray scale = gamma.div(variance.add(HostArrays.scalar(variance, EPSILON)).sqrt());
        NDArray shift = beta.sub(mean.mul(scale));
        Shape perChannel = new Shape(1, scale.getShape().get(0), 1, 1);
        return x.mul(scale.reshape(perChannel)).add(shift.reshape(perChannel));
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
