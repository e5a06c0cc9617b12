package io.github.segloss.metric;

import java.util.Arrays;

/**
 * An immutable C×C confusion matrix of pixel counts: \( n_{ij} \) pixels of true class \(i\) (row)
 * were predicted as class \(j\) (column). Matrices add element-wise, so counts from several
 * batches, devices or workers merge by addition.
 *
 * <p>Counts are longs, and so is their total: every union of the IoU (at most the total) is then
 * exact. A sum beyond {@link Long#MAX_VALUE} (\(9.2 \cdot 10^{18}\) pixels, centuries of images)
 * can only come from merged matrices and raises an {@link ArithmeticException} that names the
 * counts, which the evaluator reports with the accumulator's name.
 */
final class ConfusionMatrix {

    private final long[][] counts;

    private ConfusionMatrix(long[][] counts) {
        this.counts = counts;
    }

    /**
     * Returns a matrix of zeros.
     *
     * @param numClasses the number of classes C
     * @return the empty matrix
     */
    static ConfusionMatrix empty(int numClasses) {
        return new ConfusionMatrix(new long[numClasses][numClasses]);
    }

    /**
     * Counts the labelled pixels of a batch.
     *
     * @param pixels the pixels' true and predicted classes, all in {@code [0, C)} where labelled
     * @param numClasses the number of classes C
     * @return the batch's matrix
     */
    static ConfusionMatrix of(PixelClasses pixels, int numClasses) {
        long[][] counts = new long[numClasses][numClasses];
        for (int i = 0; i < pixels.size(); i++) {
            if (pixels.isLabelled(i)) {
                counts[pixels.truth()[i]][pixels.predicted()[i]]++;
            }
        }
        return new ConfusionMatrix(counts);
    }

    /**
     * Wraps a copy of the given counts, after checking them.
     *
     * @param counts the counts, C×C and non-negative
     * @param numClasses the number of classes C
     * @return the matrix
     * @throws IllegalArgumentException if the counts are not C×C or one is negative
     */
    static ConfusionMatrix copyOf(long[][] counts, int numClasses) {
        if (counts == null || counts.length != numClasses) {
            throw new IllegalArgumentException(
                    "counts must be a "
                            + numClasses
                            + "×"
                            + numClasses
                            + " confusion matrix, got "
                            + (counts == null ? "null" : counts.length + " rows"));
        }
        long[][] copy = new long[numClasses][];
        long total = 0;
        for (int i = 0; i < numClasses; i++) {
            if (counts[i] == null || counts[i].length != numClasses) {
                throw new IllegalArgumentException(
                        "counts must be a "
                                + numClasses
                                + "×"
                                + numClasses
                                + " confusion matrix, got row "
                                + i
                                + " of "
                                + (counts[i] == null ? "null" : counts[i].length + " columns"));
            }
            for (int j = 0; j < numClasses; j++) {
                if (counts[i][j] < 0) {
                    throw new IllegalArgumentException(
                            "counts must be >= 0, got "
                                    + counts[i][j]
                                    + " at row "
                                    + i
                                    + ", column "
                                    + j);
                }
                if (counts[i][j] > Long.MAX_VALUE - total) {
                    throw new IllegalArgumentException(
                            "counts must total at most "
                                    + Long.MAX_VALUE
                                    + " pixels, got more by row "
                                    + i
                                    + ", column "
                                    + j
                                    + " ("
                                    + counts[i][j]
                                    + " after "
                                    + total
                                    + ")");
                }
                total += counts[i][j];
            }
            copy[i] = counts[i].clone();
        }
        return new ConfusionMatrix(copy);
    }

    /**
     * Adds two matrices of the same size.
     *
     * @param other the other matrix
     * @return the element-wise sum
     * @throws ArithmeticException naming the counts, if a count or the total of the sum exceeds
     *     {@link Long#MAX_VALUE}
     */
    ConfusionMatrix plus(ConfusionMatrix other) {
        long[][] sum = new long[counts.length][];
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            sum[i] = new long[counts.length];
            for (int j = 0; j < counts.length; j++) {
                long a = counts[i][j];
                long b = other.counts[i][j];
                if (b > Long.MAX_VALUE - a) {
                    throw new ArithmeticException(
                            "the pixels of true class "
                                    + i
                                    + " predicted as "
                                    + j
                                    + " would number "
                                    + a
                                    + " + "
                                    + b
                                    + ", more than a long holds ("
                                    + Long.MAX_VALUE
                                    + ")");
                }
                sum[i][j] = a + b;
                if (sum[i][j] > Long.MAX_VALUE - total) {
                    throw new ArithmeticException(
                            "the matrix would count more than "
                                    + Long.MAX_VALUE
                                    + " pixels in total (a long's limit), "
                                    + total
                                    + " before true class "
                                    + i
                                    + " predicted as "
                                    + j
                                    + " adds "
                                    + sum[i][j]);
                }
                total += sum[i][j];
            }
        }
        return new ConfusionMatrix(sum);
    }

    /**
     * Returns a copy of the counts.
     *
     * @return the C×C counts, rows = true class, columns = predicted class
     */
    long[][] toArray() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /**
     * Returns each class's intersection over union, \( \mathrm{IoU}_c = n_{cc} / (\sum_j n_{cj} +
     * \sum_i n_{ic} - n_{cc}) \), NaN where the union is empty (the class was neither labelled nor
     * predicted).
     *
     * @return the IoU of each class
     */
    double[] perClassIoU() {
        double[] iou = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            long union = -counts[c][c];
            for (int k = 0; k < counts.length; k++) {
                union += counts[c][k] + counts[k][c];
            }
            iou[c] = union == 0 ? Double.NaN : (double) counts[c][c] / union;
        }
        return iou;
    }

    /**
     * Returns the mean IoU over the classes with a non-empty union, NaN if there is none.
     *
     * @return the mean IoU
     */
    double meanIoU() {
        double sum = 0;
        int measured = 0;
        for (double iou : perClassIoU()) {
            if (!Double.isNaN(iou)) {
                sum += iou;
                measured++;
            }
        }
        return measured == 0 ? Double.NaN : sum / measured;
    }

    /** {@inheritDoc} Two matrices are equal when they hold the same counts. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ConfusionMatrix matrix && Arrays.deepEquals(counts, matrix.counts);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return Arrays.deepHashCode(counts);
    }
}
