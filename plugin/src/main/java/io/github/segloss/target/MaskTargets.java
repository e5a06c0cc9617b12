package io.github.segloss.target;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.Shapes;
import io.github.segloss.internal.ValueChecks;

/** Mask R-CNN mask targets: ground-truth masks cropped to each RoI and resized to m×m. */
public final class MaskTargets {

    private MaskTargets() {}

    /**
     * Projects ground-truth masks onto RoIs: for RoI r, the mask {@code gtMasks[matchedIdxs[r]]}
     * cropped to {@code boxes[r]} and resized to m×m by RoI Align (spatial scale 1, adaptive
     * sampling), \( T_r = \mathrm{RoIAlign}(G_{k_r}, \mathrm{box}_r) \).
     *
     * <p>{@code aligned = false} is torchvision's {@code project_masks_on_boxes}; {@code aligned =
     * true} is detectron2's {@code BitMasks.crop_and_resize} before its 0.5 threshold (apply {@code
     * gte(0.5)} to the result for detectron2's binary targets).
     *
     * @param gtMasks the ground-truth masks {@code (G, H, W)}, any numeric type (0/1 or soft)
     * @param boxes the RoIs {@code (R, 4)} as {@code x1, y1, x2, y2} in mask pixels
     * @param matchedIdxs {@code (R)}: the ground-truth mask in {@code [0, G)} of each RoI
     * @param m the output size
     * @param aligned whether to use the aligned (half-pixel) variant
     * @return the targets {@code (R, m, m)} as float32 (or the masks' float type), on the masks'
     *     device, clipped to [0, 1] (for masks in [0, 1] this only removes float rounding)
     * @throws IllegalArgumentException if a shape, an index, the size m or a box is invalid
     */
    public static NDArray project(
            NDArray gtMasks, NDArray boxes, NDArray matchedIdxs, int m, boolean aligned) {
        if (gtMasks.getShape().dimension() != 3) {
            throw new IllegalArgumentException(
                    "gtMasks must have shape (G, H, W), got " + gtMasks.getShape());
        }
        NDArray masks =
                gtMasks.getDataType().isFloating()
                        ? gtMasks
                        : gtMasks.toType(DataType.FLOAT32, false);
        if (boxes.getShape().dimension() != 2 || boxes.getShape().get(1) != 4) {
            throw new IllegalArgumentException(
                    "boxes must have shape (R, 4) as x1, y1, x2, y2, got " + boxes.getShape());
        }
        Shapes.requireShape(
                matchedIdxs,
                "matchedIdxs",
                new Shape(boxes.getShape().get(0)),
                "(R) with R from boxes");
        Shapes.requireNumeric(matchedIdxs, "matchedIdxs");
        ValueChecks.requireClassOrIgnore(
                matchedIdxs, "matchedIdxs", gtMasks.getShape().get(0), ValueChecks.NO_IGNORE);
        RoiAlign align = RoiAlign.builder().setOutputSize(m, m).optAligned(aligned).build();
        NDArray targets = align.apply(masks.expandDims(1), boxes, matchedIdxs);
        // The interpolation weights of a cell sum to 1 only up to float rounding: a cell inside a
        // 0/1 mask can read 1.0000001, which a mask loss would reject as a target above 1. Mask
        // targets lie in [0, 1], so the rounding is clipped away.
        return targets.reshape(new Shape(targets.getShape().get(0), m, m)).clip(0, 1);
    }
}
