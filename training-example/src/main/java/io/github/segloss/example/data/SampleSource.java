package io.github.segloss.example.data;

import java.util.List;

/**
 * A random-access list of samples with a class list.
 *
 * <p>Implementations are thread-safe for {@link #get(int)}: DJL loads batches on several threads.
 */
public interface SampleSource {

    /**
     * Returns the class names; the index of a name is the class id used in {@link
     * Sample#semantic()} and {@link Instance#classIndex()}.
     *
     * @return the class names, index 0 first
     */
    List<String> classes();

    /**
     * Returns the number of samples.
     *
     * @return the number of samples
     */
    int size();

    /**
     * Decodes (or generates) one sample, afresh on each call.
     *
     * @param index the sample's index in {@code [0, size())}
     * @return the sample
     * @throws IllegalArgumentException if the sample's files are bad (the message names the file)
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    Sample get(int index);
}
