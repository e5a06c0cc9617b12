package io.github.segloss.enginetest.fuzz;

/**
 * References of the metrics, from their Javadoc and mmsegmentation's / detectron2's definitions:
 * exact integer counts on the host, ratios in float64.
 */
public final class MetricReference {

    private MetricReference() {}

    /**
     * The predicted class of every pixel: the first largest logit over axis 1 of {@code (N, C, S)}
     * logits.
     *
     * @param logits the logits
     * @param n N
     * @param classes C
     * @return the classes, {@code (N, S)} in row-major order
     */
    static int[] argmax(double[] logits, int n, int classes) {
        int pixels = CrossEntropyReference.pixels(logits.length, n, classes);
        int[] predicted = new int[n * pixels];
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < pixels; s++) {
                int best = 0;
                for (int k = 1; k < classes; k++) {
                    if (logits[(b * classes + k) * pixels + s]
                            > logits[(b * classes + best) * pixels + s]) {
                        best = k;
                    }
                }
                predicted[b * pixels + s] = best;
            }
        }
        return predicted;
    }

    /**
     * The confusion matrix \( n_{ij} \) (true i, predicted j) of the labelled pixels.
     *
     * @param labels the labels
     * @param predicted the predicted classes, same order
     * @param classes C
     * @param ignore the ignore index
     * @return the C×C counts
     */
    static long[][] confusion(double[] labels, int[] predicted, int classes, int ignore) {
        long[][] counts = new long[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != ignore) {
                counts[(int) labels[i]][predicted[i]]++;
            }
        }
        return counts;
    }

    /**
     * Adds two confusion matrices.
     *
     * @param a one matrix
     * @param b the other
     * @return the sum
     */
    static long[][] plus(long[][] a, long[][] b) {
        long[][] sum = new long[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                sum[i][j] = a[i][j] + b[i][j];
            }
        }
        return sum;
    }

    /**
     * The IoU of each class, \( n_{cc} / (\sum_j n_{cj} + \sum_i n_{ic} - n_{cc}) \), NaN for an
     * empty union.
     *
     * @param counts the confusion matrix
     * @return the IoU per class
     */
    static double[] perClassIoU(long[][] counts) {
        int classes = counts.length;
        double[] iou = new double[classes];
        for (int c = 0; c < classes; c++) {
            long row = 0;
            long column = 0;
            for (int k = 0; k < classes; k++) {
                row += counts[c][k];
                column += counts[k][c];
            }
            long union = row + column - counts[c][c];
            iou[c] = union == 0 ? Double.NaN : (double) counts[c][c] / union;
        }
        return iou;
    }

    /**
     * The mean IoU over the classes with a non-empty union, NaN if none.
     *
     * @param counts the confusion matrix
     * @return the mean IoU
     */
    static double meanIoU(long[][] counts) {
        double sum = 0;
        int measured = 0;
        for (double iou : perClassIoU(counts)) {
            if (!Double.isNaN(iou)) {
                sum += iou;
                measured++;
            }
        }
        return measured == 0 ? Double.NaN : sum / measured;
    }

    /**
     * The correct and the labelled pixels.
     *
     * @param labels the labels
     * @param predicted the predicted classes
     * @param ignore the ignore index
     * @return {@code {correct, labelled}}
     */
    static long[] accuracyCounts(double[] labels, double[] predicted, int ignore) {
        long correct = 0;
        long labelled = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != ignore) {
                labelled++;
                if (labels[i] == predicted[i]) {
                    correct++;
                }
            }
        }
        return new long[] {correct, labelled};
    }

    /**
     * The correct (diagonal) and the labelled pixels of a confusion matrix.
     *
     * @param counts the confusion matrix
     * @return {@code {correct, labelled}}
     */
    static long[] accuracyCounts(long[][] counts) {
        long correct = 0;
        long labelled = 0;
        for (int i = 0; i < counts.length; i++) {
            correct += counts[i][i];
            for (long n : counts[i]) {
                labelled += n;
            }
        }
        return new long[] {correct, labelled};
    }

    /**
     * detectron2's mask counts: for RoI r the logits of channel \( k_r \) (0 when K = 1) against
     * the targets, predicted \( x > 0 \), true \( t > 0.5 \).
     *
     * @param logits (R, K, M, M)
     * @param classIds (R)
     * @param targets (R, M, M)
     * @param rois R
     * @param classes K
     * @param pixels \( M^2 \)
     * @return {@code {total, positives, false positives, false negatives}}
     */
    static long[] maskCounts(
            double[] logits,
            double[] classIds,
            double[] targets,
            int rois,
            int classes,
            int pixels) {
        long positives = 0;
        long falsePositives = 0;
        long falseNegatives = 0;
        for (int r = 0; r < rois; r++) {
            int k = classes == 1 ? 0 : (int) classIds[r];
            for (int p = 0; p < pixels; p++) {
                boolean predicted = logits[(r * classes + k) * pixels + p] > 0;
                boolean truth = targets[r * pixels + p] > 0.5;
                positives += truth ? 1 : 0;
                falsePositives += predicted && !truth ? 1 : 0;
                falseNegatives += !predicted && truth ? 1 : 0;
            }
        }
        return new long[] {(long) rois * pixels, positives, falsePositives, falseNegatives};
    }

    /**
     * The accuracy, false-positive and false-negative rates of mask counts: \( 1 - I/T \), \( FP /
     * \max(T - P, 1) \), \( FN / \max(P, 1) \), NaN for T = 0.
     *
     * @param counts {@code {T, P, FP, FN}}
     * @return {@code {accuracy, fpr, fnr}}
     */
    static double[] maskRatios(long[] counts) {
        long total = counts[0];
        if (total == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[] {
            1 - (double) (counts[2] + counts[3]) / total,
            (double) counts[2] / Math.max(total - counts[1], 1),
            (double) counts[3] / Math.max(counts[1], 1)
        };
    }
}
