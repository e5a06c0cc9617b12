package io.github.segloss.example.eval;

/** Messages on one line, as the commands promise. */
final class Lines {

    private Lines() {}

    /**
     * The text on one line: control characters (a newline in a file name) are shown as Java's
     * backslash-u escapes.
     *
     * @param text any text
     * @return the text without control characters
     */
    static String oneLine(String text) {
        String value = text == null ? "null" : text;
        StringBuilder line = new StringBuilder(value.length());
        value.codePoints()
                .forEach(
                        c -> {
                            if (Character.isISOControl(c)) {
                                line.append(String.format("\\u%04x", c));
                            } else {
                                line.appendCodePoint(c);
                            }
                        });
        return line.toString();
    }
}
