package io.github.segloss.example.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An output of a run could not be written: the disk is full, the folder is read-only, a path that
 * should be a folder is a file. The message is one line, {@code cannot write PATH: PROBLEM}, naming
 * the output the run was writing (not a temporary file) and the file system's reason.
 */
public final class OutputWriteException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * Reports a failed write.
     *
     * @param path the output that could not be written
     * @param cause the file system's failure
     */
    public OutputWriteException(Path path, IOException cause) {
        super("cannot write " + path + ": " + problem(cause), cause);
        this.path = path;
    }

    /**
     * Reports an output that cannot be written for a reason found before writing.
     *
     * @param path the output that cannot be written
     * @param problem what is wrong with it
     */
    public OutputWriteException(Path path, String problem) {
        super("cannot write " + path + ": " + problem);
        this.path = path;
    }

    /**
     * Returns the output that could not be written.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * Describes a file system failure in a few words, without the path: the operating system's
     * reason (e.g. "No space left on device", "Read-only file system") where the JDK keeps it.
     *
     * @param failure the failure
     * @return the problem
     */
    public static String problem(IOException failure) {
        Objects.requireNonNull(failure, "failure");
        if (failure instanceof OutputWriteException written) {
            return written.getMessage();
        }
        if (failure instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (failure instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (failure instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (failure instanceof FileAlreadyExistsException) {
            return "a file of that name exists";
        }
        if (failure instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getReason();
        }
        String message = failure.getMessage();
        return message == null || message.isBlank()
                ? failure.getClass().getSimpleName()
                : message.lines().findFirst().orElse(message);
    }
}
