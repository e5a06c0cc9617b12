package io.github.segloss.example.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import io.github.segloss.example.data.InstanceBatch;
import io.github.segloss.example.model.MaskRcnnHead;
import io.github.segloss.target.MaskTargets;

/**
 * The DJL {@link Batch} of a mask-task batch: the block's input and the loss's labels.
 *
 * <p>Targets are detectron2's: {@code MaskTargets.project(masks, boxes, arange(R), 28, aligned =
 * true) >= 0.5}, each instance's mask cropped to its (jittered) box, resized to 28×28 by RoI Align
 * and thresholded, so the loss sees 0/1 targets and the metrics' "target > 0.5" agrees with the
 * loss. A batch without RoIs gets empty arrays of the right shapes.
 */
final class RoiBatch {

    private RoiBatch() {}

    /**
     * Puts a batch of instances on the manager's device.
     *
     * @param manager the batch's manager (closing the batch closes it)
     * @param instances the images and instances
     * @param progress the batch's position in its epoch
     * @param total the batches of the epoch
     * @return data {@code NDList(images (B, 3, S, S), boxes (R, 4), batchIndices (R))} and labels
     *     {@code NDList(classIds (R), targets (R, 28, 28))}, int32 indices and float32 values
     */
    static Batch create(NDManager manager, InstanceBatch instances, long progress, long total) {
        int size = instances.size();
        int rois = instances.instances();
        NDArray images =
                manager.create(instances.pixels(), new Shape(instances.images(), 3, size, size));
        NDArray boxes = manager.create(instances.boxes(), new Shape(rois, 4));
        NDArray batchIndices = manager.create(instances.batchIndices(), new Shape(rois));
        NDArray classIds = manager.create(instances.classIds(), new Shape(rois));
        NDArray targets;
        int m = MaskRcnnHead.MASK_SIZE;
        if (rois == 0) {
            targets = manager.zeros(new Shape(0, m, m), DataType.FLOAT32);
        } else {
            NDArray masks = manager.create(instances.masks(), new Shape(rois, size, size));
            NDArray matched = manager.arange(rois).toType(DataType.INT32, false);
            targets =
                    MaskTargets.project(masks, boxes, matched, m, true)
                            .gte(0.5f)
                            .toType(DataType.FLOAT32, false);
        }
        return new Batch(
                manager,
                new NDList(images, boxes, batchIndices),
                new NDList(classIds, targets),
                instances.images(),
                Batchifier.STACK,
                Batchifier.STACK,
                progress,
                total);
    }
}
