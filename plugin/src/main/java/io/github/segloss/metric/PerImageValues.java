package io.github.segloss.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The per-class values of every image evaluated so far, in order: the state of the surface metrics.
 * Two states add by concatenation, so the images of several batches, devices or workers give the
 * state of all of them, and every number read from it is computed from all the rows. Immutable;
 * compares by content.
 */
final class PerImageValues {

    private static final PerImageValues EMPTY = new PerImageValues(List.of());

    private final List<double[]> rows;

    private PerImageValues(List<double[]> rows) {
        this.rows = rows;
    }

    /**
     * Returns the state of no image.
     *
     * @return the empty state
     */
    static PerImageValues empty() {
        return EMPTY;
    }

    /**
     * Returns the state of some images.
     *
     * @param rows one row of per-class values per image (copied)
     * @return the state
     */
    static PerImageValues of(double[][] rows) {
        List<double[]> copy = new ArrayList<>(rows.length);
        for (double[] row : rows) {
            copy.add(row.clone());
        }
        return new PerImageValues(Collections.unmodifiableList(copy));
    }

    /**
     * Returns the rows of this state followed by those of another.
     *
     * @param other the other state
     * @return the sum
     */
    PerImageValues plus(PerImageValues other) {
        if (other.rows.isEmpty()) {
            return this;
        }
        if (rows.isEmpty()) {
            return other;
        }
        List<double[]> sum = new ArrayList<>(rows.size() + other.rows.size());
        sum.addAll(rows);
        sum.addAll(other.rows);
        return new PerImageValues(Collections.unmodifiableList(sum));
    }

    /**
     * Returns a copy of the rows.
     *
     * @return one row of per-class values per image
     */
    double[][] toArray() {
        double[][] copy = new double[rows.size()][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = rows.get(i).clone();
        }
        return copy;
    }

    /**
     * MONAI's {@code "mean"} reduction: the mean over the classes of each image that are not NaN,
     * then the mean over the images that have one. Infinite values stay (the result is then
     * infinite).
     *
     * @return the mean, NaN if every value is NaN or there is no image (MONAI gives 0 there)
     */
    double mean() {
        double sum = 0;
        int images = 0;
        for (double[] row : rows) {
            double rowSum = 0;
            int count = 0;
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    rowSum += v;
                    count++;
                }
            }
            if (count > 0) {
                sum += rowSum / count;
                images++;
            }
        }
        return images == 0 ? Double.NaN : sum / images;
    }

    /**
     * MONAI's {@code "mean_batch"} reduction: per class, the mean over the images of its values
     * that are not NaN.
     *
     * @param classes the number of values per row
     * @return one mean per class, NaN for a class without a value (MONAI gives 0 there)
     */
    double[] meanPerClass(int classes) {
        double[] sum = new double[classes];
        int[] count = new int[classes];
        for (double[] row : rows) {
            for (int c = 0; c < classes; c++) {
                if (!Double.isNaN(row[c])) {
                    sum[c] += row[c];
                    count[c]++;
                }
            }
        }
        double[] mean = new double[classes];
        for (int c = 0; c < classes; c++) {
            mean[c] = count[c] == 0 ? Double.NaN : sum[c] / count[c];
        }
        return mean;
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PerImageValues other) || other.rows.size() != rows.size()) {
            return false;
        }
        for (int i = 0; i < rows.size(); i++) {
            if (!Arrays.equals(rows.get(i), other.rows.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        int hash = 1;
        for (double[] row : rows) {
            hash = 31 * hash + Arrays.hashCode(row);
        }
        return hash;
    }
}
