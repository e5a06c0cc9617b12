package io.github.segloss.example.train;

import io.github.segloss.example.files.OutputWriteException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock of a run on its output folder: an operating-system lock on the file {@value
 * #FILE} inside it, held until {@link #close}. The operating system releases it when the process
 * ends in any way, SIGKILL included, so a killed run never blocks the next one. The file itself
 * stays (deleting it would let a third run lock a new file while a second still holds the old one).
 */
final class RunLock implements AutoCloseable {

    /** The lock file's name inside the output folder. */
    static final String FILE = ".segloss-train.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks an output folder for this run.
     *
     * @param output the existing output folder
     * @return the held lock
     * @throws IllegalArgumentException if another run (another process, or another run in this JVM)
     *     holds the folder
     * @throws OutputWriteException if the lock file cannot be created (a read-only folder)
     */
    static RunLock acquire(Path output) throws IOException {
        Path file = output.resolve(FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new OutputWriteException(file, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalArgumentException(
                    "--output "
                            + output
                            + " is in use by another segloss-train run (it holds "
                            + file
                            + "); wait for that run to end or choose another --output");
        }
        return new RunLock(channel, lock);
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
