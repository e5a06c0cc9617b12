package io.github.segloss.example.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import io.github.segloss.example.data.InstanceBatch;
import io.github.segloss.example.report.Overlay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code predictions.png} of the mask task: validation images with their ground-truth instance
 * masks and the predicted masks pasted into the ground-truth boxes (as Mask R-CNN pastes its 28×28
 * masks into the detected boxes), each coloured by its class.
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
        float[] logits;
        int channels;
        int m;
        try (NDManager manager = trainer.getManager().newSubManager()) {
            Batch batch = RoiBatch.create(manager, instances, 0, 1);
            NDArray output = trainer.evaluate(batch.getData()).head();
            channels = Math.toIntExact(output.getShape().get(1));
            m = Math.toIntExact(output.getShape().get(2));
            logits = output.toFloatArray();
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
            int channel = classAgnostic ? 0 : instances.classIds()[r];
            paste(
                    logits,
                    (r * channels + channel) * m * m,
                    m,
                    instances.boxes(),
                    r,
                    size,
                    predictions.get(b),
                    label);
        }
        Overlay.writeGrid(file, pixels, truths, predictions, size, size);
    }

    /** Paints the pixels of box r whose nearest mask cell has a positive logit. */
    private static void paste(
            float[] logits,
            int offset,
            int m,
            float[] boxes,
            int r,
            int size,
            int[] map,
            int label) {
        float x1 = boxes[4 * r];
        float y1 = boxes[4 * r + 1];
        float width = Math.max(boxes[4 * r + 2] - x1, 1e-6f);
        float height = Math.max(boxes[4 * r + 3] - y1, 1e-6f);
        for (int y = Math.max(0, (int) y1); y < Math.min(size, (int) Math.ceil(y1 + height)); y++) {
            int v = (int) Math.floor((y + 0.5f - y1) / height * m);
            for (int x = Math.max(0, (int) x1);
                    x < Math.min(size, (int) Math.ceil(x1 + width));
                    x++) {
                int u = (int) Math.floor((x + 0.5f - x1) / width * m);
                if (u >= 0 && u < m && v >= 0 && v < m && logits[offset + v * m + u] > 0) {
                    map[y * size + x] = label;
                }
            }
        }
    }
}
