package io.github.segloss.example.files;

import static org.testng.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.testng.annotations.Test;

/** The one line of an output that cannot be written: the path, then the problem in a few words. */
public class OutputWriteExceptionTest {

    private static final Path RUN = Path.of("runs", "semantic", "metrics.csv");

    @Test
    public void aReadOnlyFileSystemIsNamedAsTheSystemSaysIt() {
        IOException cause =
                new FileSystemException(
                        "runs/semantic/.metrics.csv.x.tmp", null, "Read-only file system");
        assertEquals(
                new OutputWriteException(RUN, cause).getMessage(),
                "cannot write " + RUN + ": Read-only file system");
    }

    @Test
    public void aFolderWithoutWritePermissionIsPermissionDenied() {
        IOException cause = new AccessDeniedException("runs/semantic/.metrics.csv.x.tmp");
        assertEquals(
                new OutputWriteException(RUN, cause).getMessage(),
                "cannot write " + RUN + ": permission denied");
    }

    @Test
    public void aFullDiskKeepsTheSystemsWords() {
        IOException cause = new IOException("No space left on device");
        assertEquals(
                new OutputWriteException(RUN, cause).getMessage(),
                "cannot write " + RUN + ": No space left on device");
    }
}
