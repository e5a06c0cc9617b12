/**
 * The segloss losses, each a DJL {@link ai.djl.training.loss.Loss}: {@link
 * io.github.segloss.loss.PixelCrossEntropyLoss}, {@link io.github.segloss.loss.DeepSupervisionLoss}
 * (with its {@link io.github.segloss.loss.HeadLoss} components), {@link
 * io.github.segloss.loss.MaskRcnnMaskLoss} and {@link io.github.segloss.loss.MaskedL2Loss}.
 *
 * <p>Every loss returns a scalar on the prediction's device, connected to the graph, and gives
 * exactly 0 with a zero gradient when nothing is labelled (PyTorch gives NaN there). Bad input
 * raises an {@link java.lang.IllegalArgumentException} naming the argument, the expected and the
 * actual shape or value. Every builder takes {@code optCheckFinite(true)}, which makes {@code
 * evaluate} reject NaN and infinite predictions with their count and the position of the first.
 */
package io.github.segloss.loss;
