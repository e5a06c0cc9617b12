package io.github.segloss.example.train;

/**
 * A training run stopped because it diverged: a batch's loss was NaN or infinite (beyond what
 * {@code --skip-nonfinite-batches} allows) or the parameters stopped being finite. The message is
 * one line naming the epoch, the batch or parameter, and the last good checkpoint; {@code
 * segloss-train} prints it and exits with its own code.
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the one-line message, starting with "training diverged: "
     */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
