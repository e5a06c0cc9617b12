package io.github.segloss.example.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one line a run prints when a signal (SIGTERM, SIGINT) stops it: a shutdown hook, registered
 * for the run's life, says where the run was and which checkpoint {@code --resume} continues from,
 * e.g. {@code segloss-train: stopped by a signal at epoch 3, batch 17; --resume continues after
 * runs/semantic/checkpoints/epoch-0002}. The JVM then exits as the signal asks (143 for SIGTERM).
 * The line goes to standard error; the checkpoint is the newest complete one on disk when the
 * signal comes.
 */
final class StopNotice implements AutoCloseable {

    private final Path checkpoints;
    private final boolean overwrite;
    private final Thread hook;
    private volatile int epoch;
    private volatile int batch;

    private StopNotice(Path checkpoints, boolean overwrite) {
        this.checkpoints = checkpoints;
        this.overwrite = overwrite;
        this.hook = new Thread(this::report, "segloss-stop-notice");
    }

    /**
     * Registers the notice of a run, before its output folder is claimed.
     *
     * @param checkpoints the run's checkpoint folder
     * @param overwrite whether the run deletes an earlier run's files first ({@code --overwrite})
     * @return the notice, to be told the progress and closed when the run ends
     */
    static StopNotice register(Path checkpoints, boolean overwrite) {
        StopNotice notice = new StopNotice(checkpoints, overwrite);
        Runtime.getRuntime().addShutdownHook(notice.hook);
        return notice;
    }

    /**
     * Records the training batch the run is at.
     *
     * @param epoch the epoch (1-based)
     * @param batch the batch in the epoch (1-based)
     */
    void batch(int epoch, int batch) {
        this.epoch = epoch;
        this.batch = batch;
    }

    /**
     * Returns the line the notice prints.
     *
     * @return the line
     */
    String line() {
        String where =
                epoch == 0 ? "before the first batch" : "at epoch " + epoch + ", batch " + batch;
        if (epoch == 0 && overwrite) {
            // the earlier run's files may be half deleted: continuing them is not what was asked
            return "segloss-train: stopped by a signal "
                    + where
                    + "; start the run again with --overwrite";
        }
        Optional<Path> latest;
        try {
            latest = Checkpoints.latest(checkpoints);
        } catch (IOException | RuntimeException e) {
            latest = Optional.empty();
        }
        String resume =
                latest.map(path -> "--resume continues after " + path)
                        .orElse("no checkpoint yet: --resume starts again at epoch 1");
        return "segloss-train: stopped by a signal " + where + "; " + resume;
    }

    private void report() {
        System.err.println(line());
        System.err.flush();
    }

    /** Unregisters the notice: the run has ended by itself. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs or has run
        }
    }
}
