package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.target.DistanceMaps;
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
 * The cost of {@link DistanceMaps} per 512 × 512 label map (21 classes in blocks, a tenth of the
 * pixels ignored): one exact Euclidean distance transform of a class mask, and the signed maps of
 * all 21 classes, on the host ({@code host*}: Java arrays, as a data loader calls it) and through
 * an engine ({@code device*}: {@code NDArray} in and out, which copies to the host and back).
 * {@code torch_bench.py} times scipy's {@code distance_transform_edt} and boundary-loss's {@code
 * one_hot2dist} on the same map.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DistanceMapsBenchmark {

    static final int SIZE = 512;
    static final int CLASSES = 21;

    /** The engine of the device path. */
    @Param({"PyTorch", "MXNet"})
    public String engine;

    private NDManager manager;
    private int[] labels;
    private boolean[] mask;
    private NDArray labelArray;
    private NDArray maskArray;

    /**
     * The label map: 64 × 64 blocks of classes, a tenth of the pixels ignored (255).
     *
     * @return the labels, row-major
     */
    static int[] labelMap() {
        long[] noise = HostData.classLabels(1, (long) SIZE * SIZE, CLASSES);
        int[] map = new int[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int at = y * SIZE + x;
                map[at] =
                        noise[at] == HostData.IGNORE
                                ? HostData.IGNORE
                                : (x / 64 + 3 * (y / 64)) % CLASSES;
            }
        }
        return map;
    }

    /** Creates the map on the host and on the engine. */
    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager(engine);
        labels = labelMap();
        mask = new boolean[labels.length];
        float[] maskValues = new float[labels.length];
        long[] longs = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            mask[i] = labels[i] != 1;
            maskValues[i] = mask[i] ? 1 : 0;
            longs[i] = labels[i];
        }
        maskArray = manager.create(maskValues, new Shape(SIZE, SIZE));
        labelArray = manager.create(longs, new Shape(1, SIZE, SIZE));
    }

    /** Closes the arrays. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /**
     * One transform of a 512² mask on the host.
     *
     * @return a value that depends on the result
     */
    @Benchmark
    public double hostEuclidean() {
        return DistanceMaps.euclidean(mask, new int[] {SIZE, SIZE})[SIZE + 1];
    }

    /**
     * The signed maps of the 21 classes of a 512² label map on the host.
     *
     * @return a value that depends on the result
     */
    @Benchmark
    public float hostSignedPerClass() {
        return DistanceMaps.signedPerClass(
                labels, new int[] {SIZE, SIZE}, CLASSES, HostData.IGNORE)[SIZE + 1];
    }

    /**
     * One transform of a 512² mask through the engine.
     *
     * @return a value that depends on the result
     */
    @Benchmark
    public float deviceEuclidean() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return DistanceMaps.euclidean(maskArray).get(1, 1).getFloat();
        }
    }

    /**
     * The signed maps of the 21 classes of a 512² label map through the engine.
     *
     * @return a value that depends on the result
     */
    @Benchmark
    public float deviceSignedPerClass() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return DistanceMaps.signedPerClass(labelArray, CLASSES, HostData.IGNORE)
                    .get(0, 1, 1, 1)
                    .getFloat();
        }
    }
}
