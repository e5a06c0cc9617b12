package io.github.segloss.example.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import io.github.segloss.inference.InstanceMasks;
import io.github.segloss.target.MaskBoundary;

/**
 * The mask head's instances at image resolution, on the host: each instance's mask of its class
 * pasted into its box and thresholded at 0.5 ({@link InstanceMasks#paste}, torchvision's {@code
 * paste_masks_in_image}), and its score.
 *
 * <p>The score of an instance is the mean mask probability over its predicted foreground pixels:
 * the sigmoid of its class's logits pasted into the image ({@link
 * InstanceMasks#pasteProbabilities}), averaged over the pixels of its mask; 0 when the mask is
 * empty. The mask head has no classifier, so this mask-quality score is what ranks the instances
 * for COCO AP and decides overlaps in {@link InstanceIdMap}.
 *
 * <p>{@link #of} keeps every mask (the validation images are small); {@link #forEach} hands each
 * instance on as it is pasted, so that a large image costs one mask at a time.
 *
 * @param height the image height H
 * @param width the image width W
 * @param masks the R masks, each H·W pixels row-major
 * @param scores the R scores, in [0, 1]
 */
record PastedInstances(int height, int width, boolean[][] masks, double[] scores) {

    /**
     * Pastes the instances of one image.
     *
     * @param maskLogits the head's logits {@code (R, K, M, M)}
     * @param boxes the boxes {@code (R, 4)} as {@code x1, y1, x2, y2} in image pixels
     * @param classIds {@code (R)} each instance's mask channel in {@code [0, K)} (unread when K =
     *     1)
     * @param height the image height
     * @param width the image width
     * @return the masks and scores; the arrays computed on the way are closed
     */
    static PastedInstances of(
            NDArray maskLogits, NDArray boxes, NDArray classIds, int height, int width) {
        int rois = Math.toIntExact(maskLogits.getShape().get(0));
        boolean[][] masks = new boolean[rois][];
        double[] scores = new double[rois];
        forEach(
                maskLogits,
                boxes,
                classIds,
                height,
                width,
                (r, mask, score) -> {
                    masks[r] = mask;
                    scores[r] = score;
                });
        return new PastedInstances(height, width, masks, scores);
    }

    /** Receives the pasted instances one at a time. */
    interface Consumer {

        /**
         * Receives one instance.
         *
         * @param index the instance's index r
         * @param mask its mask, H·W pixels row-major
         * @param score its score
         */
        void accept(int index, boolean[] mask, double score);
    }

    /**
     * Pastes the instances of one image, handing each on as soon as it is pasted.
     *
     * @param maskLogits the head's logits {@code (R, K, M, M)}
     * @param boxes the boxes {@code (R, 4)} as {@code x1, y1, x2, y2} in image pixels
     * @param classIds {@code (R)} each instance's mask channel in {@code [0, K)} (unread when K =
     *     1)
     * @param height the image height
     * @param width the image width
     * @param consumer receives each instance's mask and score, in order
     */
    static void forEach(
            NDArray maskLogits,
            NDArray boxes,
            NDArray classIds,
            int height,
            int width,
            Consumer consumer) {
        int rois = Math.toIntExact(maskLogits.getShape().get(0));
        int plane = Math.multiplyExact(height, width);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (int r = 0; r < rois; r++) {
                // one instance at a time: memory grows with the image, not with image × instances
                String one = r + ":" + (r + 1);
                NDArray logits = maskLogits.get(one);
                NDArray box = boxes.get(one);
                NDArray classId = classIds == null ? null : classIds.get(one);
                NDArray mask = InstanceMasks.paste(logits, box, classId, height, width);
                NDArray probabilities =
                        InstanceMasks.pasteProbabilities(
                                Activation.sigmoid(logits), box, classId, height, width);
                boolean[] pixels = MaskBoundary.hostMask(mask, "mask");
                float[] probability = probabilities.toType(DataType.FLOAT32, false).toFloatArray();
                double sum = 0;
                long count = 0;
                for (int p = 0; p < plane; p++) {
                    if (pixels[p]) {
                        sum += probability[p];
                        count++;
                    }
                }
                mask.close();
                probabilities.close();
                consumer.accept(r, pixels, count == 0 ? 0 : sum / count);
            }
        }
    }

    /**
     * Returns the number of instances R.
     *
     * @return R
     */
    int size() {
        return scores.length;
    }
}
