package io.github.segloss.enginetest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A small segmentation net with a main and an auxiliary head, as PSPNet has: a 3×3 convolution body
 * and two 1×1 class heads. In training it returns {@code NDList(main, aux)}; in inference only
 * {@code NDList(main)}.
 */
final class TwoHeadNet extends AbstractBlock {

    private final Conv2d body;
    private final Conv2d mainHead;
    private final Conv2d auxHead;
    private final int classes;

    TwoHeadNet(int classes) {
        this.classes = classes;
        body =
                addChildBlock(
                        "body",
                        Conv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .optPadding(new Shape(1, 1))
                                .setFilters(8)
                                .build());
        mainHead =
                addChildBlock(
                        "main",
                        Conv2d.builder()
                                .setKernelShape(new Shape(1, 1))
                                .setFilters(classes)
                                .build());
        auxHead =
                addChildBlock(
                        "aux",
                        Conv2d.builder()
                                .setKernelShape(new Shape(1, 1))
                                .setFilters(classes)
                                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray features =
                Activation.relu(body.forward(store, inputs, training).singletonOrThrow());
        NDList hidden = new NDList(features);
        NDArray main = mainHead.forward(store, hidden, training).singletonOrThrow();
        if (!training) {
            return new NDList(main);
        }
        return new NDList(main, auxHead.forward(store, hidden, training).singletonOrThrow());
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes[0]);
        Shape hidden = body.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        mainHead.initialize(manager, dataType, hidden);
        auxHead.initialize(manager, dataType, hidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape out = new Shape(in.get(0), classes, in.get(2), in.get(3));
        return new Shape[] {out, out};
    }
}
