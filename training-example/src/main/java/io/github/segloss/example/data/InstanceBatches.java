package io.github.segloss.example.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The batches of the mask task: images and all their instances, drawn from a {@link SampleSource}.
 *
 * <p>Epoch {@code e} (counting from 0) visits the samples in a permutation drawn from {@code (seed,
 * e)} (training) or in order (validation), cut into batches of {@code batchSize} samples; the last
 * batch may be smaller. Each sample is augmented by the {@link JointAugmentation} (instances follow
 * it) or, without one, resized to {@code S × S}. Images left without instances are dropped from
 * their batch, so a batch holds fewer images when some have none, and zero images and zero
 * instances when none has any.
 *
 * <p>Box jitter: in training each box coordinate moves by a uniform amount of up to {@code jitter}
 * times the box's width (x) or height (y), as if the box came from a region proposal, then is
 * clipped to the image; a box that would become narrower or lower than one pixel keeps its original
 * coordinates. Validation uses the tight boxes.
 *
 * <p>RoIs per image ({@link #optMaxRoisPerImage}): an image with more instances than the cap keeps
 * a uniform random sample of that many (in their original order), as Mask R-CNN trains its mask
 * head on a sample of each image's RoIs (detectron2: 512 proposals per image, at most 25%
 * foreground, so at most 128 masks), so the memory of a batch is bounded whatever the annotations.
 * The images capped so far are counted ({@link #cappedImages}).
 *
 * <p>Reproducibility: sample {@code i} of epoch {@code e} draws its augmentation, then its RoI
 * sample (only when capped), then its jitter from {@code new Random(mix(seed, e, i))}, so a batch
 * depends only on the seed, the epoch and its position, not on the thread that loads it.
 */
public final class InstanceBatches {

    private static final long SHUFFLE_SALT = 0x3A5C0L;

    private final SampleSource source;
    private final JointAugmentation augmentation;
    private final int outputSize;
    private final int batchSize;
    private final boolean shuffle;
    private final float jitter;
    private final long seed;
    private final int batches;
    private final Set<Integer> capped = ConcurrentHashMap.newKeySet();
    private int maxRoisPerImage;

    /**
     * Creates the batches of one split.
     *
     * @param source the samples
     * @param augmentation the training augmentation, or null to resize only (validation)
     * @param outputSize the images' height and width S (the augmentation's output size with one)
     * @param batchSize the samples per batch
     * @param shuffle whether each epoch visits the samples in a new seeded order
     * @param jitter the largest box jitter as a fraction of the box size, 0 for none
     * @param seed the seed of the order, the augmentation and the jitter
     * @param maxBatches the most batches per epoch, 0 for all
     * @throws IllegalArgumentException if a size is not positive, the jitter is outside [0, 0.5) or
     *     the augmentation's output size differs from outputSize
     */
    public InstanceBatches(
            SampleSource source,
            JointAugmentation augmentation,
            int outputSize,
            int batchSize,
            boolean shuffle,
            float jitter,
            long seed,
            int maxBatches) {
        if (outputSize < 1 || batchSize < 1 || maxBatches < 0) {
            throw new IllegalArgumentException(
                    "outputSize and batchSize must be >= 1 and maxBatches >= 0, got "
                            + outputSize
                            + ", "
                            + batchSize
                            + " and "
                            + maxBatches);
        }
        if (!(jitter >= 0 && jitter < 0.5f)) {
            throw new IllegalArgumentException("jitter must lie in [0, 0.5), got " + jitter);
        }
        if (augmentation != null && augmentation.outputSize() != outputSize) {
            throw new IllegalArgumentException(
                    "the augmentation's output size "
                            + augmentation.outputSize()
                            + " differs from outputSize "
                            + outputSize);
        }
        this.source = source;
        this.augmentation = augmentation;
        this.outputSize = outputSize;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.jitter = jitter;
        this.seed = seed;
        int all = (source.size() + batchSize - 1) / batchSize;
        this.batches = maxBatches > 0 ? Math.min(all, maxBatches) : all;
    }

    /**
     * Caps the instances of each image: an image with more keeps a seeded random sample of {@code
     * cap} of them. Without a cap (the default) every instance is kept. Call before loading.
     *
     * @param cap the most instances (RoIs) per image, >= 1
     * @return these batches
     * @throws IllegalArgumentException if cap is below 1
     */
    public InstanceBatches optMaxRoisPerImage(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("--max-rois-per-image must be >= 1, got " + cap);
        }
        this.maxRoisPerImage = cap;
        return this;
    }

    /**
     * Returns the number of distinct images whose instances were capped so far, in any epoch.
     *
     * @return the count, 0 without a cap
     */
    public int cappedImages() {
        return capped.size();
    }

    /**
     * Returns the class names of the source; an instance of class index c has class id c − 1.
     *
     * @return the class names, "background" (or the source's class 0) first
     */
    public List<String> classes() {
        return source.classes();
    }

    /**
     * Returns the number of batches per epoch.
     *
     * @return the batches, at most maxBatches when that is set
     */
    public int size() {
        return batches;
    }

    /**
     * Makes one batch.
     *
     * @param epoch the epoch, counting from 0
     * @param batch the batch's position in the epoch, in {@code [0, size())}
     * @return the batch
     * @throws IndexOutOfBoundsException if the position is out of range
     * @throws IllegalArgumentException if a sample's files are bad
     */
    public InstanceBatch batch(int epoch, int batch) {
        if (batch < 0 || batch >= batches) {
            throw new IndexOutOfBoundsException(
                    "batch " + batch + " is outside 0.." + (batches - 1));
        }
        int[] order = order(epoch);
        int start = batch * batchSize;
        int end = Math.min(order.length, start + batchSize);
        List<Sample> samples = new ArrayList<>();
        List<Random> randoms = new ArrayList<>();
        for (int p = start; p < end; p++) {
            int index = order[p];
            Random random = new Random(Seeds.mix(seed, epoch, index));
            Sample sample = source.get(index);
            sample =
                    augmentation == null
                            ? JointAugmentation.resizeTo(sample, outputSize)
                            : augmentation.apply(sample, random);
            if (maxRoisPerImage > 0 && sample.instances().size() > maxRoisPerImage) {
                sample = capped(sample, random);
                capped.add(index);
            }
            if (!sample.instances().isEmpty()) {
                samples.add(sample);
                randoms.add(random);
            }
        }
        return assemble(samples, randoms);
    }

    /**
     * Iterates over the batches of an epoch, loading up to {@code prefetch} batches ahead on the
     * executor (on the calling thread without one).
     *
     * @param epoch the epoch, counting from 0
     * @param executor the loading threads, or null
     * @param prefetch the batches loaded ahead, at least 1
     * @return the batches in order; a loading failure is thrown by {@code next()} as it is (an
     *     {@link IllegalArgumentException} for a bad file)
     */
    public Iterable<InstanceBatch> epoch(int epoch, ExecutorService executor, int prefetch) {
        return () -> new Loader(epoch, executor, Math.max(1, prefetch));
    }

    private int[] order(int epoch) {
        int size = source.size();
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Random random = new Random(Seeds.mix(seed, SHUFFLE_SALT, epoch));
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** The sample with a uniform random choice of maxRoisPerImage of its instances, in order. */
    private Sample capped(Sample sample, Random random) {
        List<Instance> all = sample.instances();
        int[] order = new int[all.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // a partial Fisher-Yates shuffle: the first maxRoisPerImage places are the sample
        for (int i = 0; i < maxRoisPerImage; i++) {
            int j = i + random.nextInt(order.length - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] chosen = Arrays.copyOf(order, maxRoisPerImage);
        Arrays.sort(chosen);
        List<Instance> kept = new ArrayList<>(chosen.length);
        for (int i : chosen) {
            kept.add(all.get(i));
        }
        return new Sample(
                sample.id(),
                sample.height(),
                sample.width(),
                sample.image(),
                sample.semantic(),
                kept);
    }

    private InstanceBatch assemble(List<Sample> samples, List<Random> randoms) {
        int plane = outputSize * outputSize;
        float[] pixels = new float[samples.size() * 3 * plane];
        int rois = 0;
        for (Sample sample : samples) {
            rois += sample.instances().size();
        }
        float[] boxes = new float[4 * rois];
        int[] batchIndices = new int[rois];
        int[] classIds = new int[rois];
        float[] masks = new float[rois * plane];
        int r = 0;
        for (int b = 0; b < samples.size(); b++) {
            Sample sample = samples.get(b);
            System.arraycopy(sample.image(), 0, pixels, b * 3 * plane, 3 * plane);
            for (Instance instance : sample.instances()) {
                if (instance.classIndex() < 1) {
                    throw new IllegalArgumentException(
                            "sample "
                                    + sample.id()
                                    + ": an instance has class index "
                                    + instance.classIndex()
                                    + "; instances must have an object class (1 or more)");
                }
                float[] box = jittered(instance.box(), randoms.get(b));
                System.arraycopy(box, 0, boxes, 4 * r, 4);
                batchIndices[r] = b;
                classIds[r] = instance.classIndex() - 1;
                byte[] mask = instance.mask();
                for (int i = 0; i < plane; i++) {
                    masks[r * plane + i] = mask[i];
                }
                r++;
            }
        }
        return new InstanceBatch(
                samples.size(), outputSize, pixels, boxes, batchIndices, classIds, masks);
    }

    private float[] jittered(float[] box, Random random) {
        if (jitter == 0) {
            return box.clone();
        }
        float width = box[2] - box[0];
        float height = box[3] - box[1];
        float[] moved = new float[4];
        for (int i = 0; i < 4; i++) {
            float extent = i % 2 == 0 ? width : height;
            float shift = (2 * random.nextFloat() - 1) * jitter * extent;
            moved[i] = Math.max(0, Math.min(outputSize, box[i] + shift));
        }
        if (moved[2] - moved[0] < 1 || moved[3] - moved[1] < 1) {
            return box.clone();
        }
        return moved;
    }

    /** Walks the batches of an epoch, keeping up to {@code prefetch} loads in flight. */
    private final class Loader implements Iterator<InstanceBatch> {

        private final int epoch;
        private final ExecutorService executor;
        private final int prefetch;
        private final Deque<CompletableFuture<InstanceBatch>> pending = new ArrayDeque<>();
        private int submitted;

        Loader(int epoch, ExecutorService executor, int prefetch) {
            this.epoch = epoch;
            this.executor = executor;
            this.prefetch = prefetch;
        }

        @Override
        public boolean hasNext() {
            return submitted < batches || !pending.isEmpty();
        }

        @Override
        public InstanceBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (executor == null) {
                return batch(epoch, submitted++);
            }
            fill();
            try {
                InstanceBatch batch = pending.remove().join();
                fill();
                return batch;
            } catch (CompletionException e) {
                pending.forEach(future -> future.cancel(true));
                pending.clear();
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }

        private void fill() {
            while (submitted < batches && pending.size() < prefetch) {
                int position = submitted++;
                pending.add(CompletableFuture.supplyAsync(() -> batch(epoch, position), executor));
            }
        }
    }
}
