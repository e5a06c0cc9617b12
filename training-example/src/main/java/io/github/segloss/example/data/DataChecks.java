package io.github.segloss.example.data;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * How a run treats hostile data: the largest image it decodes, and whether a bad sample stops the
 * run (the default) or is skipped and counted ({@code --skip-bad-samples}).
 *
 * <p>A bad sample is one whose files or annotations are wrong: a corrupt, truncated or empty file,
 * a mask of another size than its image, a class id beyond the class list, a malformed annotation,
 * a name that leaves the dataset folder, an image above the pixel limit. Problems of the dataset as
 * a whole (no class list, an annotation file that is not JSON) always stop the run.
 *
 * <p>Thread-safe: loader threads report the samples they skip concurrently. Each sample is counted
 * and logged once, however often it is met (in every epoch, in both splits).
 */
public final class DataChecks {

    /**
     * The default largest image, in pixels (width × height), that is decoded: 64 megapixels,
     * 64,000,000 (a 3-channel float copy of it takes 768 MB).
     */
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 64_000_000L;

    private final long maxImagePixels;
    private final boolean skipBadSamples;
    private final Consumer<String> log;
    private final Set<String> skipped = ConcurrentHashMap.newKeySet();

    private DataChecks(long maxImagePixels, boolean skipBadSamples, Consumer<String> log) {
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException(
                    "--max-image-pixels must be >= 1, got " + maxImagePixels);
        }
        this.maxImagePixels = maxImagePixels;
        this.skipBadSamples = skipBadSamples;
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * The default checks: images up to {@value #DEFAULT_MAX_IMAGE_PIXELS} pixels, and the first bad
     * sample stops the run.
     *
     * @return the checks
     */
    public static DataChecks strict() {
        return new DataChecks(DEFAULT_MAX_IMAGE_PIXELS, false, message -> {});
    }

    /**
     * Creates the checks of a run.
     *
     * @param maxImagePixels the largest width × height decoded; larger images are bad samples,
     *     refused from their header before any pixel is decoded
     * @param skipBadSamples whether bad samples are skipped and counted instead of stopping the run
     * @param log receives one line per skipped sample, naming its file and the problem
     * @return the checks
     * @throws IllegalArgumentException if {@code maxImagePixels} is less than 1
     */
    public static DataChecks of(long maxImagePixels, boolean skipBadSamples, Consumer<String> log) {
        return new DataChecks(maxImagePixels, skipBadSamples, log);
    }

    /**
     * Returns the largest number of pixels an image may declare.
     *
     * @return the limit, width × height
     */
    public long maxImagePixels() {
        return maxImagePixels;
    }

    /**
     * Returns whether bad samples are skipped.
     *
     * @return true with {@code --skip-bad-samples}
     */
    public boolean skipsBadSamples() {
        return skipBadSamples;
    }

    /**
     * Returns the number of distinct samples skipped so far.
     *
     * @return the count
     */
    public int skippedSamples() {
        return skipped.size();
    }

    /**
     * Handles a bad sample: rethrows the error, or (when skipping) counts and logs the sample the
     * first time it is met.
     *
     * @param sample what identifies the sample across splits and epochs (its image file, or its
     *     entry in an annotation file)
     * @param error the error, naming the file and the problem
     * @throws IllegalArgumentException the error itself, unless bad samples are skipped
     */
    void reject(String sample, IllegalArgumentException error) {
        if (!skipBadSamples) {
            throw error;
        }
        if (skipped.add(sample)) {
            log.accept("skipped bad sample: " + error.getMessage());
        }
    }
}
