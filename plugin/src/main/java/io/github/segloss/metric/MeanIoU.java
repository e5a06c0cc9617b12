package io.github.segloss.metric;

import ai.djl.ndarray.NDList;
import java.util.Locale;

/**
 * Mean intersection over union of semantic segmentation, accumulated as a C×C confusion matrix of
 * pixel counts (rows = true class, columns = predicted class).
 *
 * <p>With \( n_{ij} \) the labelled pixels of class \(i\) predicted as \(j\), the IoU of class
 * \(c\) is \( \mathrm{IoU}_c = n_{cc} / (\sum_j n_{cj} + \sum_i n_{ic} - n_{cc}) \), and
 *
 * <p>\( \mathrm{mIoU} = \frac{1}{|K|} \sum_{c \in K} \mathrm{IoU}_c \), with \(K\) the classes
 * whose union is non-empty (labelled or predicted at least once).
 *
 * <p>A class that is predicted but never labelled counts with IoU 0; a class that is neither is
 * left out of the mean (NaN-mean). The accumulator reads NaN when no class was measured.
 *
 * <p>Labels ({@code labels.head()}) are {@code (N, d1..dk)} or {@code (N, 1, d1..dk)}, integers or
 * whole-number floats, each a class in {@code [0, C)} or the ignore index; ignored pixels are not
 * counted. Predictions ({@code predictions.head()}) are logits {@code (N, C, d1..dk)}, read as
 * their argmax over axis 1, or class ids of the labels' shape. The counts are exact integers, so a
 * batch gives the same number whether it is evaluated whole or split across devices, and the
 * matrices of several workers merge by addition ({@link #mergeConfusionMatrix}).
 */
public class MeanIoU extends CountingEvaluator<ConfusionMatrix> {

    /** The ignore label of the PSPNet and DeepLab recipes, and the default here. */
    public static final int DEFAULT_IGNORE_INDEX = 255;

    private final int numClasses;
    private final int ignoreIndex;

    /**
     * Creates a mean-IoU evaluator named "mIoU" that ignores label 255.
     *
     * @param numClasses the number of classes C
     */
    public MeanIoU(int numClasses) {
        this("mIoU", numClasses, DEFAULT_IGNORE_INDEX);
    }

    /**
     * Creates a mean-IoU evaluator.
     *
     * @param name the name that training logs show
     * @param numClasses the number of classes C, at least 1
     * @param ignoreIndex the label that marks pixels without a class; a value inside {@code [0, C)}
     *     leaves that class's pixels uncounted
     * @throws IllegalArgumentException if numClasses is below 1, or its C×C matrix of longs needs
     *     more than a quarter of the JVM's maximum heap
     */
    public MeanIoU(String name, int numClasses, int ignoreIndex) {
        super(name, ConfusionMatrix.empty(requireClasses(numClasses)), ConfusionMatrix::plus);
        this.numClasses = numClasses;
        this.ignoreIndex = ignoreIndex;
    }

    /**
     * Returns the number of classes C.
     *
     * @return C
     */
    public int getNumClasses() {
        return numClasses;
    }

    /**
     * Returns the label that marks pixels without a class.
     *
     * @return the ignore index
     */
    public int getIgnoreIndex() {
        return ignoreIndex;
    }

    /**
     * Returns the IoU of each class from the accumulated confusion matrix, NaN for a class that was
     * neither labelled nor predicted.
     *
     * @param key the accumulator's key
     * @return C values
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public float[] getPerClassIoU(String key) {
        return toFloats(counts(key).perClassIoU());
    }

    /**
     * Returns the IoU of each class in the key's last finished epoch (see {@link
     * #getLastEpochAccumulator}): after {@code EasyTrain.fit}, {@code
     * getLastEpochPerClassIoU("validate/epoch")} holds the last epoch's validation IoU per class.
     *
     * @param key the accumulator's key
     * @return C values, NaN for a class neither labelled nor predicted (all NaN if the key was
     *     never reset after counting)
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public float[] getLastEpochPerClassIoU(String key) {
        return toFloats(lastEpochCounts(key).perClassIoU());
    }

    /**
     * Returns a copy of the confusion matrix of the key's last finished epoch (see {@link
     * #getLastEpochAccumulator}).
     *
     * @param key the accumulator's key
     * @return C×C counts, {@code [trueClass][predictedClass]}
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public long[][] getLastEpochConfusionMatrix(String key) {
        return lastEpochCounts(key).toArray();
    }

    /**
     * Returns a copy of the accumulated confusion matrix.
     *
     * @param key the accumulator's key
     * @return C×C counts, {@code [trueClass][predictedClass]}
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public long[][] getConfusionMatrix(String key) {
        return counts(key).toArray();
    }

    /**
     * Adds a confusion matrix to the accumulator of the key, e.g. the matrix of another worker
     * ({@link #getConfusionMatrix}); the mean IoU of the sum is that of all their pixels.
     *
     * @param key the accumulator's key
     * @param counts C×C non-negative counts, {@code [trueClass][predictedClass]}
     * @throws IllegalArgumentException if the key has no accumulator, or the counts are not C×C or
     *     one is negative
     */
    public void mergeConfusionMatrix(String key, long[][] counts) {
        add(key, ConfusionMatrix.copyOf(counts, numClasses));
    }

    /** Checks C and that its confusion matrix fits the heap (also for SegmentationReport). */
    static int requireClasses(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        // an accumulator, a batch's matrix and their sum exist at once: each must fit in a
        // quarter of the heap, or the constructor (or a later update) dies of OutOfMemoryError
        double bytes = 8.0 * numClasses * numClasses;
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap / 4.0) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "numClasses = %d needs a %d×%d confusion matrix of longs (%.3g GB)"
                                    + " per accumulator and batch, more than a quarter of the"
                                    + " JVM's maximum heap (%.3g GB, -Xmx)",
                            numClasses,
                            numClasses,
                            numClasses,
                            bytes / 1e9,
                            heap / 1e9));
        }
        return numClasses;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The mean IoU, NaN if no class was measured.
     */
    @Override
    float value(ConfusionMatrix counts) {
        return (float) counts.meanIoU();
    }

    /** {@inheritDoc} */
    @Override
    ConfusionMatrix count(NDList labels, NDList predictions) {
        return ConfusionMatrix.of(
                PixelClasses.of(labels, predictions, numClasses, ignoreIndex), numClasses);
    }
}
