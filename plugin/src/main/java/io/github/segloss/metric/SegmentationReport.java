package io.github.segloss.metric;

import ai.djl.ndarray.NDList;
import java.util.Arrays;
import java.util.Locale;

/**
 * A per-class report of semantic segmentation: IoU, Dice (F1), precision and recall of every class,
 * with their macro, micro and frequency-weighted averages, from an accumulated C×C confusion matrix
 * of pixel counts (rows = true class, columns = predicted class).
 *
 * <p>With \( n_{ij} \) the labelled pixels of class \(i\) predicted as \(j\), class \(c\) has \(
 * TP_c = n_{cc} \), \( FP_c = \sum_i n_{ic} - n_{cc} \), \( FN_c = \sum_j n_{cj} - n_{cc} \), and
 *
 * <p>\( \mathrm{IoU}_c = \frac{TP_c}{TP_c + FP_c + FN_c} \), \( \mathrm{Dice}_c = \frac{2 TP_c}{2
 * TP_c + FP_c + FN_c} \), \( \mathrm{precision}_c = \frac{TP_c}{TP_c + FP_c} \), \(
 * \mathrm{recall}_c = \frac{TP_c}{TP_c + FN_c} \).
 *
 * <p>A class that is labelled but never predicted has precision 0, one that is predicted but never
 * labelled has recall 0 (scikit-learn's and torchmetrics' {@code zero_division=0}); a class absent
 * from both follows the {@link AbsentClassPolicy} (default {@link AbsentClassPolicy#EXCLUDED}). See
 * {@link Result} for the averages. A report of no labelled pixel at all is NaN throughout, whatever
 * the policy, as every segloss metric that has measured nothing.
 *
 * <p>The accumulator's value ({@link #getAccumulator}, what DJL's training log shows) is the macro
 * IoU under the policy; with {@link AbsentClassPolicy#EXCLUDED} it equals {@link MeanIoU}'s mean
 * IoU. {@link #getReport} gives the whole report of a key, {@link #getLastEpochReport} that of its
 * last finished epoch.
 *
 * <p>Labels and predictions are those of {@link MeanIoU}: labels {@code (N, d1..dk)} or {@code (N,
 * 1, d1..dk)}, each a class in {@code [0, C)} or the ignore index; predictions logits {@code (N, C,
 * d1..dk)} (argmax over axis 1) or class ids of the labels' shape. The counts are exact integers,
 * so a batch split across devices, and reports of several workers merged ({@link #merge}, {@link
 * #mergeConfusionMatrix}), give the numbers of all their pixels seen at once.
 *
 * <pre>{@code
 * SegmentationReport report = SegmentationReport.builder()
 *         .setNumClasses(21)
 *         .optIgnoreIndex(255)
 *         .optAbsentClassPolicy(AbsentClassPolicy.EXCLUDED)
 *         .build();
 * }</pre>
 */
public class SegmentationReport extends CountingEvaluator<ConfusionMatrix> {

    private final int numClasses;
    private final int ignoreIndex;
    private final AbsentClassPolicy absentClassPolicy;

    private SegmentationReport(Builder builder) {
        super(
                builder.name,
                ConfusionMatrix.empty(MeanIoU.requireClasses(builder.numClasses)),
                ConfusionMatrix::plus);
        this.numClasses = builder.numClasses;
        this.ignoreIndex = builder.ignoreIndex;
        this.absentClassPolicy = builder.absentClassPolicy;
    }

    /**
     * Returns a builder; {@link Builder#setNumClasses} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
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
     * Returns the policy for a class absent from both labels and predictions.
     *
     * @return the policy
     */
    public AbsentClassPolicy getAbsentClassPolicy() {
        return absentClassPolicy;
    }

    /**
     * Returns the report of the pixels accumulated under the key.
     *
     * @param key the accumulator's key
     * @return the report
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public Result getReport(String key) {
        return new Result(counts(key).toArray(), absentClassPolicy);
    }

    /**
     * Returns the report of the key's last finished epoch (see {@link #getLastEpochAccumulator}):
     * after {@code EasyTrain.fit}, {@code getLastEpochReport("validate/epoch")} is the last epoch's
     * validation report, although DJL's training listener has reset the key.
     *
     * @param key the accumulator's key
     * @return the report (NaN throughout if the key was never reset after counting)
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public Result getLastEpochReport(String key) {
        return new Result(lastEpochCounts(key).toArray(), absentClassPolicy);
    }

    /**
     * Returns a copy of the accumulated confusion matrix, e.g. to send it to another worker.
     *
     * @param key the accumulator's key
     * @return C×C counts, {@code [trueClass][predictedClass]}
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public long[][] getConfusionMatrix(String key) {
        return counts(key).toArray();
    }

    /**
     * Adds a confusion matrix to the accumulator of the key, e.g. that of another worker or process
     * ({@link #getConfusionMatrix}): the report of the sum is that of all their pixels.
     *
     * @param key the accumulator's key
     * @param counts C×C non-negative counts, {@code [trueClass][predictedClass]}
     * @throws IllegalArgumentException if the key has no accumulator, the counts are not C×C, one
     *     is negative, or the sum would exceed a long
     */
    public void mergeConfusionMatrix(String key, long[][] counts) {
        add(key, ConfusionMatrix.copyOf(counts, numClasses));
    }

    /**
     * Adds the pixels another report has accumulated under {@code otherKey} to the accumulator of
     * {@code key}, e.g. those of another device's or worker's evaluator: the result is the report
     * of all their pixels, as if one evaluator had seen them all. The other report is not changed.
     *
     * @param key this report's accumulator
     * @param other the other report, of the same number of classes (it may be this one)
     * @param otherKey the other report's accumulator
     * @throws IllegalArgumentException if either key has no accumulator, or the other report counts
     *     another number of classes
     */
    public void merge(String key, SegmentationReport other, String otherKey) {
        if (other.numClasses != numClasses) {
            throw new IllegalArgumentException(
                    "other must count numClasses = "
                            + numClasses
                            + " like "
                            + getName()
                            + ", got "
                            + other.getName()
                            + " with numClasses = "
                            + other.numClasses);
        }
        add(key, other.counts(otherKey));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The macro IoU under the absent-class policy, NaN if no pixel was labelled.
     */
    @Override
    float value(ConfusionMatrix counts) {
        return (float) new Result(counts.toArray(), absentClassPolicy).getMacro().iou();
    }

    /** {@inheritDoc} */
    @Override
    ConfusionMatrix count(NDList labels, NDList predictions) {
        return ConfusionMatrix.of(
                PixelClasses.of(labels, predictions, numClasses, ignoreIndex), numClasses);
    }

    /**
     * The four scores averaged one way.
     *
     * @param iou the IoU (Jaccard index)
     * @param dice the Dice coefficient (F1 score)
     * @param precision the precision
     * @param recall the recall
     */
    public record Averages(double iou, double dice, double precision, double recall) {}

    /**
     * The report of a confusion matrix: per-class scores, their averages, the counts and the
     * matrix, all computed in double precision from the exact counts.
     *
     * <ul>
     *   <li><b>macro</b>: the mean of the per-class scores; under {@link AbsentClassPolicy#NAN} NaN
     *       if a class is absent from labels and predictions, under {@link
     *       AbsentClassPolicy#EXCLUDED} the mean over the other classes (NaN if there is none),
     *       under {@link AbsentClassPolicy#ONE} the absent classes count as 1;
     *   <li><b>micro</b>: the scores of the summed \(TP\), \(FP\), \(FN\) of all classes; in
     *       single-label segmentation \( \sum FP = \sum FN \) = the wrong pixels, so micro
     *       precision, recall and Dice all equal the pixel accuracy, and micro IoU is \( TP / (TP +
     *       2 \cdot wrong) \);
     *   <li><b>frequency-weighted</b>: \( \sum_c \frac{s_c}{\sum_k s_k} m_c \) with \(s_c\) the
     *       labelled pixels of class \(c\) (its support): FCN's frequency-weighted IoU,
     *       scikit-learn's {@code average="weighted"}; absent classes weigh 0, so the policy does
     *       not matter.
     * </ul>
     *
     * <p>Two results are equal when they have the same confusion matrix and policy, hence the same
     * numbers.
     */
    public static final class Result {

        private final long[][] matrix;
        private final AbsentClassPolicy policy;
        private final long[] truePositives;
        private final long[] support;
        private final long[] predicted;
        private final long labelled;
        private final double[] iou;
        private final double[] dice;
        private final double[] precision;
        private final double[] recall;

        /**
         * Computes the report of a confusion matrix.
         *
         * @param matrix C×C counts, owned by the result
         * @param policy the absent-class policy
         */
        private Result(long[][] matrix, AbsentClassPolicy policy) {
            int classes = matrix.length;
            this.matrix = matrix;
            this.policy = policy;
            truePositives = new long[classes];
            support = new long[classes];
            predicted = new long[classes];
            long total = 0;
            for (int i = 0; i < classes; i++) {
                truePositives[i] = matrix[i][i];
                for (int j = 0; j < classes; j++) {
                    support[i] += matrix[i][j];
                    predicted[j] += matrix[i][j];
                    total += matrix[i][j];
                }
            }
            labelled = total;
            iou = new double[classes];
            dice = new double[classes];
            precision = new double[classes];
            recall = new double[classes];
            for (int c = 0; c < classes; c++) {
                long tp = truePositives[c];
                long fp = predicted[c] - tp;
                long fn = support[c] - tp;
                if (labelled == 0 || isAbsentClass(c)) {
                    double value =
                            labelled > 0 && policy == AbsentClassPolicy.ONE ? 1.0 : Double.NaN;
                    iou[c] = value;
                    dice[c] = value;
                    precision[c] = value;
                    recall[c] = value;
                } else {
                    iou[c] = ratio(tp, tp + fp + fn);
                    dice[c] = ratio(2.0 * tp, 2.0 * tp + fp + fn);
                    precision[c] = ratio(tp, tp + fp);
                    recall[c] = ratio(tp, tp + fn);
                }
            }
        }

        /**
         * \(a / b\), 0 for \(0 / 0\) (a class of the report that was never predicted or labelled).
         */
        private static double ratio(double numerator, double denominator) {
            return denominator == 0 ? 0.0 : numerator / denominator;
        }

        /**
         * Returns the number of classes C.
         *
         * @return C
         */
        public int getNumClasses() {
            return matrix.length;
        }

        /**
         * Returns the policy that gave the values of absent classes.
         *
         * @return the policy
         */
        public AbsentClassPolicy getAbsentClassPolicy() {
            return policy;
        }

        /**
         * Returns a copy of the confusion matrix.
         *
         * @return C×C counts, {@code [trueClass][predictedClass]}
         */
        public long[][] getConfusionMatrix() {
            long[][] copy = new long[matrix.length][];
            for (int i = 0; i < matrix.length; i++) {
                copy[i] = matrix[i].clone();
            }
            return copy;
        }

        /**
         * Returns the number of labelled pixels counted (the ignored ones are not).
         *
         * @return the sum of the matrix
         */
        public long getLabelledPixels() {
            return labelled;
        }

        /**
         * Returns each class's true positives \( n_{cc} \).
         *
         * @return C counts
         */
        public long[] getTruePositives() {
            return truePositives.clone();
        }

        /**
         * Returns each class's support: its labelled pixels, \( TP_c + FN_c \) (row sums).
         *
         * @return C counts
         */
        public long[] getSupport() {
            return support.clone();
        }

        /**
         * Returns the pixels predicted as each class, \( TP_c + FP_c \) (column sums).
         *
         * @return C counts
         */
        public long[] getPredictedPixels() {
            return predicted.clone();
        }

        /**
         * Tells whether a class is absent from both labels and predictions, so that its values
         * follow the {@link AbsentClassPolicy}.
         *
         * @param c the class
         * @return true if no pixel of the class was labelled or predicted
         * @throws IllegalArgumentException if c is not in {@code [0, C)}
         */
        public boolean isAbsent(int c) {
            if (c < 0 || c >= matrix.length) {
                throw new IllegalArgumentException(
                        "c must be a class in [0, " + matrix.length + "), got " + c);
            }
            return isAbsentClass(c);
        }

        private boolean isAbsentClass(int c) {
            return support[c] == 0 && predicted[c] == 0;
        }

        /**
         * Returns each class's IoU (Jaccard index).
         *
         * @return C values
         */
        public double[] getIoU() {
            return iou.clone();
        }

        /**
         * Returns each class's Dice coefficient, equal to its F1 score.
         *
         * @return C values
         */
        public double[] getDice() {
            return dice.clone();
        }

        /**
         * Returns each class's precision, 0 for a labelled class that was never predicted.
         *
         * @return C values
         */
        public double[] getPrecision() {
            return precision.clone();
        }

        /**
         * Returns each class's recall, 0 for a predicted class that was never labelled.
         *
         * @return C values
         */
        public double[] getRecall() {
            return recall.clone();
        }

        /**
         * Returns the macro averages: the means of the per-class values, absent classes treated by
         * the policy.
         *
         * @return the averages, NaN if no pixel was labelled
         */
        public Averages getMacro() {
            return new Averages(macro(iou), macro(dice), macro(precision), macro(recall));
        }

        private double macro(double[] values) {
            double sum = 0;
            int counted = 0;
            for (int c = 0; c < values.length; c++) {
                if (policy != AbsentClassPolicy.EXCLUDED || !isAbsentClass(c)) {
                    sum += values[c];
                    counted++;
                }
            }
            return labelled == 0 || counted == 0 ? Double.NaN : sum / counted;
        }

        /**
         * Returns the micro averages: the scores of the true positives, false positives and false
         * negatives summed over the classes.
         *
         * @return the averages, NaN if no pixel was labelled
         */
        public Averages getMicro() {
            if (labelled == 0) {
                return new Averages(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            long tp = 0;
            for (long t : truePositives) {
                tp += t;
            }
            // every labelled pixel is one class's true positive or false negative, and each
            // predicted (labelled) pixel one class's true or false positive
            long wrong = labelled - tp;
            double accuracy = (double) tp / labelled;
            return new Averages((double) tp / (tp + 2.0 * wrong), accuracy, accuracy, accuracy);
        }

        /**
         * Returns the frequency-weighted averages: the per-class values weighted by each class's
         * share of the labelled pixels.
         *
         * @return the averages, NaN if no pixel was labelled
         */
        public Averages getFrequencyWeighted() {
            return new Averages(
                    weighted(iou), weighted(dice), weighted(precision), weighted(recall));
        }

        private double weighted(double[] values) {
            if (labelled == 0) {
                return Double.NaN;
            }
            double sum = 0;
            for (int c = 0; c < values.length; c++) {
                if (support[c] > 0) {
                    sum += (double) support[c] / labelled * values[c];
                }
            }
            return sum;
        }

        /** {@inheritDoc} Two results are equal when their matrices and policies are. */
        @Override
        public boolean equals(Object other) {
            return other instanceof Result result
                    && policy == result.policy
                    && Arrays.deepEquals(matrix, result.matrix);
        }

        /** {@inheritDoc} */
        @Override
        public int hashCode() {
            return 31 * policy.hashCode() + Arrays.deepHashCode(matrix);
        }

        /** {@inheritDoc} The averages and the labelled pixels, for logs. */
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "SegmentationReport.Result[classes=%d, labelled=%d, policy=%s, macro=%s,"
                            + " micro=%s, frequencyWeighted=%s]",
                    matrix.length,
                    labelled,
                    policy,
                    getMacro(),
                    getMicro(),
                    getFrequencyWeighted());
        }
    }

    /** Builds a {@link SegmentationReport}. */
    public static final class Builder {

        private String name = "SegmentationReport";
        private Integer numClasses;
        private int ignoreIndex = MeanIoU.DEFAULT_IGNORE_INDEX;
        private AbsentClassPolicy absentClassPolicy = AbsentClassPolicy.EXCLUDED;

        private Builder() {}

        /**
         * Sets the number of classes C (required).
         *
         * @param numClasses C, at least 1
         * @return this builder
         */
        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /**
         * Sets the label that marks pixels without a class (default 255); a value inside {@code [0,
         * C)} leaves that class's pixels uncounted.
         *
         * @param ignoreIndex the ignore index
         * @return this builder
         */
        public Builder optIgnoreIndex(int ignoreIndex) {
            this.ignoreIndex = ignoreIndex;
            return this;
        }

        /**
         * Sets the policy for a class absent from both labels and predictions (default {@link
         * AbsentClassPolicy#EXCLUDED}).
         *
         * @param absentClassPolicy the policy
         * @return this builder
         * @throws IllegalArgumentException if the policy is null
         */
        public Builder optAbsentClassPolicy(AbsentClassPolicy absentClassPolicy) {
            if (absentClassPolicy == null) {
                throw new IllegalArgumentException(
                        "absentClassPolicy must be one of NAN, EXCLUDED, ONE, got null");
            }
            this.absentClassPolicy = absentClassPolicy;
            return this;
        }

        /**
         * Sets the name that training logs show (default "SegmentationReport").
         *
         * @param name the name
         * @return this builder
         * @throws IllegalArgumentException if the name is null or blank
         */
        public Builder optName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(
                        "name must be a non-blank evaluator name, got "
                                + (name == null ? "null" : "\"" + name + "\""));
            }
            this.name = name;
            return this;
        }

        /**
         * Builds the report.
         *
         * @return the evaluator
         * @throws IllegalArgumentException if the number of classes was not set or is below 1, or
         *     its C×C matrix of longs needs more than a quarter of the JVM's maximum heap
         */
        public SegmentationReport build() {
            if (numClasses == null) {
                throw new IllegalArgumentException(
                        "numClasses must be set with setNumClasses(C), C >= 1, got none");
            }
            return new SegmentationReport(this);
        }
    }
}
