package io.github.segloss.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * The block of the README's PSPNet snippet, as small as it gets: two 1×1 convolutions, the main and
 * the auxiliary class head. It returns {@code NDList(main, aux)} in training and {@code
 * NDList(main)} in inference, and keeps a host copy of every inference output so that the sample
 * can tell whether the training lowered the validation loss.
 */
final class TwoHeadBlock extends AbstractBlock {

    private final Conv2d mainHead;
    private final Conv2d auxHead;
    private final int classes;
    private final List<float[]> inferenceOutputs = new ArrayList<>();

    TwoHeadBlock(int classes) {
        this.classes = classes;
        mainHead = addChildBlock("main", head(classes));
        auxHead = addChildBlock("aux", head(classes));
    }

    private static Conv2d head(int classes) {
        return Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(classes).build();
    }

    /** The main head's inference outputs, in the order of the calls. */
    List<float[]> inferenceOutputs() {
        return inferenceOutputs;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray main = mainHead.forward(store, inputs, training).singletonOrThrow();
        if (!training) {
            inferenceOutputs.add(main.toFloatArray());
            return new NDList(main);
        }
        return new NDList(main, auxHead.forward(store, inputs, training).singletonOrThrow());
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        mainHead.initialize(manager, dataType, inputShapes[0]);
        auxHead.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape out = new Shape(in.get(0), classes, in.get(2), in.get(3));
        return new Shape[] {out, out};
    }
}
