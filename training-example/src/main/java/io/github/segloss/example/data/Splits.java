package io.github.segloss.example.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Deterministic train/val splits of a list of sample names. */
final class Splits {

    private Splits() {}

    /**
     * Splits names by a validation fraction: the names are sorted, shuffled by the seed, and the
     * first {@code round(n * valFraction)} go to validation, the rest to training. A positive
     * fraction gives at least one validation name, and training keeps at least one, whenever there
     * are two or more names.
     *
     * @param names the sample names, in any order
     * @param split "train" or "val"
     * @param valFraction the validation fraction in [0, 1)
     * @param seed the seed of the shuffle
     * @return the names of the split, sorted
     */
    static List<String> byFraction(
            List<String> names, String split, double valFraction, long seed) {
        List<String> shuffled = new ArrayList<>(names);
        Collections.sort(shuffled);
        Collections.shuffle(shuffled, new Random(Seeds.mix(seed, 0x5B11L)));
        int n = shuffled.size();
        int val = (int) Math.round(n * valFraction);
        if (n >= 2) {
            if (valFraction > 0 && val == 0) {
                val = 1;
            }
            val = Math.min(val, n - 1);
        }
        List<String> chosen =
                new ArrayList<>(
                        "val".equals(split) ? shuffled.subList(0, val) : shuffled.subList(val, n));
        Collections.sort(chosen);
        return chosen;
    }

    /**
     * Returns the names not in a list, keeping their order.
     *
     * @param names all names
     * @param excluded the names to leave out
     * @return the other names
     */
    static List<String> complement(List<String> names, List<String> excluded) {
        Set<String> out = new HashSet<>(excluded);
        List<String> rest = new ArrayList<>();
        for (String name : names) {
            if (!out.contains(name)) {
                rest.add(name);
            }
        }
        return rest;
    }
}
