package io.github.segloss.example.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.training.dataset.Sampler;
import ai.djl.translate.TranslateException;
import ai.djl.util.Progress;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DJL dataset of semantic segmentation samples drawn from a {@link SampleSource}.
 *
 * <p>Record {@code i} is {@code data = (image (3, S, S) float32 in [0, 1])}, {@code labels =
 * (labels (S, S) int32, class ids or 255 for ignore)}: the source's sample {@code i}, augmented by
 * the {@link JointAugmentation} if there is one, else resized to {@code S x S} ({@link
 * JointAugmentation#resizeTo}). Batches stack to {@code (N, 3, S, S)} and {@code (N, S, S)}.
 *
 * <p>Reproducibility: record {@code i} of epoch {@code e} is augmented with {@code new
 * Random(mix(seed, e, i))} ({@code mix} folds the numbers with SplitMix64, see {@code Seeds}), so
 * it does not depend on which thread loads it or in which order. The epoch counts the calls of
 * {@code getData} (the trainer calls it once per epoch), starting at 0; {@link #setEpoch} moves it,
 * e.g. to resume. With {@code setSampling(batchSize, true)} the builder shuffles with a sampler
 * seeded by the same seed (pass {@code e} from {@code (seed, e)}), not with DJL's global random
 * generator.
 *
 * <p>Parallel loading: DJL prefetches {@code optPrefetchNumber} batches on the executor that {@code
 * getData(manager, executor)} receives (the trainer's); when it receives none, the builder's {@link
 * Builder#optExecutor} is used. The dataset never shuts that executor down.
 *
 * <p>A bad file raises an {@link IllegalArgumentException}; when loading on an executor DJL wraps
 * it in an {@link IllegalStateException} whose cause chain holds it.
 */
public final class SemanticDataset extends RandomAccessDataset {

    private final SampleSource source;
    private final JointAugmentation augmentation;
    private final int outputSize;
    private final long seed;
    private final ExecutorService executor;
    private final AtomicInteger nextEpoch = new AtomicInteger();
    private volatile int epoch;

    private SemanticDataset(Builder builder) {
        super(builder);
        this.source = builder.source;
        this.augmentation = builder.augmentation;
        this.outputSize = builder.outputSize;
        this.seed = builder.seed;
        this.executor = builder.executor;
    }

    /**
     * Returns a new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the class names of the source; index = label.
     *
     * @return the class names
     */
    public List<String> classes() {
        return source.classes();
    }

    /**
     * Returns the output height and width {@code S}.
     *
     * @return the output size
     */
    public int outputSize() {
        return outputSize;
    }

    /**
     * Returns the epoch whose augmentation {@link #get} applies now.
     *
     * @return the current epoch
     */
    public int epoch() {
        return epoch;
    }

    /**
     * Sets the epoch that the next {@code getData} call starts (later calls count on from it).
     *
     * @param epoch the epoch, 0 or more
     * @throws IllegalArgumentException if the epoch is negative
     */
    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        nextEpoch.set(epoch);
    }

    /** {@inheritDoc} */
    @Override
    public Record get(NDManager manager, long index) throws IOException {
        Sample sample = sample(index, epoch);
        NDArray image = manager.create(sample.image(), new Shape(3, outputSize, outputSize));
        NDArray labels = manager.create(sample.semantic(), new Shape(outputSize, outputSize));
        return new Record(new NDList(image), new NDList(labels));
    }

    /**
     * Returns sample {@code index} as augmented (or resized) in the given epoch, as {@link #get}
     * would make it in that epoch.
     *
     * @param index the sample index
     * @param epoch the epoch
     * @return the {@code S x S} sample
     */
    public Sample sample(long index, int epoch) {
        Sample sample = source.get(Math.toIntExact(index));
        if (augmentation == null) {
            return JointAugmentation.resizeTo(sample, outputSize);
        }
        return augmentation.apply(sample, new Random(Seeds.mix(seed, epoch, index)));
    }

    /**
     * Starts an epoch: the records it yields are augmented for the next epoch number.
     *
     * <p>{@inheritDoc}
     */
    @Override
    public Iterable<Batch> getData(
            NDManager manager, Sampler sampler, ExecutorService executorService)
            throws IOException, TranslateException {
        epoch = nextEpoch.getAndIncrement();
        return super.getData(
                manager, sampler, executorService != null ? executorService : executor);
    }

    /** {@inheritDoc} */
    @Override
    protected long availableSize() {
        return source.size();
    }

    /** {@inheritDoc} */
    @Override
    public void prepare(Progress progress) {}

    /** Builds a {@link SemanticDataset}; {@code setSource} and {@code setSampling} are required. */
    public static final class Builder extends BaseBuilder<Builder> {

        private SampleSource source;
        private JointAugmentation augmentation;
        private int outputSize;
        private long seed;
        private ExecutorService executor;
        private boolean seededShuffle;
        private int batchSize;
        private boolean dropLast;

        private Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the source of the samples.
         *
         * @param source the source
         * @return this builder
         */
        public Builder setSource(SampleSource source) {
            this.source = source;
            return this;
        }

        /**
         * Sets the output height and width {@code S}; required without an augmentation, and equal
         * to the augmentation's output size with one.
         *
         * @param outputSize the output size
         * @return this builder
         */
        public Builder optOutputSize(int outputSize) {
            this.outputSize = outputSize;
            return this;
        }

        /**
         * Sets the joint augmentation (training); without one, samples are only resized.
         *
         * @param augmentation the augmentation, or null for none
         * @return this builder
         */
        public Builder optAugmentation(JointAugmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        /**
         * Sets the seed of the augmentation and of the shuffle (default 0).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the executor that loads batches in parallel when {@code getData} gets none.
         *
         * @param executor the executor, or null to load on the calling thread
         * @return this builder
         */
        public Builder optExecutor(ExecutorService executor) {
            this.executor = executor;
            return this;
        }

        /**
         * Samples batches in order, or shuffled by a sampler seeded from {@link #optSeed}.
         *
         * <p>{@inheritDoc}
         */
        @Override
        public Builder setSampling(int batchSize, boolean random, boolean dropLast) {
            super.setSampling(batchSize, false, dropLast);
            this.seededShuffle = random;
            this.batchSize = batchSize;
            this.dropLast = dropLast;
            return this;
        }

        /** {@inheritDoc} */
        @Override
        public Builder setSampling(Sampler sampler) {
            this.seededShuffle = false;
            return super.setSampling(sampler);
        }

        /**
         * Builds the dataset.
         *
         * @return the dataset
         * @throws IllegalArgumentException if the source, the sampling or the output size is
         *     missing or inconsistent
         */
        public SemanticDataset build() {
            if (source == null) {
                throw new IllegalArgumentException("SemanticDataset needs a source, got none");
            }
            if (sampler == null) {
                throw new IllegalArgumentException(
                        "SemanticDataset needs setSampling(batchSize, shuffle), got none");
            }
            if (augmentation != null) {
                if (outputSize != 0 && outputSize != augmentation.outputSize()) {
                    throw new IllegalArgumentException(
                            "outputSize "
                                    + outputSize
                                    + " differs from the augmentation's "
                                    + augmentation.outputSize());
                }
                outputSize = augmentation.outputSize();
            }
            if (outputSize <= 0) {
                throw new IllegalArgumentException(
                        "SemanticDataset needs a positive outputSize, got " + outputSize);
            }
            if (seededShuffle) {
                sampler = new BatchSampler(new SeededShuffle(seed), batchSize, dropLast);
            }
            return new SemanticDataset(this);
        }
    }
}
