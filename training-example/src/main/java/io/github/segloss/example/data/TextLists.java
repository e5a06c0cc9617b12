package io.github.segloss.example.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the plain-text lists of a dataset: class names and split lists of sample names. */
final class TextLists {

    /** The most classes a label mask can hold: ids 0..254, since 255 means ignore. */
    static final int MAX_CLASSES = Sample.IGNORE;

    private TextLists() {}

    /**
     * Reads one class name per line; line i is class id i. Trailing blank lines are dropped.
     *
     * @param file the class list
     * @return the class names
     * @throws IllegalArgumentException if the list is empty, has a blank or repeated name inside,
     *     or has more than {@value #MAX_CLASSES} names
     */
    static List<String> classNames(Path file) {
        List<String> lines = lines(file);
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + ": no class names (one per line expected)");
        }
        if (lines.size() > MAX_CLASSES) {
            throw new IllegalArgumentException(
                    file
                            + ": at most "
                            + MAX_CLASSES
                            + " classes (255 is ignore), got "
                            + lines.size());
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String name = lines.get(i).strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException(
                        file + ": line " + (i + 1) + " is blank; every class id needs a name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(
                        file + ": class \"" + name + "\" on line " + (i + 1) + " is repeated");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /**
     * Reads one sample name per line, skipping blank lines and lines starting with {@code #}.
     *
     * @param file the split list
     * @return the names, in file order
     * @throws IllegalArgumentException if the file cannot be read or a name repeats
     */
    static List<String> sampleNames(Path file) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String name = lines.get(i).strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(
                        file + ": sample \"" + name + "\" on line " + (i + 1) + " is repeated");
            }
            names.add(name);
        }
        return names;
    }

    private static List<String> lines(Path file) {
        try {
            return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + ErrorText.reason(e), e);
        }
    }
}
