package io.github.segloss.enginetest.gc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A differentiable computation for the GC-stress tests: how to make its inputs on a manager, which
 * of them take gradients, and the scalar it computes.
 *
 * @param name the case's name
 * @param build makes the inputs on a manager and returns the graph
 */
public record GraphCase(String name, Function<NDManager, Graph> build) {

    /**
     * One built computation.
     *
     * @param leaves the inputs whose gradients are compared
     * @param forward computes the scalar (inside a gradient collector)
     */
    public record Graph(List<NDArray> leaves, Supplier<NDArray> forward) {}

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return name;
    }

    /**
     * Seeded normal values times a scale, as an array of the given shape.
     *
     * @param manager the manager
     * @param seed the seed
     * @param scale the standard deviation
     * @param shape the shape
     * @return the array, float32
     */
    public static NDArray normal(NDManager manager, long seed, float scale, Shape shape) {
        Random random = new Random(seed);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * scale;
        }
        return manager.create(values, shape);
    }

    /**
     * Seeded uniform values in [0, 1).
     *
     * @param manager the manager
     * @param seed the seed
     * @param shape the shape
     * @return the array, float32
     */
    public static NDArray uniform(NDManager manager, long seed, Shape shape) {
        Random random = new Random(seed);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return manager.create(values, shape);
    }

    /**
     * Seeded class labels in {@code [0, classes)}, about a tenth of them {@code ignore} when it is
     * not negative.
     *
     * @param manager the manager
     * @param seed the seed
     * @param classes the class count
     * @param ignore the ignore label, or -1 for none
     * @param shape the label shape
     * @return the labels, int64
     */
    public static NDArray classLabels(
            NDManager manager, long seed, int classes, int ignore, Shape shape) {
        Random random = new Random(seed);
        long[] values = new long[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = ignore >= 0 && random.nextInt(10) == 0 ? ignore : random.nextInt(classes);
        }
        return manager.create(values, shape);
    }

    /**
     * Seeded 0/1 targets.
     *
     * @param manager the manager
     * @param seed the seed
     * @param shape the shape
     * @return the targets, float32
     */
    public static NDArray binary(NDManager manager, long seed, Shape shape) {
        return uniform(manager, seed, shape).gt(0.5f).toType(DataType.FLOAT32, false);
    }

    /**
     * A graph of a loss over labels and predictions, differentiated with respect to the
     * predictions.
     *
     * @param loss evaluates the labels and predictions
     * @param labels the labels
     * @param predictions the predictions (the leaves)
     * @return the graph
     */
    public static Graph loss(
            java.util.function.BiFunction<NDList, NDList, NDArray> loss,
            NDList labels,
            NDList predictions) {
        return new Graph(List.copyOf(predictions), () -> loss.apply(labels, predictions));
    }
}
