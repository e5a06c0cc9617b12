package io.github.segloss.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.ClassIndexLabels;
import io.github.segloss.internal.Shapes;
import io.github.segloss.internal.ValueChecks;

/**
 * The true and the predicted class of every pixel of a batch, validated and copied to the host: the
 * label and prediction conventions shared by {@link MeanIoU} and {@link PixelAccuracy}.
 *
 * <p>Labels ({@code labels.head()}) are {@code (N, d1..dk)} or {@code (N, 1, d1..dk)}, of any
 * integer type or floats holding whole numbers, each a class in {@code [0, C)} or the ignore index.
 * Predictions ({@code predictions.head()}) are either
 *
 * <ul>
 *   <li>class ids of the labels' shape (integers or whole-number floats in {@code [0, C)}), or
 *   <li>floating-point logits {@code (N, C, d1..dk)}, read as their argmax over axis 1.
 * </ul>
 *
 * <p>Predictions of exactly the labels' shape are class ids; any other shape is read as logits.
 *
 * @param truth the label of each pixel, in row-major order
 * @param predicted the predicted class of each pixel, in the same order
 * @param ignoreIndex the label that marks pixels without a class
 */
record PixelClasses(int[] truth, int[] predicted, int ignoreIndex) {

    private static final int NO_IGNORE = ValueChecks.NO_IGNORE;

    /** Marks a number of classes that only the logits can tell. */
    static final int UNKNOWN_CLASSES = 0;

    /**
     * Validates a batch and copies its labels and predicted classes to the host, one copy each.
     *
     * @param labels the labels, {@code labels.head()} is read
     * @param predictions the predictions, {@code predictions.head()} is read
     * @param numClasses the number of classes C, or {@link #UNKNOWN_CLASSES} to take it from the
     *     logits (class ids are then only required to be whole numbers from 0 to below {@link
     *     Integer#MAX_VALUE})
     * @param ignoreIndex the label that marks pixels without a class
     * @return the pixels' true and predicted classes
     * @throws IllegalArgumentException naming the argument, the expected and the actual shape or
     *     value
     */
    static PixelClasses of(NDList labels, NDList predictions, int numClasses, int ignoreIndex) {
        NDArray label = labels.head();
        NDArray prediction = predictions.head();
        boolean classIds = prediction.getShape().equals(label.getShape());
        if (classIds) {
            long classes = numClasses == UNKNOWN_CLASSES ? Integer.MAX_VALUE : numClasses;
            Shapes.requireNumeric(label, "labels");
            Shapes.requireNumeric(prediction, "predictions");
            int[] truth = hostClasses(label, classes, ignoreIndex);
            int[] predicted = truth == null ? null : hostClasses(prediction, classes, NO_IGNORE);
            if (predicted != null) {
                return new PixelClasses(truth, predicted, ignoreIndex);
            }
            ValueChecks.requireClassOrIgnore(label, "labels", classes, ignoreIndex);
            try {
                ValueChecks.requireClassOrIgnore(
                        prediction, "predictions", classes, ValueChecks.NO_IGNORE);
            } catch (IllegalArgumentException e) {
                // bad class ids, or logits beside one-hot labels: blame the right argument
                requireNotOneHot(label, prediction, numClasses);
                throw e;
            }
        } else {
            requireLogits(prediction, label, numClasses);
            ClassIndexLabels.requireValid(label, prediction, ignoreIndex);
        }
        if (label.size() == 0) {
            return new PixelClasses(new int[0], new int[0], ignoreIndex);
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray ids = classIds ? prediction : prediction.argMax(1);
            int[] truth = label.toType(DataType.INT32, false).toIntArray();
            int[] predicted = ids.toType(DataType.INT32, false).toIntArray();
            return new PixelClasses(truth, predicted, ignoreIndex);
        }
    }

    /**
     * Integer class ids copied to the host and checked there, in one copy and one pass: the fast
     * path of good input, which spares the engine's widening copy, its two reductions and their
     * scalar copies. Values that fail (and floats, whose whole-number test stays on the engine)
     * give null, and the caller's engine checks then word the message.
     *
     * @param ids the class ids, of any type
     * @param classes the number of classes; values must be in {@code [0, classes)}
     * @param ignoreIndex a further accepted value, or {@link ValueChecks#NO_IGNORE}
     * @return the values, or null if they are not int8, uint8, int32 or int64 or one is out of
     *     range
     */
    private static int[] hostClasses(NDArray ids, long classes, int ignoreIndex) {
        DataType type = ids.getDataType();
        if (type != DataType.INT32
                && type != DataType.INT64
                && type != DataType.UINT8
                && type != DataType.INT8) {
            return null; // floats, and types whose values an int may not hold
        }
        if (type == DataType.INT64) {
            long[] wide = ids.toLongArray();
            int[] values = new int[wide.length];
            for (int i = 0; i < wide.length; i++) {
                long value = wide[i];
                if ((value < 0 || value >= classes)
                        && (ignoreIndex == NO_IGNORE || value != ignoreIndex)) {
                    return null;
                }
                values[i] = (int) value;
            }
            return values;
        }
        int[] values;
        if (type == DataType.INT32) {
            values = ids.toIntArray();
        } else {
            try (NDArray narrow = ids.toType(DataType.INT32, false)) {
                values = narrow.toIntArray();
            }
        }
        for (int value : values) {
            if ((value < 0 || value >= classes)
                    && (ignoreIndex == NO_IGNORE || value != ignoreIndex)) {
                return null;
            }
        }
        return values;
    }

    /**
     * Labels of the predictions' shape are class ids compared with predicted class ids. When such
     * predictions fail their check, are float maps {@code (N, C, d1..dk)} (logits) and the labels
     * are one-hot along axis 1 (0 or 1, one 1 per pixel), the labels are at fault, and the message
     * says so instead of blaming the predictions. Called only once the predictions have failed, so
     * good input pays nothing for it.
     */
    private static void requireNotOneHot(NDArray labels, NDArray predictions, int numClasses) {
        Shape shape = predictions.getShape();
        if (!predictions.getDataType().isFloating()
                || shape.dimension() < 3
                || shape.get(1) < 2
                || (numClasses != UNKNOWN_CLASSES && shape.get(1) != numClasses)
                || !isOneHot(labels)) {
            return;
        }
        throw new IllegalArgumentException(
                "labels must be class ids (N, d1..dk) for logits (N, C, d1..dk), got one-hot"
                        + " labels of the logits' shape "
                        + shape
                        + ": pass labels.argMax(1) (class ids), or class ids of the labels' shape"
                        + " as predictions");
    }

    /** Whether every value is 0 or 1 with exactly one 1 along axis 1. */
    private static boolean isOneHot(NDArray labels) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray values = labels.toType(DataType.FLOAT32, false);
            boolean binary = values.eq(0).logicalOr(values.eq(1)).all().getBoolean();
            return binary && values.sum(new int[] {1}).eq(1).all().getBoolean();
        }
    }

    private static void requireLogits(NDArray logits, NDArray labels, int numClasses) {
        Shape shape = logits.getShape();
        if (!logits.getDataType().isFloating() || shape.dimension() < 2) {
            throw new IllegalArgumentException(
                    "predictions must be class ids of the labels' shape "
                            + labels.getShape()
                            + " or floating-point logits (N, C, d1..dk), got "
                            + logits.getDataType()
                            + " "
                            + shape);
        }
        if (numClasses != UNKNOWN_CLASSES && shape.get(1) != numClasses) {
            // the labels' shape is named too: class ids of a shape other than the labels' land here
            throw new IllegalArgumentException(
                    "predictions must be class ids of the labels' shape "
                            + labels.getShape()
                            + " or logits (N, C, d1..dk) with C = numClasses = "
                            + numClasses
                            + ", got "
                            + shape);
        }
    }

    /**
     * Returns the number of pixels, ignored ones included.
     *
     * @return the pixel count
     */
    int size() {
        return truth.length;
    }

    /**
     * Tells whether pixel {@code i} has a class (its label is not the ignore index).
     *
     * @param i the pixel's position
     * @return true if the pixel counts
     */
    boolean isLabelled(int i) {
        return truth[i] != ignoreIndex;
    }
}
