package io.github.segloss.example.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.segloss.target.BilinearResize;
import java.util.ArrayList;
import java.util.List;

/**
 * PSPNet's pyramid pooling module: the features average-pooled to b×b for each bin b, reduced by a
 * 1×1 convolution, resized back bilinearly and concatenated with the features.
 *
 * <p>DJL has no adaptive pooling, so each bin pools with a fixed kernel = stride = size / b: the
 * feature size must be divisible by every bin (the trainer fixes the image size).
 */
public final class PyramidPooling extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int[] bins;
    private final int channelsPerBin;
    private final List<ConvBnRelu> reducers = new ArrayList<>();

    /**
     * Creates the module.
     *
     * @param bins the pooled sizes, e.g. {1, 2, 4}
     * @param channelsPerBin the channels of each pooled branch
     */
    public PyramidPooling(int[] bins, int channelsPerBin) {
        super(VERSION);
        this.bins = bins.clone();
        this.channelsPerBin = channelsPerBin;
        for (int bin : bins) {
            reducers.add(addChildBlock("bin" + bin, new ConvBnRelu(channelsPerBin, 1, 1)));
        }
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray features = inputs.singletonOrThrow();
        int height = Math.toIntExact(features.getShape().get(2));
        int width = Math.toIntExact(features.getShape().get(3));
        NDList branches = new NDList(features);
        for (int i = 0; i < bins.length; i++) {
            Shape kernel = new Shape(height / bins[i], width / bins[i]);
            NDArray pooled = Pool.avgPool2d(features, kernel, kernel, new Shape(0, 0), false, true);
            NDArray reduced =
                    reducers.get(i).forward(store, new NDList(pooled), training).singletonOrThrow();
            branches.add(BilinearResize.resize(reduced, height, width, false));
        }
        return new NDList(NDArrays.concat(branches, 1));
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        for (int i = 0; i < bins.length; i++) {
            if (in.get(2) % bins[i] != 0 || in.get(3) % bins[i] != 0) {
                throw new IllegalArgumentException(
                        "feature size "
                                + in.get(2)
                                + " x "
                                + in.get(3)
                                + " must be divisible by the pyramid bin "
                                + bins[i]);
            }
            reducers.get(i)
                    .initialize(
                            manager, dataType, new Shape(in.get(0), in.get(1), bins[i], bins[i]));
        }
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {
            new Shape(
                    in.get(0),
                    in.get(1) + (long) bins.length * channelsPerBin,
                    in.get(2),
                    in.get(3))
        };
    }
}
