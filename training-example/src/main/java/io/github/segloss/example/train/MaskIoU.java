package io.github.segloss.example.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.evaluator.Evaluator;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mask IoU of a mask head: for each RoI the IoU between its predicted mask (the logits of its
 * class channel, or channel 0 when class agnostic, above 0, i.e. sigmoid above 0.5) and its target
 * (above 0.5) on the M×M grid, averaged over the RoIs.
 *
 * <p>Inputs are those of {@link io.github.segloss.loss.MaskRcnnMaskLoss}: labels {@code
 * NDList(classIds (R), targets (R, M, M))}, predictions {@code NDList(maskLogits (R, K, M, M))}. A
 * RoI whose prediction and target are both empty has IoU 1. The accumulators keep the sum and the
 * count of the RoIs' IoUs per class, so {@link #getAccumulator} is the mean over all RoIs seen and
 * {@link #getPerClassIoU} the mean over each class's RoIs (NaN for a class without RoIs); zero RoIs
 * add nothing and an empty accumulator reads NaN.
 */
public final class MaskIoU extends Evaluator {

    private final int classes;
    private final Map<String, double[]> sums = new ConcurrentHashMap<>();
    private final Map<String, long[]> counts = new ConcurrentHashMap<>();

    /**
     * Creates the metric.
     *
     * @param name the name that logs show
     * @param classes the number of object classes (class ids lie in {@code [0, classes)}), also for
     *     a class-agnostic head, whose RoIs are still counted under their own class
     */
    public MaskIoU(String name, int classes) {
        super(name);
        this.classes = classes;
    }

    /**
     * Computes the IoU of each RoI.
     *
     * @param labels {@code NDList(classIds (R), targets (R, M, M))}
     * @param predictions {@code NDList(maskLogits (R, K, M, M))}, K = 1 for a class-agnostic head
     * @return R IoUs in [0, 1]
     * @throws IllegalArgumentException if the shapes disagree or a class id is outside the logits'
     *     channels
     */
    public static double[] perRoi(NDList labels, NDList predictions) {
        NDArray logits = predictions.head();
        long[] shape = logits.getShape().getShape();
        if (shape.length != 4 || labels.size() != 2) {
            throw new IllegalArgumentException(
                    "expected maskLogits (R, K, M, M) and labels (classIds, targets), got "
                            + logits.getShape()
                            + " and "
                            + labels.size()
                            + " label array(s)");
        }
        int rois = Math.toIntExact(shape[0]);
        int channels = Math.toIntExact(shape[1]);
        int pixels = Math.toIntExact(shape[2] * shape[3]);
        if (rois == 0) {
            return new double[0];
        }
        if (labels.get(1).size() != (long) rois * pixels || labels.get(0).size() != rois) {
            throw new IllegalArgumentException(
                    "labels must be classIds (R) and targets (R, M, M) for maskLogits "
                            + logits.getShape()
                            + ", got "
                            + labels.get(0).getShape()
                            + " and "
                            + labels.get(1).getShape());
        }
        float[] x = logits.toType(DataType.FLOAT32, false).toFloatArray();
        float[] t = labels.get(1).toType(DataType.FLOAT32, false).toFloatArray();
        int[] ids = labels.get(0).toType(DataType.INT32, false).toIntArray();
        double[] iou = new double[rois];
        for (int r = 0; r < rois; r++) {
            int channel = channels == 1 ? 0 : ids[r];
            if (channel < 0 || channel >= channels) {
                throw new IllegalArgumentException(
                        "classIds must lie in [0, " + channels + "), got " + ids[r]);
            }
            int base = (r * channels + channel) * pixels;
            long intersection = 0;
            long union = 0;
            for (int i = 0; i < pixels; i++) {
                boolean predicted = x[base + i] > 0;
                boolean truth = t[r * pixels + i] > 0.5f;
                intersection += predicted && truth ? 1 : 0;
                union += predicted || truth ? 1 : 0;
            }
            iou[r] = union == 0 ? 1.0 : (double) intersection / union;
        }
        return iou;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns the batch's mean IoU over its RoIs as a 0-d float32 array (NaN for zero RoIs).
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        double[] iou = perRoi(labels, predictions);
        double mean = Arrays.stream(iou).average().orElse(Double.NaN);
        return predictions.head().getManager().create((float) mean);
    }

    /** {@inheritDoc} */
    @Override
    public void addAccumulator(String key) {
        resetAccumulator(key);
    }

    /** {@inheritDoc} */
    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
        updateAccumulators(new String[] {key}, labels, predictions);
    }

    /** {@inheritDoc} */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        double[] iou = perRoi(labels, predictions);
        if (iou.length == 0) {
            return;
        }
        int[] ids = labels.get(0).toType(DataType.INT32, false).toIntArray();
        for (String key : keys) {
            double[] sum = sums.computeIfAbsent(key, k -> new double[classes]);
            long[] count = counts.computeIfAbsent(key, k -> new long[classes]);
            synchronized (sum) {
                for (int r = 0; r < iou.length; r++) {
                    if (ids[r] < 0 || ids[r] >= classes) {
                        throw new IllegalArgumentException(
                                "classIds must lie in [0, " + classes + "), got " + ids[r]);
                    }
                    sum[ids[r]] += iou[r];
                    count[ids[r]]++;
                }
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public void resetAccumulator(String key) {
        sums.put(key, new double[classes]);
        counts.put(key, new long[classes]);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns the mean IoU over all RoIs accumulated under the key, NaN if none.
     */
    @Override
    public float getAccumulator(String key) {
        double[] sum = sums.get(key);
        long[] count = counts.get(key);
        if (sum == null) {
            throw new IllegalArgumentException("no accumulator " + key);
        }
        double total = 0;
        long n = 0;
        synchronized (sum) {
            for (int c = 0; c < classes; c++) {
                total += sum[c];
                n += count[c];
            }
        }
        return n == 0 ? Float.NaN : (float) (total / n);
    }

    /**
     * Returns the mean IoU of each class's RoIs accumulated under the key.
     *
     * @param key the accumulator
     * @return one value per class id, NaN for a class without RoIs
     * @throws IllegalArgumentException if there is no such accumulator
     */
    public double[] getPerClassIoU(String key) {
        double[] sum = sums.get(key);
        long[] count = counts.get(key);
        if (sum == null) {
            throw new IllegalArgumentException("no accumulator " + key);
        }
        double[] result = new double[classes];
        synchronized (sum) {
            for (int c = 0; c < classes; c++) {
                result[c] = count[c] == 0 ? Double.NaN : sum[c] / count[c];
            }
        }
        return result;
    }
}
