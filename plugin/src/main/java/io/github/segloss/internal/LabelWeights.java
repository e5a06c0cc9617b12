package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;

/**
 * Integer class-index labels turned into each pixel's weight by one table lookup, for the
 * cross-entropy: the fewest operator calls per pixel that DJL allows.
 *
 * <p>The table covers every label value from \( \min(0, \mathit{ignore}) \) to \( \max(C - 1,
 * \mathit{ignore}) \): a class reads its weight (1 without class weights), the ignore index reads 0
 * and every other value NaN. One {@code take} then gives the weight \( v_i w_{y_i} \) of each pixel
 * (0 where ignored), and the labels clipped to \( [0, C) \) serve as the pick index (an ignored
 * pixel picks some class with weight 0). A label outside the table is found by the labels' minimum
 * and maximum (two scalar copies), one inside it but neither a class nor the ignore index by a NaN
 * sum of the weights (the loss's denominator, one scalar copy); either way the detailed check of
 * {@link ValueChecks} words the error. Compared with {@link ClassIndexLabels} plus a weight lookup
 * this saves about ten operator calls on {@code (N, 1, d1..dk)} arrays.
 *
 * <p>{@link #of} returns {@code null} where the lookup does not apply: float labels (which must be
 * checked for whole numbers), an empty batch, or an ignore index so far from the classes that the
 * table would exceed {@value #MAX_TABLE} entries.
 *
 * @param weight each pixel's weight {@code (N, 1, d1..dk)} in the logits' type, 0 where ignored
 * @param index the pick index {@code (N, 1, d1..dk)}, int64 in {@code [0, C)}
 * @param weightSum the sum of the weights, 0-d: the cross-entropy's denominator
 */
public record LabelWeights(NDArray weight, NDArray index, NDArray weightSum) {

    /** The largest lookup table. */
    static final int MAX_TABLE = 1 << 16;

    /**
     * Builds the lookup for labels against logits, or returns {@code null} where it does not apply.
     *
     * @param labels the labels, {@code (N, d1..dk)} or {@code (N, 1, d1..dk)}
     * @param logits the logits {@code (N, C, d1..dk)}
     * @param ignoreIndex the ignore label
     * @param classWeights one weight per class, or {@code null} for 1
     * @return the weights and pick index, or {@code null}
     * @throws IllegalArgumentException if the shape does not match or a label is out of the table
     */
    public static LabelWeights of(
            NDArray labels, NDArray logits, int ignoreIndex, float[] classWeights) {
        return SharedLabels.get(
                LabelWeights.class,
                labels,
                logits,
                ignoreIndex,
                classWeights,
                () -> compute(labels, logits, ignoreIndex, classWeights),
                result ->
                        result == null
                                ? List.of()
                                : List.of(result.weight(), result.index(), result.weightSum()));
    }

    private static LabelWeights compute(
            NDArray labels, NDArray logits, int ignoreIndex, float[] classWeights) {
        ClassIndexLabels.requireShape(labels, logits);
        int classes = Math.toIntExact(logits.getShape().get(1));
        long low = Math.min(0L, ignoreIndex);
        long high = Math.max(classes - 1L, ignoreIndex);
        if (labels.getDataType().isFloating()
                || labels.size() == 0
                || classes == 0
                || ignoreIndex == ValueChecks.NO_IGNORE
                || high - low + 1 > MAX_TABLE) {
            return null;
        }
        float[] table = new float[Math.toIntExact(high - low + 1)];
        Arrays.fill(table, Float.NaN);
        for (int c = 0; c < classes; c++) {
            table[Math.toIntExact(c - low)] = classWeights == null ? 1f : classWeights[c];
        }
        table[Math.toIntExact(ignoreIndex - low)] = 0f;
        LabelWeights result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray values =
                    labels.toType(DataType.INT64, false)
                            .reshape(ClassIndexLabels.classAxisKept(logits.getShape()));
            NDArray offset = low == 0 ? values : values.sub(low);
            if (!ValueChecks.inBounds(offset, 0, table.length - 1)) {
                ValueChecks.requireClassOrIgnore(labels, "labels", classes, ignoreIndex);
            }
            NDArray weights =
                    logits.getManager()
                            .create(table)
                            .toDevice(logits.getDevice(), false)
                            .toType(logits.getDataType(), false);
            NDArray weight = weights.take(offset);
            NDArray weightSum = weight.sum();
            requireClasses(weightSum, labels, classes, ignoreIndex);
            NDArray index = values.clip(0, classes - 1);
            NDScope.unregister(weight, index, weightSum);
            result = new LabelWeights(weight, index, weightSum);
        }
        // the results belong to the caller's scope, if any (see ClassIndexLabels)
        NDScope.register(result.weight());
        NDScope.register(result.index());
        NDScope.register(result.weightSum());
        return result;
    }

    /**
     * Picks each pixel's value of its (clipped) class, {@code (N, 1, d1..dk)}, differentiable.
     *
     * @param perClass values per class, shaped like the logits
     * @return the picked values
     */
    public NDArray pick(NDArray perClass) {
        return perClass.get(new NDIndex().addAllDim().addPickDim(index));
    }

    /**
     * Throws the detailed error when the summed weights are NaN: some label inside the table was
     * neither a class nor the ignore index. Reads the sum to the host (one scalar copy).
     *
     * @param weightSum the sum of the weights, 0-d
     * @param labels the labels
     * @param classes the number of classes
     * @param ignoreIndex the ignore label
     * @throws IllegalArgumentException if a label is neither a class nor the ignore index
     */
    private static void requireClasses(
            NDArray weightSum, NDArray labels, long classes, int ignoreIndex) {
        double sum =
                weightSum.getDataType() == DataType.FLOAT32
                        ? weightSum.getFloat()
                        : weightSum.toType(DataType.FLOAT64, false).getDouble();
        if (Double.isNaN(sum)) {
            ValueChecks.requireClassOrIgnore(labels, "labels", classes, ignoreIndex);
        }
    }
}
