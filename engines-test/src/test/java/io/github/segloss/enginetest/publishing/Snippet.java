package io.github.segloss.enginetest.publishing;

import java.util.ArrayList;
import java.util.List;

/**
 * A block of code read from a file: the README's fenced block or the consumer sample's region
 * between its {@code BEGIN README SNIPPET} and {@code END README SNIPPET} markers, with its common
 * indentation and trailing spaces removed.
 *
 * @param language {@code java} or {@code xml}
 * @param where the file and the line of the block's first line, for messages
 * @param lines the block's lines
 */
record Snippet(String language, String where, List<String> lines) {

    /**
     * Makes a snippet from raw lines: strips trailing spaces and the indentation common to the
     * non-blank lines.
     *
     * @param language {@code java} or {@code xml}
     * @param where the file and line, for messages
     * @param raw the lines as they stand in the file
     * @return the snippet
     */
    static Snippet of(String language, String where, List<String> raw) {
        int indent = Integer.MAX_VALUE;
        for (String line : raw) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String line : raw) {
            lines.add(line.isBlank() ? "" : line.substring(indent).stripTrailing());
        }
        return new Snippet(language, where, List.copyOf(lines));
    }

    /**
     * How many leading lines this snippet shares with another.
     *
     * @param other the other snippet
     * @return the length of the common prefix, in lines
     */
    int commonPrefix(Snippet other) {
        int n = 0;
        while (n < lines.size()
                && n < other.lines.size()
                && lines.get(n).equals(other.lines.get(n))) {
            n++;
        }
        return n;
    }

    /**
     * Says where this snippet first differs from another, for a failure message.
     *
     * @param other the closest snippet of the other file
     * @return one line naming both places and both lines
     */
    String firstDifference(Snippet other) {
        int n = commonPrefix(other);
        return "closest is "
                + other.where
                + ", which first differs at line "
                + (n + 1)
                + " of the snippet: here `"
                + (n < lines.size() ? lines.get(n) : "(end of snippet)")
                + "`, there `"
                + (n < other.lines.size() ? other.lines.get(n) : "(end of snippet)")
                + "`";
    }

    /**
     * The first line, to name the snippet.
     *
     * @return its first non-blank line
     */
    String firstLine() {
        return lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("");
    }
}
