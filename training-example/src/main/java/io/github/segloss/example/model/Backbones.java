package io.github.segloss.example.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;

/** The backbone pieces that the example's models share, so their parameters load by name. */
public final class Backbones {

    private Backbones() {}

    /**
     * The stride-4 stem: two stride-2 stages of two 3×3 {@link ConvBnRelu} units each, with {@code
     * width} then {@code 2 * width} channels.
     *
     * @param width the base channel width
     * @return the stem
     */
    public static SequentialBlock stem(int width) {
        return new SequentialBlock()
                .add(new ConvBnRelu(width, 3, 2))
                .add(new ConvBnRelu(width, 3, 1))
                .add(new ConvBnRelu(2 * width, 3, 2))
                .add(new ConvBnRelu(2 * width, 3, 1));
    }

    /**
     * Freezes or unfreezes a block's trainable parameters; batch-norm running statistics never take
     * gradients and are left alone.
     *
     * @param block the block
     * @param freeze true to stop training it
     */
    public static void freezeTrainable(Block block, boolean freeze) {
        block.freezeParameters(
                freeze,
                p ->
                        p.getType() != Parameter.Type.RUNNING_MEAN
                                && p.getType() != Parameter.Type.RUNNING_VAR);
    }

    /**
     * Freezes or unfreezes the batch-norm running statistics of every {@link ConvBnRelu} in a block
     * and its descendants.
     *
     * @param block the block
     * @param freeze true to keep the running statistics while training
     */
    public static void freezeStatistics(Block block, boolean freeze) {
        if (block instanceof ConvBnRelu unit) {
            unit.freezeStatistics(freeze);
        }
        for (Block child : block.getChildren().values()) {
            freezeStatistics(child, freeze);
        }
    }
}
