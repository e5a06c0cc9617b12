package io.github.segloss.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.segloss.loss.MaskRcnnMaskLoss;
import io.github.segloss.target.MaskTargets;

/** README, "Using segloss": the Mask R-CNN mask loss with targets from ground-truth masks. */
final class MaskBranch {

    private MaskBranch() {}

    /**
     * Projects the targets and evaluates the mask loss as the README shows.
     *
     * @param gtMasks the ground-truth masks {@code (G, H, W)}
     * @param proposals the RoIs {@code (R, 4)}, {@code x1, y1, x2, y2}
     * @param matchedIdxs the ground-truth mask of each RoI {@code (R)}
     * @param gtLabels the class of each ground-truth mask {@code (G)}
     * @param maskLogits the mask head's output {@code (R, K, 28, 28)}
     * @return the loss, a scalar
     */
    static NDArray loss(
            NDArray gtMasks,
            NDArray proposals,
            NDArray matchedIdxs,
            NDArray gtLabels,
            NDArray maskLogits) {
        // BEGIN README SNIPPET
        // gtMasks (G, H, W) float 0/1; proposals (R, 4) float x1, y1, x2, y2 in the masks' pixels;
        // matchedIdxs (R) int64: each RoI's ground-truth mask; gtLabels (G) int64: each mask's class in
        // [0, K), background excluded; maskLogits (R, K, 28, 28) float: the mask head's output
        NDArray targets = MaskTargets.project(gtMasks, proposals, matchedIdxs, 28, false); // (R, 28, 28)
        NDArray classIds = gtLabels.take(matchedIdxs);                                       // (R)
        NDArray value = MaskRcnnMaskLoss.builder().build()
                .evaluate(new NDList(classIds, targets), new NDList(maskLogits));           // scalar
        // END README SNIPPET
        return value;
    }
}
