package io.github.segloss.example.data;

/** Turns a library's exception into the one-line reason that our messages end with. */
final class ErrorText {

    private ErrorText() {}

    /**
     * Returns the first line of the exception's message, without a leading exception class name
     * (Gson prefixes its cause's class; its second line is a link).
     *
     * @param e the exception
     * @return the reason, one line
     */
    static String reason(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        return message.replaceFirst("^([a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error): ", "")
                .strip();
    }
}
