package io.github.segloss.loss;

/**
 * How logits and targets of a segmentation loss relate, with segmentation_models.pytorch's meaning.
 */
public enum SegmentationMode {
    /**
     * One foreground class: logits {@code (N, 1, H, W)}, targets {@code (N, 1, H, W)} or {@code (N,
     * H, W)} holding 0 or 1 (or the ignore index); probabilities by sigmoid.
     */
    BINARY,
    /**
     * Mutually exclusive classes: logits {@code (N, C, H, W)}, targets class indices {@code (N, H,
     * W)} or {@code (N, 1, H, W)} in {@code [0, C)} (or the ignore index); probabilities by softmax
     * over the class axis.
     */
    MULTICLASS,
    /**
     * Independent classes: logits {@code (N, C, H, W)}, targets {@code (N, C, H, W)} holding 0 or 1
     * per class (or the ignore index); probabilities by sigmoid.
     */
    MULTILABEL
}
