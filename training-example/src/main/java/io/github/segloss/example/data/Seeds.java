package io.github.segloss.example.data;

/**
 * Derives independent seeds from a base seed and a few counters (sample index, epoch), so that
 * every random draw of the data layer is reproducible from one seed and random access.
 *
 * <p>The parts are folded with SplitMix64's finaliser rather than XOR-ed, so that, unlike {@code
 * seed ^ index ^ epoch}, sample 1 of epoch 0 and sample 0 of epoch 1 get unrelated streams.
 */
final class Seeds {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Seeds() {}

    /**
     * Mixes a base seed with counters into one well-spread seed.
     *
     * @param seed the base seed
     * @param parts the counters, in a fixed order
     * @return the derived seed
     */
    static long mix(long seed, long... parts) {
        long h = finish(seed + GOLDEN_GAMMA);
        for (long part : parts) {
            h = finish(h + GOLDEN_GAMMA + finish(part + GOLDEN_GAMMA));
        }
        return h;
    }

    private static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
