package io.github.segloss.example.train;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The data-loading threads of a training run: daemons, so a failed run never hangs the JVM. */
final class Loaders {

    /** The threads that read and augment samples while the model trains. */
    static final int THREADS = 2;

    /** The batches loaded ahead of the one being trained, by every task: one per thread. */
    static final int PREFETCH = THREADS;

    private Loaders() {}

    /**
     * Starts the loader threads; the caller shuts them down when the run ends.
     *
     * @param name the threads' name
     * @return the executor
     */
    static ExecutorService start(String name) {
        return Executors.newFixedThreadPool(
                THREADS,
                task -> {
                    Thread thread = new Thread(task, name);
                    thread.setDaemon(true);
                    return thread;
                });
    }
}
