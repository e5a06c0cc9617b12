package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.target.MaskTargets;

/**
 * The mask-head benchmark inputs on one manager: 16 ground-truth masks on a 1024² image, 256 RoIs
 * around them with their matched mask and class (81 classes), as in {@code torch_bench.py}.
 *
 * @param masks the ground-truth masks {@code (16, 1024, 1024)}
 * @param boxes the RoIs {@code (256, 4)}
 * @param matched the matched mask of each RoI {@code (256)}
 * @param labels the class of each RoI {@code (256)}
 */
record MaskInputs(NDArray masks, NDArray boxes, NDArray matched, NDArray labels) {

    /** The mask-head output side M. */
    static final int M = 28;

    /**
     * Draws the inputs (seed 1) onto a manager.
     *
     * @param manager the manager
     * @return the inputs
     */
    static MaskInputs create(NDManager manager) {
        int size = 1024;
        int count = 16;
        int rois = 256;
        HostData.MaskData data = HostData.MaskData.draw(1, count, rois, size, 81);
        return new MaskInputs(
                manager.create(data.masks(), new Shape(count, size, size)),
                manager.create(data.boxes(), new Shape(rois, 4)),
                manager.create(data.matched()),
                manager.create(data.labels()));
    }

    /**
     * Projects the masks onto the RoIs as torchvision's {@code project_masks_on_boxes} does.
     *
     * @return the targets {@code (256, M, M)}
     */
    NDArray targets() {
        return MaskTargets.project(masks, boxes, matched, M, false);
    }
}
