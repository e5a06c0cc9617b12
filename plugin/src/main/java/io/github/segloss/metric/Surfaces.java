package io.github.segloss.metric;

import io.github.segloss.internal.EuclideanTransform;
import java.util.Arrays;

/**
 * The surfaces of two masks of one image and the distances between them, as MONAI's {@code
 * get_mask_edges} and {@code get_surface_distance} (euclidean, without subvoxels) find them.
 *
 * <ul>
 *   <li>The surface of a mask is its pixels that scipy's {@code binary_erosion} (the cross of
 *       connectivity 1, the outside of the image counting as background) removes: a mask pixel with
 *       a neighbour along some axis that is outside the mask or outside the image. MONAI crops to
 *       the masks' bounding box with a margin of 1 first, which changes no edge and no distance
 *       between edges.
 *   <li>The distance of a surface pixel of A to the surface of B is the exact Euclidean distance,
 *       with the pixel spacing, to the nearest surface pixel of B ({@link EuclideanTransform},
 *       scipy's {@code distance_transform_edt}), rounded to float32 as MONAI returns it; +∞ for
 *       every pixel when B has no surface, and one +∞ per pixel of B when A has none (MONAI's
 *       {@code get_surface_distance}).
 * </ul>
 *
 * <p>One instance serves every mask of one shape and spacing (not concurrently): its buffers are
 * reused. The caller crops the masks to the bounding box of their union with a margin of 1 (clipped
 * to the image), as MONAI does: the surfaces and distances stay the same, the work shrinks.
 */
final class Surfaces {

    private final int[] shape;
    private final int[] strides;
    private final int size;
    private final EuclideanTransform transform;
    private final boolean[] notEdge;
    private final double[] distances;

    /**
     * Creates the workspace of one image shape and spacing.
     *
     * @param shape the image's spatial shape, every axis >= 1
     * @param spacing the spacing per axis, positive and finite
     */
    Surfaces(int[] shape, double[] spacing) {
        this.shape = shape.clone();
        this.strides = new int[shape.length];
        int stride = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            strides[axis] = stride;
            stride = Math.multiplyExact(stride, shape[axis]);
        }
        this.size = stride;
        this.transform = new EuclideanTransform(shape, spacing);
        this.notEdge = new boolean[size];
        this.distances = new double[size];
    }

    /**
     * Returns the number of pixels of an image.
     *
     * @return the size
     */
    int size() {
        return size;
    }

    /**
     * Finds the surface (edge pixels) of a mask.
     *
     * @param mask the mask, row-major (size {@link #size()})
     * @param edges where the surface goes: true for a surface pixel (size {@link #size()})
     * @return the number of surface pixels
     */
    int edges(boolean[] mask, boolean[] edges) {
        int count = 0;
        for (int i = 0; i < size; i++) {
            boolean edge = false;
            if (mask[i]) {
                int rest = i;
                for (int axis = 0; axis < shape.length && !edge; axis++) {
                    int stride = strides[axis];
                    int index = rest / stride;
                    rest -= index * stride;
                    edge =
                            index == 0
                                    || index == shape[axis] - 1
                                    || !mask[i - stride]
                                    || !mask[i + stride];
                }
            }
            edges[i] = edge;
            if (edge) {
                count++;
            }
        }
        return count;
    }

    /**
     * The distances of the surface pixels of A to the surface of B, in row-major order of A's
     * pixels, each rounded to float32.
     *
     * @param fromEdges the surface of A
     * @param fromCount its number of pixels
     * @param toEdges the surface of B
     * @param toCount its number of pixels
     * @return {@code fromCount} distances, all +∞ if B has no surface; when A has none and B has
     *     some, {@code toCount} times +∞, as MONAI's {@code get_surface_distance} returns (so a
     *     directed distance from a missing prediction is +∞, not NaN)
     */
    float[] distances(boolean[] fromEdges, int fromCount, boolean[] toEdges, int toCount) {
        if (toCount == 0 || fromCount == 0) {
            float[] out = new float[toCount == 0 ? fromCount : toCount];
            Arrays.fill(out, Float.POSITIVE_INFINITY);
            return out;
        }
        float[] out = new float[fromCount];
        for (int i = 0; i < size; i++) {
            notEdge[i] = !toEdges[i];
        }
        transform.transform(notEdge, 0, distances, 0);
        int k = 0;
        for (int i = 0; i < size; i++) {
            if (fromEdges[i]) {
                out[k++] = (float) distances[i];
            }
        }
        return out;
    }
}
