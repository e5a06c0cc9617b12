package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.Test;

/**
 * Adversarial cases of {@link OutputFolder#claim}, without training: the user's own hidden {@code
 * .tmp} files are not "leftovers" of the run, and a checkpoint that an earlier run wrote whole but
 * had not yet renamed is an earlier run that a fresh run must not take over.
 */
public class OutputFolderClaimTest {

    private final ByteArrayOutputStream report = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8);

    /** A whole checkpoint of epoch 1 in a temporary folder, as a run killed before its rename. */
    private static Path wholeUnrenamedCheckpoint(Path output) throws IOException {
        Path temporary = output.resolve("checkpoints/.epoch-1-k3j2");
        Files.createDirectories(temporary);
        Files.write(temporary.resolve(Checkpoints.PARAMETERS), new byte[] {1, 2, 3});
        Files.writeString(
                temporary.resolve(Checkpoints.DESCRIPTION),
                "{\"epoch\": 1, \"task\": \"semantic\", \"files\": {\"params.ndlist\": 3}}");
        return temporary;
    }

    @Test
    public void theUsersHiddenTmpFilesAreNotTakenForLeftovers() throws IOException {
        Path output = Files.createTempDirectory("segloss-claim-tmp");
        Files.writeString(output.resolve(".notes.txt.tmp"), "mine");
        Files.writeString(output.resolve(".data.2024.tmp"), "mine too");
        Files.writeString(output.resolve(".metrics.csv.3kq9x1c.tmp"), "epo");

        for (boolean overwrite : new boolean[] {false, true}) {
            try (RunLock lock = OutputFolder.claim(output, false, overwrite, out)) {
                assertEquals(Files.readString(output.resolve(".notes.txt.tmp")), "mine");
                assertEquals(Files.readString(output.resolve(".data.2024.tmp")), "mine too");
                assertFalse(Files.exists(output.resolve(".metrics.csv.3kq9x1c.tmp")));
            }
        }
        try (RunLock lock = OutputFolder.claim(output, true, false, out)) {
            assertTrue(Files.exists(output.resolve(".notes.txt.tmp")), "kept on --resume");
        }
    }

    @Test
    public void aWholeUnrenamedCheckpointIsAnEarlierRunThatAFreshRunRefuses() throws IOException {
        Path output = Files.createTempDirectory("segloss-claim-unrenamed");
        wholeUnrenamedCheckpoint(output);

        IllegalArgumentException refused =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> OutputFolder.claim(output, false, false, out).close());

        assertTrue(refused.getMessage().contains("holds an earlier run"), refused.getMessage());
        assertTrue(refused.getMessage().contains("checkpoints/epoch-0001"), refused.getMessage());
        // the earlier run's checkpoint is kept, in place, for --resume
        Path kept = output.resolve("checkpoints/epoch-0001");
        assertTrue(Checkpoints.isComplete(kept), kept + " is kept whole");
        try (RunLock lock = OutputFolder.claim(output, true, false, out)) {
            assertEquals(Checkpoints.latest(output.resolve("checkpoints")).orElseThrow(), kept);
        }
    }

    @Test
    public void overwriteDeletesAWholeUnrenamedCheckpointToo() throws IOException {
        Path output = Files.createTempDirectory("segloss-claim-overwrite");
        wholeUnrenamedCheckpoint(output);

        try (RunLock lock = OutputFolder.claim(output, false, true, out)) {
            assertFalse(Files.exists(output.resolve("checkpoints")), "the earlier run is deleted");
        }
        assertTrue(
                report.toString(StandardCharsets.UTF_8).contains("checkpoints/epoch-0001"),
                report.toString(StandardCharsets.UTF_8));
    }
}
