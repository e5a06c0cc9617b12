package io.github.segloss.example.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Generated "shapes" images: 1 to 4 shapes (kinds chosen by the class names) of random size,
 * position, rotation and colour on a textured background ({@link Backgrounds}), with pixel noise.
 * Later shapes occlude earlier ones: the semantic mask holds the class of the topmost shape, each
 * instance mask only its visible pixels, and an instance hidden entirely is dropped.
 *
 * <p>Sample {@code i} is drawn from a generator seeded by {@code (seed, i)} alone, so samples are
 * reproducible, independent of the order of access, and thread-safe.
 */
final class SyntheticSource implements SampleSource {

    /** The smallest image side that leaves every shape some pixels. */
    static final int MIN_SIZE = 16;

    private static final int MAX_OBJECTS = 4;
    private static final double MIN_CONTRAST = 0.4;
    private static final float NOISE = 0.03f;

    private final int count;
    private final int size;
    private final List<String> classes;
    private final ShapeKind[] kinds;
    private final long seed;

    /**
     * Creates the source.
     *
     * @param count the number of samples
     * @param size the images' height and width
     * @param classes "background" first, then shape names (circle, square, triangle, ellipse, star)
     * @param seed the seed
     * @throws IllegalArgumentException if a count, size or class name is invalid
     */
    SyntheticSource(int count, int size, List<String> classes, long seed) {
        if (count <= 0) {
            throw new IllegalArgumentException("synthetic count must be positive, got " + count);
        }
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException(
                    "synthetic size must be at least " + MIN_SIZE + ", got " + size);
        }
        if (classes.size() < 2 || !"background".equalsIgnoreCase(classes.get(0))) {
            throw new IllegalArgumentException(
                    "synthetic classes must be \"background\" followed by at least one shape,"
                            + " got "
                            + classes);
        }
        Set<ShapeKind> seen = new HashSet<>();
        kinds = new ShapeKind[classes.size()];
        for (int i = 1; i < classes.size(); i++) {
            kinds[i] = ShapeKind.named(classes.get(i));
            if (!seen.add(kinds[i])) {
                throw new IllegalArgumentException(
                        "synthetic classes name "
                                + kinds[i].name().toLowerCase(Locale.ROOT)
                                + " twice: "
                                + classes);
            }
        }
        this.count = count;
        this.size = size;
        this.classes = List.copyOf(classes);
        this.seed = seed;
    }

    /** {@inheritDoc} */
    @Override
    public List<String> classes() {
        return classes;
    }

    /** {@inheritDoc} */
    @Override
    public int size() {
        return count;
    }

    /** {@inheritDoc} */
    @Override
    public Sample get(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(
                    "synthetic sample " + index + " is outside 0.." + (count - 1));
        }
        Random random = new Random(Seeds.mix(seed, index));
        float[] image = Backgrounds.paint(random, size);
        int[] semantic = new int[size * size];
        int objects = 1 + random.nextInt(MAX_OBJECTS);
        List<byte[]> masks = new ArrayList<>();
        List<Integer> classOf = new ArrayList<>();
        for (int o = 0; o < objects; o++) {
            int classIndex = 1 + random.nextInt(classes.size() - 1);
            double radius = size * (0.12 + 0.16 * random.nextDouble());
            double cx = 0.6 * radius + random.nextDouble() * (size - 1.2 * radius);
            double cy = 0.6 * radius + random.nextDouble() * (size - 1.2 * radius);
            double angle = 2 * Math.PI * random.nextDouble();
            double aspect = 0.45 + 0.2 * random.nextDouble();
            byte[] mask = kinds[classIndex].rasterize(cx, cy, radius, angle, aspect, size);
            float[] colour = contrastingColour(random, image, mask);
            int plane = size * size;
            for (int i = 0; i < plane; i++) {
                if (mask[i] != 0) {
                    for (int c = 0; c < 3; c++) {
                        image[c * plane + i] = colour[c];
                    }
                    semantic[i] = classIndex;
                    for (byte[] below : masks) {
                        below[i] = 0;
                    }
                }
            }
            masks.add(mask);
            classOf.add(classIndex);
        }
        for (int i = 0; i < image.length; i++) {
            image[i] = Backgrounds.clamp(image[i] + NOISE * (float) random.nextGaussian());
        }
        List<Instance> instances = new ArrayList<>();
        for (int o = 0; o < masks.size(); o++) {
            Instance instance = Instance.ofMask(classOf.get(o), masks.get(o), size);
            if (instance != null) {
                instances.add(instance);
            }
        }
        return new Sample(
                String.format(Locale.ROOT, "synthetic-%05d", index),
                size,
                size,
                image,
                semantic,
                instances);
    }

    /**
     * Draws colours until one lies at least {@link #MIN_CONTRAST} (Euclidean, RGB) from the mean of
     * the pixels it will cover; keeps the farthest of 32 tries otherwise.
     */
    private float[] contrastingColour(Random random, float[] image, byte[] mask) {
        int plane = size * size;
        double[] mean = new double[3];
        int n = 0;
        for (int i = 0; i < plane; i++) {
            if (mask[i] != 0) {
                n++;
                for (int c = 0; c < 3; c++) {
                    mean[c] += image[c * plane + i];
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            mean[c] /= Math.max(n, 1);
        }
        float[] best = null;
        double bestDistance = -1;
        for (int attempt = 0; attempt < 32 && bestDistance < MIN_CONTRAST; attempt++) {
            float[] colour = {random.nextFloat(), random.nextFloat(), random.nextFloat()};
            double d = 0;
            for (int c = 0; c < 3; c++) {
                d += (colour[c] - mean[c]) * (colour[c] - mean[c]);
            }
            d = Math.sqrt(d);
            if (d > bestDistance) {
                bestDistance = d;
                best = colour;
            }
        }
        return best;
    }
}
