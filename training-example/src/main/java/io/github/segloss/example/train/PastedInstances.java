package io.github.segloss.example.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import io.github.segloss.inference.InstanceMasks;
import io.github.segloss.target.MaskBoundary;
import java.util.Arrays;

/**
 * The mask head's instances at image resolution, on the host: each instance's mask of its class
 * pasted into its box and thresholded at 0.5 ({@link InstanceMasks#paste}, torchvision's {@code
 * paste_masks_in_image}), and its score.
 *
 * <p>The score of an instance is the mean mask probability over its predicted foreground pixels:
 * the sigmoid of its class's logits pasted into the image ({@link
 * InstanceMasks#pasteProbabilities}), averaged over the pixels of its mask; 0 when the mask is
 * empty. The mask head has no classifier, so this mask-quality score is what ranks the instances
 * for COCO AP and decides overlaps in {@link #idMap()}.
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
                masks[r] = pixels;
                scores[r] = count == 0 ? 0 : sum / count;
                mask.close();
                probabilities.close();
            }
        }
        return new PastedInstances(height, width, masks, scores);
    }

    /**
     * Returns the number of instances R.
     *
     * @return R
     */
    int size() {
        return scores.length;
    }

    /**
     * Returns the instance-id map: 0 for the background, {@code k} where the k-th instance (from 1)
     * covers the pixel. Where masks overlap, the instance of the higher score wins, and of equal
     * scores the one listed first.
     *
     * @return H·W instance ids, row-major
     */
    int[] idMap() {
        Integer[] order = new Integer[size()];
        for (int r = 0; r < order.length; r++) {
            order[r] = r;
        }
        // stable: equal scores keep their order
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int[] ids = new int[height * width];
        for (int r : order) {
            boolean[] mask = masks[r];
            for (int p = 0; p < ids.length; p++) {
                if (mask[p] && ids[p] == 0) {
                    ids[p] = r + 1;
                }
            }
        }
        return ids;
    }
}
