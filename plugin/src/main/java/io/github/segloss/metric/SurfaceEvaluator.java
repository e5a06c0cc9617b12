package io.github.segloss.metric;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.ValueChecks;
import java.util.Arrays;

/**
 * The shared part of {@link SurfaceDistance} and {@link SurfaceDice}: the inputs, the surfaces of
 * each class in each image ({@link Surfaces}), and the state, one row of per-class values per image
 * ({@link PerImageValues}), read as MONAI's reductions.
 *
 * <p>Labels ({@code labels.head()}) are class ids {@code (N, d1..dk)} or {@code (N, 1, d1..dk)};
 * predictions ({@code predictions.head()}) are class ids of the labels' shape or logits {@code (N,
 * C, d1..dk)}, read as their argmax, as {@link MeanIoU} takes them ({@code PixelClasses}). Class
 * {@code c} of an image is the binary mask {@code label == c} against {@code prediction == c}:
 * MONAI's one-hot channel {@code c}. The spatial axes are the last k: k is the length of the
 * spacing when one is set, else that of the logits' {@code d1..dk}, else the labels' axes after N
 * (after a unit axis 1 when the labels have three axes or more).
 */
abstract class SurfaceEvaluator extends CountingEvaluator<PerImageValues> {

    private final int numClasses;
    private final boolean includeBackground;
    private final double[] spacing;

    /**
     * Creates the evaluator.
     *
     * @param name the name that training logs show
     * @param numClasses the number of classes C
     * @param includeBackground whether class 0 is measured
     * @param spacing the pixel spacing per spatial axis, or null for 1 on every axis
     */
    SurfaceEvaluator(String name, int numClasses, boolean includeBackground, double[] spacing) {
        super(name, PerImageValues.empty(), PerImageValues::plus);
        this.numClasses = numClasses;
        this.includeBackground = includeBackground;
        this.spacing = spacing == null ? null : spacing.clone();
    }

    /**
     * The value of one class of one image from its surfaces' distances.
     *
     * @param predToLabel the distance of each surface pixel of the prediction to the label's
     *     surface (+∞ each when the label has no surface)
     * @param labelToPred the distance of each surface pixel of the label to the prediction's
     *     surface (+∞ each when the prediction has no surface)
     * @param c the class
     * @return the value, NaN when neither has a surface
     */
    abstract double value(float[] predToLabel, float[] labelToPred, int c);

    /**
     * Returns the number of classes C.
     *
     * @return C
     */
    public int getNumClasses() {
        return numClasses;
    }

    /**
     * Returns the first class measured: 0 with the background, else 1 (0 when C is 1, as MONAI
     * keeps a single channel).
     *
     * @return the first class
     */
    int firstClass() {
        return includeBackground || numClasses == 1 ? 0 : 1;
    }

    /**
     * Returns the value of each measured class and image accumulated under a key: the state that
     * another worker's evaluator merges with {@link #mergePerImage}.
     *
     * @param key the accumulator's key
     * @return one row per image, in the order counted, of one value per class from class 0 (NaN for
     *     the background when it is not measured)
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public double[][] getPerImage(String key) {
        return counts(key).toArray();
    }

    /**
     * Returns each class's mean over the images of the key where it is not NaN (MONAI's {@code
     * "mean_batch"} reduction).
     *
     * @param key the accumulator's key
     * @return C values from class 0, NaN for a class without a value (MONAI gives 0 there)
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public double[] getPerClass(String key) {
        return counts(key).meanPerClass(numClasses);
    }

    /**
     * Returns each class's mean over the images of the key's last finished epoch (see {@link
     * #getLastEpochAccumulator}).
     *
     * @param key the accumulator's key
     * @return C values from class 0, NaN for a class without a value
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public double[] getLastEpochPerClass(String key) {
        return lastEpochCounts(key).meanPerClass(numClasses);
    }

    /**
     * Adds the per-image values of another evaluator (of {@link #getPerImage}) after those of the
     * key: the numbers read afterwards are those of all the images.
     *
     * @param key the accumulator's key
     * @param perImage one row of C values per image
     * @throws IllegalArgumentException if the key has no accumulator or a row does not hold C
     *     values
     */
    public void mergePerImage(String key, double[][] perImage) {
        for (int i = 0; i < perImage.length; i++) {
            if (perImage[i] == null || perImage[i].length != numClasses) {
                throw new IllegalArgumentException(
                        "perImage must hold rows of numClasses = "
                                + numClasses
                                + " values, got "
                                + (perImage[i] == null ? "null" : perImage[i].length + " values")
                                + " in row "
                                + i);
            }
        }
        add(key, PerImageValues.of(perImage));
    }

    /**
     * {@inheritDoc}
     *
     * <p>MONAI's {@code "mean"} reduction of the per-image values: per image the mean of its
     * classes that are not NaN, then the mean over the images that have one; NaN when nothing was
     * measured (MONAI gives 0).
     */
    @Override
    float value(PerImageValues counts) {
        return (float) counts.mean();
    }

    /** {@inheritDoc} */
    @Override
    PerImageValues count(NDList labels, NDList predictions) {
        Shape labelShape = labels.head().getShape();
        Shape predictionShape = predictions.head().getShape();
        int[] image = spatialShape(labelShape, predictionShape);
        PixelClasses pixels =
                PixelClasses.of(labels, predictions, numClasses, ValueChecks.NO_IGNORE);
        int images = Math.toIntExact(labelShape.get(0));
        double[][] rows = new double[images][numClasses];
        if (images == 0) {
            return PerImageValues.empty();
        }
        double[] axes = spacing;
        if (axes == null) {
            axes = new double[image.length];
            Arrays.fill(axes, 1);
        }
        int size = Math.toIntExact(pixels.size() / images);
        for (int n = 0; n < images; n++) {
            Arrays.fill(rows[n], Double.NaN);
            ClassBoxes boxes =
                    new ClassBoxes(image, numClasses, pixels.truth(), pixels.predicted(), n * size);
            for (int c = firstClass(); c < numClasses; c++) {
                if (boxes.present(c)) {
                    rows[n][c] = measure(boxes, pixels, n * size, c, axes);
                }
            }
        }
        return PerImageValues.of(rows);
    }

    /**
     * The value of a class present in an image: its masks cropped to their box (with a margin of 1,
     * as MONAI crops), their surfaces, and the distances between them.
     */
    private double measure(
            ClassBoxes boxes, PixelClasses pixels, int offset, int c, double[] axes) {
        Surfaces surfaces = new Surfaces(boxes.cropShape(c), axes);
        int size = surfaces.size();
        boolean[] predMask = new boolean[size];
        boolean[] labelMask = new boolean[size];
        boxes.crop(pixels.predicted(), offset, c, predMask);
        boxes.crop(pixels.truth(), offset, c, labelMask);
        boolean[] predEdges = new boolean[size];
        boolean[] labelEdges = new boolean[size];
        int predCount = surfaces.edges(predMask, predEdges);
        int labelCount = surfaces.edges(labelMask, labelEdges);
        float[] predToLabel = surfaces.distances(predEdges, predCount, labelEdges, labelCount);
        float[] labelToPred = surfaces.distances(labelEdges, labelCount, predEdges, predCount);
        return value(predToLabel, labelToPred, c);
    }

    /** The spatial shape of an image, checked (see the class documentation). */
    private int[] spatialShape(Shape labels, Shape predictions) {
        int rank = labels.dimension();
        boolean logits = !predictions.equals(labels);
        int k;
        if (spacing != null) {
            k = spacing.length;
        } else if (logits) {
            k = predictions.dimension() - 2;
        } else {
            k = rank >= 3 && labels.get(1) == 1 ? rank - 2 : rank - 1;
        }
        boolean fits =
                k >= 1
                        && (rank == k + 1 || (rank == k + 2 && labels.get(1) == 1))
                        && (!logits || predictions.dimension() == k + 2);
        if (!fits) {
            throw new IllegalArgumentException(
                    "labels must be (N, d1..dk) or (N, 1, d1..dk) and logits (N, C, d1..dk) with k"
                            + " = "
                            + (spacing != null ? "the spacing's length " : "")
                            + k
                            + " >= 1 spatial axes, got labels "
                            + labels
                            + " and predictions "
                            + predictions);
        }
        int[] image = new int[k];
        for (int i = 0; i < k; i++) {
            image[i] = Math.toIntExact(labels.get(rank - k + i));
        }
        return image;
    }

    /**
     * Checks a spacing: one positive, finite value per spatial axis.
     *
     * @param spacing the spacing
     * @return a copy
     * @throws IllegalArgumentException if it is empty or a value is not positive and finite
     */
    static double[] checkedSpacing(double[] spacing) {
        if (spacing == null || spacing.length == 0) {
            throw new IllegalArgumentException(
                    "spacing must have one value per spatial axis, got "
                            + Arrays.toString(spacing));
        }
        for (double s : spacing) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException(
                        "spacing must be finite and > 0 on every axis, got "
                                + Arrays.toString(spacing));
            }
        }
        return spacing.clone();
    }
}
