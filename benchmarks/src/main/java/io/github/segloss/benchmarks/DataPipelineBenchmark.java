package io.github.segloss.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.data.JointAugmentation;
import io.github.segloss.example.data.SemanticDataset;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The example's training data pipeline alone: synthetic images of 128², joint augmentation (scale,
 * crop, flip) and batching into NDArrays of 8, on the example's 2 prefetching loader threads, as
 * {@code segloss-train --image-size 128} reads it. Time per batch of 8 images; compare.sh turns it
 * into images per second beside the training step's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DataPipelineBenchmark {

    private static final int BATCH = 8;
    private static final int SIZE = 128;

    private NDManager manager;
    private ExecutorService loaders;
    private SemanticDataset dataset;
    private Iterator<Batch> batches;

    /** Builds the dataset over 400 synthetic images, as the example's default. */
    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
        loaders = Executors.newFixedThreadPool(2);
        dataset =
                SemanticDataset.builder()
                        .setSource(
                                DataSources.synthetic(
                                        400,
                                        SIZE,
                                        List.of("background", "circle", "square", "triangle"),
                                        42))
                        .optSeed(42)
                        .optExecutor(loaders)
                        .optPrefetchNumber(2)
                        .optAugmentation(new JointAugmentation(SIZE, 0.75f, 1.25f, true))
                        .setSampling(BATCH, true)
                        .build();
    }

    /** Stops the loaders and closes the arrays. */
    @TearDown(Level.Trial)
    public void tearDown() {
        loaders.shutdownNow();
        manager.close();
    }

    /**
     * The next batch (a new epoch when one ends).
     *
     * @return a value that depends on the batch
     */
    @Benchmark
    public long nextBatch() {
        if (batches == null || !batches.hasNext()) {
            try {
                batches = dataset.getData(manager).iterator();
            } catch (java.io.IOException | ai.djl.translate.TranslateException e) {
                throw new IllegalStateException(e);
            }
        }
        try (Batch batch = batches.next()) {
            return batch.getData().head().getShape().get(0);
        }
    }
}
