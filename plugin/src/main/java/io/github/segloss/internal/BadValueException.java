package io.github.segloss.internal;

/**
 * A value check's failure ({@link ValueChecks}): an {@link IllegalArgumentException} that also
 * tells which argument held the first bad value and what it was, so that a loss can add the likely
 * cause (see {@link LossErrors}).
 */
public final class BadValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String argument;
    private final double value;

    /**
     * Creates the failure.
     *
     * @param argument the argument's name, e.g. "labels"
     * @param value the first bad value
     * @param message the whole message
     */
    public BadValueException(String argument, double value, String message) {
        super(message);
        this.argument = argument;
        this.value = value;
    }

    /**
     * Returns the name of the argument that held the bad value.
     *
     * @return e.g. "labels"
     */
    public String argument() {
        return argument;
    }

    /**
     * Returns the first bad value.
     *
     * @return the value
     */
    public double value() {
        return value;
    }
}
