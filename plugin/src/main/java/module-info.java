/**
 * segloss: segmentation losses, metrics and target helpers for the Deep Java Library, written once
 * in engine-agnostic {@code NDArray} code.
 *
 * <ul>
 *   <li>{@link io.github.segloss.loss}: the losses, each a DJL {@code Loss};
 *   <li>{@link io.github.segloss.metric}: DJL {@code Evaluator}s such as mean IoU;
 *   <li>{@link io.github.segloss.target}: RoI Align, Mask R-CNN mask targets, bilinear resizing;
 *   <li>{@link io.github.segloss.inference}: from logits to full-resolution class maps and instance
 *       masks.
 * </ul>
 *
 * <p>{@code io.github.segloss.internal} holds the shared pieces of these packages and is not
 * exported. On the class path the library works as any jar does.
 */
module io.github.segloss {
    // DJL 0.36's api jar is an automatic module named by its manifest; its types (NDArray, Loss,
    // Evaluator) are in segloss's API, so readers of segloss read it too.
    requires transitive ai.djl.api;
    requires org.slf4j;

    exports io.github.segloss.loss;
    exports io.github.segloss.metric;
    exports io.github.segloss.target;
    exports io.github.segloss.inference;
}
