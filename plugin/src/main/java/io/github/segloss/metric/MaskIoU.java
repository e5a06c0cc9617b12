package io.github.segloss.metric;

import ai.djl.ndarray.NDList;

/**
 * The mask IoU of a Mask R-CNN mask head: the intersection over union of each RoI's predicted and
 * target mask on the M×M grid, averaged over the RoIs, overall and per class.
 *
 * <p>Inputs are those of {@link io.github.segloss.loss.MaskRcnnMaskLoss}: predictions {@code
 * NDList(maskLogits)} with {@code maskLogits} {@code (R, K, M, M)}, labels {@code NDList(classIds
 * (R), targets (R, M, M))} with targets in [0, 1] and class ids in {@code [0, C)}. For RoI r the
 * logits of channel \( k_r \) = {@code classIds[r]} are read (channel 0 when class agnostic). With
 * the predicted mask \( P_r = \{(u,v) : x_{r,k_r,u,v} > 0\} \) (sigmoid above 0.5) and the target
 * mask \( T_r = \{(u,v) : t_{r,u,v} > 0.5\} \), the IoU of RoI r is
 *
 * <p>\( \mathrm{IoU}_r = |P_r \cap T_r| / |P_r \cup T_r| \), and 1 when both masks are empty;
 *
 * <p>the metric is \( \frac{1}{R} \sum_r \mathrm{IoU}_r \) over all RoIs, and the IoU of class
 * \(c\) is \( \frac{1}{R_c} \sum_{r : k_r = c} \mathrm{IoU}_r \) over its \( R_c \) RoIs ({@link
 * #getPerClassIoU}, NaN for a class without RoIs). A class-agnostic head reads channel 0 for every
 * RoI, and its RoIs are still counted under their own class.
 *
 * <p>Every RoI counts once, whatever batch it came in: the accumulator is the mean over all RoIs
 * seen, not the mean of per-batch means. The RoIs' IoUs are kept as exact integers (the sum of the
 * intersections of the RoIs of each class and each union size), so a batch gives the same number,
 * to the last bit, whether it is evaluated whole or split across devices, and the accumulators of
 * two evaluators merge by addition ({@link #merge}). Zero RoIs add nothing; an accumulator that has
 * counted nothing reads NaN, as does {@link #evaluate} on zero RoIs.
 *
 * <p>detectron2 logs no mask IoU; the closest PyTorch-world quantity is the per-RoI IoU target of
 * Mask Scoring R-CNN's MaskIoU head (mmdetection's {@code MaskIoUHead}), which binarises the
 * predicted mask the same way but divides by the full ground-truth area instead of the M×M crop.
 */
public class MaskIoU extends CountingEvaluator<RoiIoUs> {

    private final int classes;
    private final boolean classAgnostic;

    /**
     * Creates the mask IoU of a class-specific head (K = C channels, channel \( k_r \) read).
     *
     * @param name the name that training logs show
     * @param classes the number of object classes C, at least 1
     * @throws IllegalArgumentException if classes is below 1
     */
    public MaskIoU(String name, int classes) {
        this(name, classes, false);
    }

    /**
     * Creates the mask IoU of a class-specific or a class-agnostic head.
     *
     * @param name the name that training logs show
     * @param classes the number of object classes C, at least 1: class ids lie in {@code [0, C)},
     *     also for a class-agnostic head, whose RoIs are counted under their own class
     * @param classAgnostic whether the head predicts one class-agnostic mask per RoI (K = 1,
     *     channel 0 is read whatever the class ids); otherwise K = C
     * @throws IllegalArgumentException if classes is below 1
     */
    public MaskIoU(String name, int classes, boolean classAgnostic) {
        super(name, RoiIoUs.empty(requireClasses(classes)), RoiIoUs::plus);
        this.classes = classes;
        this.classAgnostic = classAgnostic;
    }

    private static int requireClasses(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        return classes;
    }

    /**
     * Returns the number of object classes C.
     *
     * @return C
     */
    public int getClasses() {
        return classes;
    }

    /**
     * Tells whether the head predicts one class-agnostic mask per RoI (K = 1).
     *
     * @return true if class agnostic
     */
    public boolean isClassAgnostic() {
        return classAgnostic;
    }

    /**
     * Returns the mean IoU of each class's RoIs accumulated under the key.
     *
     * @param key the accumulator's key
     * @return C values, NaN for a class without RoIs
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public float[] getPerClassIoU(String key) {
        return toFloats(counts(key).perClassIoU());
    }

    /**
     * Returns the mean IoU of each class's RoIs in the key's last finished epoch (see {@link
     * #getLastEpochAccumulator}): after {@code EasyTrain.fit}, {@code
     * getLastEpochPerClassIoU("validate/epoch")} holds the last epoch's validation mask IoU per
     * class.
     *
     * @param key the accumulator's key
     * @return C values, NaN for a class without RoIs (all NaN if the key was never reset after
     *     counting)
     * @throws IllegalArgumentException if the key has no accumulator
     */
    public float[] getLastEpochPerClassIoU(String key) {
        return toFloats(lastEpochCounts(key).perClassIoU());
    }

    /**
     * Adds the RoIs another mask IoU has accumulated under {@code otherKey} to the accumulator of
     * {@code key}, e.g. those of another worker's evaluator: the result is the mask IoU of all
     * their RoIs, as if one evaluator had seen them all. The other evaluator is not changed.
     *
     * @param key this evaluator's accumulator
     * @param other the other evaluator, of the same number of classes (it may be this one)
     * @param otherKey the other evaluator's accumulator
     * @throws IllegalArgumentException if either key has no accumulator, or the other evaluator
     *     counts another number of classes
     */
    public void merge(String key, MaskIoU other, String otherKey) {
        if (other.classes != classes) {
            throw new IllegalArgumentException(
                    "other must count classes = "
                            + classes
                            + " like "
                            + getName()
                            + ", got "
                            + other.getName()
                            + " with classes = "
                            + other.classes);
        }
        add(key, other.counts(otherKey));
    }

    /** {@inheritDoc} */
    @Override
    RoiIoUs count(NDList labels, NDList predictions) {
        return RoiIoUs.of(labels, predictions, classAgnostic, classes);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The mean IoU over the RoIs, NaN for zero RoIs.
     */
    @Override
    float value(RoiIoUs counts) {
        return (float) counts.meanIoU();
    }
}
