package io.github.segloss.example.train;

/**
 * A training run ran out of memory (an engine's allocator or the JVM's heap). The message is one
 * line that says on which batch and suggests a smaller {@code --batch-size}; the engine's own error
 * is the cause. {@code segloss-train} prints the message and exits with its own code.
 */
public final class TrainingOutOfMemoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the one-line message, starting with "out of memory"
     * @param cause the engine's or the JVM's error
     */
    public TrainingOutOfMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
