package io.github.segloss.example.model;

import ai.djl.nn.Block;

/**
 * A built-in model of segloss-train that can be fine-tuned part by part: its backbone trained at
 * another rate or frozen, its batch-norm statistics kept.
 */
public interface FineTunableModel extends Block {

    /**
     * Returns the backbone, whose parameters do not depend on the classes.
     *
     * @return the backbone block
     */
    Block getBackbone();

    /**
     * Freezes or unfreezes the backbone's trainable parameters (batch-norm running statistics never
     * take gradients and are left alone).
     *
     * @param freeze true to train the heads alone
     */
    void freezeBackbone(boolean freeze);

    /**
     * Freezes or unfreezes the running statistics of every batch normalisation of the model:
     * frozen, training normalises with the running statistics and leaves them as they are.
     *
     * @param freeze true to keep the running statistics while training
     */
    default void freezeStatistics(boolean freeze) {
        Backbones.freezeStatistics(this, freeze);
    }
}
