package io.github.segloss.example.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import io.github.segloss.example.data.InstanceBatch;
import io.github.segloss.metric.BoundaryIoU;
import io.github.segloss.metric.MaskApResult;
import io.github.segloss.metric.MaskAveragePrecision;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mask task's instance metrics on validation: COCO mask AP ({@link MaskAveragePrecision}) and
 * the mean instance Boundary IoU ({@link BoundaryIoU#of}, dilation ratio 0.02), computed from the
 * masks that the head predicts on the ground-truth boxes, pasted at the validation images'
 * resolution ({@link PastedInstances}).
 *
 * <p>The detections of an image are its ground-truth instances on their ground-truth boxes, with
 * their ground-truth classes and the mask-quality score of {@link PastedInstances}; the ground
 * truths are the instances' masks. The instances the mask task reads carry no crowd regions (the
 * COCO reader leaves {@code iscrowd} annotations out of the instances), so no ground truth is a
 * crowd. With ground-truth boxes this AP measures the mask head alone: it is an upper bound for the
 * AP of a full detector with this head.
 *
 * <p>The validation iterator announces each slice before DJL validates it ({@link #expect}); the
 * listener pastes the slice's predictions and adds each image to the AP once its last instance has
 * been seen (an image may span two slices), so the memory holds one slice and one image.
 */
final class InstanceValidation extends TrainingListenerAdapter {

    /** The Boundary IoU's dilation ratio, the boundary-iou-api's default. */
    static final double DILATION_RATIO = 0.02;

    /** The {@code metrics.csv} column of the mask AP at IoU .50:.05:.95. */
    static final String MASK_AP = "mask_ap";

    /** The {@code metrics.csv} column of the mask AP at IoU .50. */
    static final String MASK_AP50 = "mask_ap50";

    /** The {@code metrics.csv} column of the mask AP at IoU .75. */
    static final String MASK_AP75 = "mask_ap75";

    /** The {@code metrics.csv} column of the mean instance Boundary IoU. */
    static final String BOUNDARY_IOU = "boundary_iou";

    /**
     * One slice of validation instances, as the iterator hands it to DJL.
     *
     * @param instances the slice
     * @param firstImage the epoch-wide number of the slice's first image
     */
    private record Slice(InstanceBatch instances, long firstImage) {}

    private final Deque<Slice> expected = new ArrayDeque<>();
    private final Scores scores;

    /**
     * Creates the listener.
     *
     * @param classes the object classes C; instance class ids lie in {@code [0, C)}
     */
    InstanceValidation(int classes) {
        this.scores = new Scores(classes);
    }

    /**
     * Returns the epoch-wide number of the first image of a slice: {@link InstanceBatch#slices}
     * cuts a batch's instances every {@code maxRois}, so slice k starts at instance k · maxRois.
     *
     * @param whole the batch that was sliced
     * @param slice the slice's position k among the batch's slices
     * @param maxRois the slices' most instances
     * @param imagesBefore the images of the epoch's earlier batches
     * @return the number of the image of the slice's first instance
     */
    static long firstImage(InstanceBatch whole, int slice, int maxRois, long imagesBefore) {
        return imagesBefore + whole.batchIndices()[Math.multiplyExact(slice, maxRois)];
    }

    /**
     * Announces the next slice that DJL validates.
     *
     * @param instances the slice
     * @param firstImage the epoch-wide number of its first image (equal for the last image of a
     *     slice and the first of the next when one image spans both)
     */
    void expect(InstanceBatch instances, long firstImage) {
        expected.add(new Slice(instances, firstImage));
    }

    /** {@inheritDoc} */
    @Override
    public void onValidationBatch(Trainer trainer, BatchData batchData) {
        Slice slice = expected.poll();
        if (slice == null) {
            throw new IllegalStateException("a validation batch that was not announced");
        }
        NDList predictions = batchData.getPredictions().values().iterator().next();
        NDArray logits = predictions.head();
        InstanceBatch instances = slice.instances();
        int rois = instances.instances();
        int size = instances.size();
        PastedInstances pasted;
        try (NDManager manager = logits.getManager().newSubManager()) {
            NDArray boxes = manager.create(instances.boxes(), new Shape(rois, 4));
            NDArray classIds = manager.create(instances.classIds(), new Shape(rois));
            pasted = PastedInstances.of(logits, boxes, classIds, size, size);
        }
        int plane = size * size;
        for (int r = 0; r < rois; r++) {
            boolean[] truth = new boolean[plane];
            for (int p = 0; p < plane; p++) {
                truth[p] = instances.masks()[r * plane + p] > 0.5f;
            }
            scores.add(
                    slice.firstImage() + instances.batchIndices()[r],
                    size,
                    pasted.masks()[r],
                    pasted.scores()[r],
                    instances.classIds()[r],
                    truth);
        }
    }

    /**
     * Ends the epoch's validation: returns its numbers and forgets them.
     *
     * @return {@value #MASK_AP}, {@value #MASK_AP50}, {@value #MASK_AP75} and {@value
     *     #BOUNDARY_IOU}, NaN without validation instances
     */
    Map<String, Double> finish() {
        expected.clear();
        return scores.finish();
    }

    /**
     * The accumulation of the metrics, image by image: what the listener feeds, separate from DJL
     * so that it can be checked on constructed masks.
     */
    static final class Scores {

        private final MaskAveragePrecision averagePrecision;
        private final List<boolean[]> detections = new ArrayList<>();
        private final List<Double> detectionScores = new ArrayList<>();
        private final List<Integer> classes = new ArrayList<>();
        private final List<boolean[]> truths = new ArrayList<>();
        private long image = -1;
        private int size;
        private double boundarySum;
        private long boundaryCount;

        /**
         * Creates an empty accumulation.
         *
         * @param classes the object classes C
         */
        Scores(int classes) {
            averagePrecision = new MaskAveragePrecision(classes);
        }

        /**
         * Adds one instance: its predicted mask on its ground-truth box and its ground truth.
         * Instances of one image must come one after another.
         *
         * @param image the image's number; a new number ends the previous image
         * @param size the image's height and width
         * @param detection the predicted mask, size² pixels row-major
         * @param score the prediction's score
         * @param classId the instance's class in {@code [0, C)}
         * @param truth the ground-truth mask, size² pixels row-major
         */
        void add(
                long image,
                int size,
                boolean[] detection,
                double score,
                int classId,
                boolean[] truth) {
            if (image != this.image) {
                flush();
                this.image = image;
                this.size = size;
            }
            detections.add(detection);
            detectionScores.add(score);
            classes.add(classId);
            truths.add(truth);
            double boundary = BoundaryIoU.of(truth, detection, size, size, DILATION_RATIO);
            if (!Double.isNaN(boundary)) {
                boundarySum += boundary;
                boundaryCount++;
            }
        }

        /** Adds the pending image to the AP. */
        private void flush() {
            if (detections.isEmpty()) {
                return;
            }
            int n = detections.size();
            double[] scoreValues = new double[n];
            int[] classIds = new int[n];
            for (int i = 0; i < n; i++) {
                scoreValues[i] = detectionScores.get(i);
                classIds[i] = classes.get(i);
            }
            averagePrecision.addImage(
                    size,
                    size,
                    detections.toArray(new boolean[0][]),
                    scoreValues,
                    classIds,
                    truths.toArray(new boolean[0][]),
                    classIds.clone(),
                    new boolean[n]);
            detections.clear();
            detectionScores.clear();
            classes.clear();
            truths.clear();
        }

        /**
         * Returns the numbers of every instance added, and starts afresh.
         *
         * @return the mask AP, AP50, AP75 and the mean Boundary IoU by column name
         */
        Map<String, Double> finish() {
            flush();
            Map<String, Double> values = new LinkedHashMap<>();
            if (averagePrecision.getNumImages() == 0) {
                values.put(MASK_AP, Double.NaN);
                values.put(MASK_AP50, Double.NaN);
                values.put(MASK_AP75, Double.NaN);
            } else {
                MaskApResult result = averagePrecision.evaluate();
                values.put(MASK_AP, result.ap());
                values.put(MASK_AP50, result.ap50());
                values.put(MASK_AP75, result.ap75());
            }
            values.put(BOUNDARY_IOU, boundaryCount == 0 ? Double.NaN : boundarySum / boundaryCount);
            averagePrecision.reset();
            image = -1;
            boundarySum = 0;
            boundaryCount = 0;
            return values;
        }
    }
}
