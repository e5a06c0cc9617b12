package io.github.segloss.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Forward and backward of {@link PixelCrossEntropyLoss} with ignore 255 and class weights, beside
 * DJL's own {@link SoftmaxCrossEntropyLoss} (no ignore label, no weights) on the same logits.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CrossEntropyBenchmark {

    /** The engine. */
    @Param({"PyTorch", "MXNet"})
    public String engine;

    /** The logits' shape, NxCxHxW. */
    @Param({"8x21x128x128"})
    public String shape;

    private NDManager manager;
    private NDArray logits;
    private NDArray labels;
    private NDArray dense;
    private Loss segloss;
    private Loss builtin;

    /** Creates the inputs: Gaussian logits, uniform labels with a tenth ignored. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] dims = shape.split("x");
        long n = Long.parseLong(dims[0]);
        int c = Integer.parseInt(dims[1]);
        long h = Long.parseLong(dims[2]);
        long w = Long.parseLong(dims[3]);
        manager = NDManager.newBaseManager(engine);
        Random random = new Random(1);
        float[] values = new float[Math.toIntExact(n * c * h * w)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        long[] classes = new long[Math.toIntExact(n * h * w)];
        long[] kept = new long[classes.length];
        for (int i = 0; i < classes.length; i++) {
            kept[i] = random.nextInt(c);
            classes[i] = random.nextInt(10) == 0 ? 255 : kept[i];
        }
        logits = manager.create(values, new Shape(n, c, h, w));
        labels = manager.create(classes, new Shape(n, h, w));
        dense = manager.create(kept, new Shape(n, 1, h, w));
        float[] weights = new float[c];
        for (int k = 0; k < c; k++) {
            weights[k] = 0.5f + k / (float) c;
        }
        segloss =
                PixelCrossEntropyLoss.builder()
                        .optIgnoreIndex(255)
                        .optClassWeights(weights)
                        .build();
        builtin = new SoftmaxCrossEntropyLoss("ce", 1, 1, true, true);
    }

    /** Closes the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    private float forwardBackward(Loss loss, NDArray target) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = logits.duplicate();
            input.attach(scope);
            input.setRequiresGradient(true);
            // labels in the scope too: what the loss derives from them is closed with it
            NDArray labelsCopy = target.duplicate();
            labelsCopy.attach(scope);
            float value;
            try (GradientCollector collector = Engine.getEngine(engine).newGradientCollector()) {
                NDArray result = loss.evaluate(new NDList(labelsCopy), new NDList(input));
                collector.backward(result);
                value = result.getFloat();
            }
            return value + input.getGradient().getFloat(0, 0, 0, 0);
        }
    }

    /**
     * segloss's cross-entropy with ignore label and class weights.
     *
     * @return a value that depends on the result
     */
    @Benchmark
    public float seglossCrossEntropy() {
        return forwardBackward(segloss, labels);
    }

    /**
     * DJL's SoftmaxCrossEntropyLoss on the same logits (labels without ignored pixels).
     *
     * @return a value that depends on the result
     */
    @Benchmark
    public float djlSoftmaxCrossEntropy() {
        return forwardBackward(builtin, dense);
    }
}
