package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * The Lovász extension of the Jaccard loss (Berman et al., 2018), for many groups at once.
 *
 * <p>For each group \(g\) (a class, or an image and class) with errors \(e\) sorted in decreasing
 * order and the 0/1 foreground \(f\) in the same order, \( \mathrm{loss}_g = \sum_k e_{(k)}\,
 * \Delta J_k \) with \( J_k = 1 - \frac{F - \sum_{j \le k} f_{(j)}}{F + \sum_{j \le k} (1 -
 * f_{(j)})} \), \( F = \sum f \) and \( \Delta J_k = J_k - J_{k-1} \) (\( J_0 = 0 \)).
 *
 * <p>The sort is an {@code argSort} and a flat {@code take}, which both engines support and
 * differentiate. Elements to leave out must be given errors below every kept one (they are then
 * sorted last, where \( \Delta J = 0 \) once the group's foreground is exhausted, and must carry
 * \(f = 0\)).
 */
public final class LovaszExtension {

    private LovaszExtension() {}

    /**
     * Computes the loss of every group.
     *
     * @param errors the errors {@code (G, L)}; left-out elements must be below every kept one
     * @param foreground the 0/1 foreground {@code (G, L)}, 0 on left-out elements
     * @param hinge whether to apply {@code relu} to the sorted errors (Lovász hinge)
     * @return the loss per group, {@code (G)}
     */
    public static NDArray loss(NDArray errors, NDArray foreground, boolean hinge) {
        long groups = errors.getShape().get(0);
        long length = errors.getShape().get(1);
        NDArray offsets =
                errors.getManager()
                        .arange(0, groups * length, length, DataType.INT64)
                        .toDevice(errors.getDevice(), false)
                        .reshape(groups, 1);
        NDArray order = errors.argSort(1, false).toType(DataType.INT64, false).add(offsets);
        NDArray sortedErrors = errors.flatten().take(order);
        NDArray sortedForeground = foreground.flatten().take(order);

        NDArray total = sortedForeground.sum(new int[] {1}, true);
        NDArray intersection = total.sub(sortedForeground.cumSum(1));
        NDArray union = total.add(Scalars.sub(1, sortedForeground).cumSum(1));
        NDArray jaccard = Scalars.sub(1, intersection.div(union));
        NDArray delta =
                length > 1
                        ? NDArrays.concat(
                                new NDList(
                                        jaccard.get(":, :1"),
                                        jaccard.get(":, 1:").sub(jaccard.get(":, :-1"))),
                                1)
                        : jaccard;
        NDArray weighted = hinge ? Scalars.maximum(sortedErrors, 0) : sortedErrors;
        return weighted.mul(delta).sum(new int[] {1});
    }
}
