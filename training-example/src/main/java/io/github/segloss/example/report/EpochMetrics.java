package io.github.segloss.example.report;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One epoch's numbers, as {@link MetricsCsv} and {@link LossCurve} report them. The record is
 * immutable: the map and the array are copied in and the array is copied out. NaN is allowed
 * everywhere (a class never labelled nor predicted has IoU NaN; a run without validation has NaN
 * validation numbers). Two instances are equal when all their numbers are, NaN equal to NaN.
 *
 * <p>A task may report further validation numbers in {@code extraMetrics}, by their {@code
 * metrics.csv} column name (the mask task's {@code mask_ap}, {@code mask_ap50}, {@code mask_ap75}
 * and {@code boundary_iou}).
 *
 * @param epoch the epoch number, at least 0
 * @param trainLoss the mean training losses by name in insertion order, the total first (for
 *     example "loss", "main", "aux")
 * @param validationLoss the mean validation loss
 * @param meanIoU the validation mean IoU, in [0, 1]
 * @param pixelAccuracy the validation pixel accuracy, in [0, 1]
 * @param perClassIoU the validation IoU of each class, by class id
 * @param seconds the epoch's wall-clock time in seconds
 * @param imagesPerSecond the training throughput
 * @param extraMetrics the task's further validation numbers by column name, in insertion order
 */
public record EpochMetrics(
        int epoch,
        Map<String, Double> trainLoss,
        double validationLoss,
        double meanIoU,
        double pixelAccuracy,
        double[] perClassIoU,
        double seconds,
        double imagesPerSecond,
        Map<String, Double> extraMetrics) {

    /**
     * Creates an epoch's numbers without further validation numbers.
     *
     * @param epoch the epoch number, at least 0
     * @param trainLoss the mean training losses by name in insertion order, the total first
     * @param validationLoss the mean validation loss
     * @param meanIoU the validation mean IoU
     * @param pixelAccuracy the validation pixel accuracy
     * @param perClassIoU the validation IoU of each class, by class id
     * @param seconds the epoch's wall-clock time in seconds
     * @param imagesPerSecond the training throughput
     * @throws IllegalArgumentException as the canonical constructor
     * @throws NullPointerException as the canonical constructor
     */
    public EpochMetrics(
            int epoch,
            Map<String, Double> trainLoss,
            double validationLoss,
            double meanIoU,
            double pixelAccuracy,
            double[] perClassIoU,
            double seconds,
            double imagesPerSecond) {
        this(
                epoch,
                trainLoss,
                validationLoss,
                meanIoU,
                pixelAccuracy,
                perClassIoU,
                seconds,
                imagesPerSecond,
                Map.of());
    }

    /**
     * Checks and copies the components.
     *
     * @param epoch the epoch number, at least 0
     * @param trainLoss the mean training losses by name in insertion order, the total first
     * @param validationLoss the mean validation loss
     * @param meanIoU the validation mean IoU
     * @param pixelAccuracy the validation pixel accuracy
     * @param perClassIoU the validation IoU of each class, by class id
     * @param seconds the epoch's wall-clock time in seconds
     * @param imagesPerSecond the training throughput
     * @param extraMetrics the task's further validation numbers by column name, in insertion order
     * @throws IllegalArgumentException if epoch is negative, or a loss or extra metric name is
     *     blank or holds a line break
     * @throws NullPointerException if trainLoss, extraMetrics, one of their keys or values, or
     *     perClassIoU is null
     */
    public EpochMetrics {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        Objects.requireNonNull(trainLoss, "trainLoss");
        Objects.requireNonNull(perClassIoU, "perClassIoU");
        trainLoss = checkedCopy(trainLoss, "trainLoss");
        extraMetrics = checkedCopy(extraMetrics, "extraMetrics");
        perClassIoU = perClassIoU.clone();
    }

    /** An unmodifiable copy of named numbers whose names are non-blank single lines. */
    private static Map<String, Double> checkedCopy(Map<String, Double> values, String what) {
        Objects.requireNonNull(values, what);
        Map<String, Double> copy = new LinkedHashMap<>();
        values.forEach(
                (name, value) -> {
                    Objects.requireNonNull(name, what + " key");
                    Objects.requireNonNull(value, what + "[" + name + "]");
                    if (name.isBlank() || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
                        throw new IllegalArgumentException(
                                what
                                        + " keys must be non-blank single-line names, got \""
                                        + name
                                        + "\"");
                    }
                    copy.put(name, value);
                });
        return Collections.unmodifiableMap(copy);
    }

    /**
     * The validation IoU of each class, by class id.
     *
     * @return a copy of the per-class IoU
     */
    @Override
    public double[] perClassIoU() {
        return perClassIoU.clone();
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object other) {
        return other instanceof EpochMetrics that
                && epoch == that.epoch
                && trainLoss.equals(that.trainLoss)
                && Double.compare(validationLoss, that.validationLoss) == 0
                && Double.compare(meanIoU, that.meanIoU) == 0
                && Double.compare(pixelAccuracy, that.pixelAccuracy) == 0
                && Arrays.equals(perClassIoU, that.perClassIoU)
                && Double.compare(seconds, that.seconds) == 0
                && Double.compare(imagesPerSecond, that.imagesPerSecond) == 0
                && extraMetrics.equals(that.extraMetrics);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return Objects.hash(
                                epoch,
                                trainLoss,
                                validationLoss,
                                meanIoU,
                                pixelAccuracy,
                                seconds,
                                imagesPerSecond,
                                extraMetrics)
                        * 31
                + Arrays.hashCode(perClassIoU);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "EpochMetrics[epoch="
                + epoch
                + ", trainLoss="
                + trainLoss
                + ", validationLoss="
                + validationLoss
                + ", meanIoU="
                + meanIoU
                + ", pixelAccuracy="
                + pixelAccuracy
                + ", perClassIoU="
                + Arrays.toString(perClassIoU)
                + ", seconds="
                + seconds
                + ", imagesPerSecond="
                + imagesPerSecond
                + ", extraMetrics="
                + extraMetrics
                + "]";
    }
}
