package io.github.segloss.example.data;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A shuffling {@link Sampler.SubSampler} reproducible from a seed: pass {@code e} (counting from 0)
 * is a Fisher–Yates permutation drawn from {@code (seed, e)}. DJL's own {@code RandomSampler} draws
 * from the process-wide {@code RandomUtils} instead.
 */
final class SeededShuffle implements Sampler.SubSampler {

    private static final long SALT = 0x5A3D1EL;

    private final long seed;
    private final AtomicLong passes = new AtomicLong();

    /**
     * Creates the sampler.
     *
     * @param seed the seed
     */
    SeededShuffle(long seed) {
        this.seed = seed;
    }

    /** {@inheritDoc} */
    @Override
    public Iterator<Long> sample(RandomAccessDataset dataset) {
        int size = Math.toIntExact(dataset.size());
        long epoch =
                dataset instanceof SemanticDataset semantic
                        ? semantic.epoch()
                        : passes.getAndIncrement();
        Random random = new Random(Seeds.mix(seed, SALT, epoch));
        Long[] order = new Long[size];
        for (int i = 0; i < size; i++) {
            order[i] = (long) i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return Arrays.asList(order).iterator();
    }
}
