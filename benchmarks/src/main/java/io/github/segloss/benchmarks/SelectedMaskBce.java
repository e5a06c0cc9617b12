package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;

/**
 * The mask loss built from DJL's own parts, for the "DJL built-in" column: each RoI's logits of its
 * class picked with an index, then DJL's {@link SigmoidBinaryCrossEntropyLoss}. DJL has no mask
 * loss of its own.
 */
final class SelectedMaskBce extends Loss {

    private final SigmoidBinaryCrossEntropyLoss bce =
            new SigmoidBinaryCrossEntropyLoss("SigmoidBinaryCrossEntropyLoss");

    SelectedMaskBce() {
        super("SelectedMaskBce");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.head();
        Shape shape = logits.getShape();
        NDArray index =
                labels.get(0)
                        .toType(DataType.INT64, false)
                        .reshape(shape.get(0), 1, 1, 1)
                        .broadcast(new Shape(shape.get(0), 1, shape.get(2), shape.get(3)));
        NDArray selected =
                logits.get(new NDIndex().addAllDim().addPickDim(index))
                        .reshape(shape.get(0), shape.get(2), shape.get(3));
        return bce.evaluate(new NDList(labels.get(1)), new NDList(selected));
    }
}
