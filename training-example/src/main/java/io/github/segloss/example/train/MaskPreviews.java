package io.github.segloss.example.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import io.github.segloss.example.data.InstanceBatch;
import io.github.segloss.example.report.Overlay;
import io.github.segloss.inference.InstanceMasks;
import io.github.segloss.target.MaskBoundary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code predictions.png} of the mask task: validation images with their ground-truth instance
 * masks and the predicted masks pasted into the ground-truth boxes (as Mask R-CNN pastes its 28×28
 * masks into the detected boxes, {@link InstanceMasks#paste}), each coloured by its class.
 */
final class MaskPreviews {

    private static final int IMAGES = 4;

    private MaskPreviews() {}

    /**
     * Writes the picture for the first images of a validation batch.
     *
     * @param file the PNG to write
     * @param trainer the trainer, for inference
     * @param instances a validation batch without jitter
     * @param classAgnostic whether the head predicts one channel
     * @throws IOException if the file cannot be written
     */
    static void write(Path file, Trainer trainer, InstanceBatch instances, boolean classAgnostic)
            throws IOException {
        int images = Math.min(IMAGES, instances.images());
        if (images == 0 || instances.instances() == 0) {
            return;
        }
        int size = instances.size();
        int area = size * size;
        List<int[]> truths = new ArrayList<>();
        List<int[]> predictions = new ArrayList<>();
        List<float[]> pixels = new ArrayList<>();
        for (int b = 0; b < images; b++) {
            truths.add(new int[area]);
            predictions.add(new int[area]);
            pixels.add(Arrays.copyOfRange(instances.pixels(), b * 3 * area, (b + 1) * 3 * area));
        }
        boolean[] pasted;
        try (NDManager manager = trainer.getManager().newSubManager()) {
            Batch batch = RoiBatch.create(manager, instances, 0, 1);
            NDArray output = trainer.evaluate(batch.getData()).head();
            NDArray boxes = batch.getData().get(1);
            NDArray classIds = batch.getLabels().get(0);
            pasted =
                    MaskBoundary.hostMask(
                            InstanceMasks.paste(
                                    output, boxes, classAgnostic ? null : classIds, size, size),
                            "masks");
        }
        for (int r = 0; r < instances.instances(); r++) {
            int b = instances.batchIndices()[r];
            if (b >= images) {
                continue;
            }
            int label = instances.classIds()[r] + 1;
            for (int p = 0; p < area; p++) {
                if (instances.masks()[r * area + p] > 0.5f) {
                    truths.get(b)[p] = label;
                }
            }
            for (int p = 0; p < area; p++) {
                if (pasted[r * area + p]) {
                    predictions.get(b)[p] = label;
                }
            }
        }
        Overlay.writeGrid(file, pixels, truths, predictions, size, size);
    }
}
