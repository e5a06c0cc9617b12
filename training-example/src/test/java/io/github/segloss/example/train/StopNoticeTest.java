package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.Test;

/** The line a signal prints, in each phase of a run. */
public class StopNoticeTest {

    @Test
    public void aSignalWhileOverwritingSaysToStartAgainWithOverwrite() throws IOException {
        Path checkpoints = Files.createTempDirectory("segloss-notice").resolve("checkpoints");
        Files.createDirectories(checkpoints.resolve("epoch-0003"));
        try (StopNotice notice = StopNotice.register(checkpoints, true)) {
            assertEquals(
                    notice.line(),
                    "segloss-train: stopped by a signal before the first batch; start the run"
                            + " again with --overwrite");
        }
    }

    @Test
    public void aSignalBeforeTheFirstBatchWithoutCheckpointsSaysResumeStartsAtEpochOne()
            throws IOException {
        Path checkpoints = Files.createTempDirectory("segloss-notice").resolve("checkpoints");
        try (StopNotice notice = StopNotice.register(checkpoints, false)) {
            assertEquals(
                    notice.line(),
                    "segloss-train: stopped by a signal before the first batch; no checkpoint"
                            + " yet: --resume starts again at epoch 1");
        }
    }

    @Test
    public void anOverwritingRunThatTrainsPointsToItsOwnCheckpoints() throws IOException {
        Path checkpoints = Files.createTempDirectory("segloss-notice").resolve("checkpoints");
        try (StopNotice notice = StopNotice.register(checkpoints, true)) {
            notice.batch(1, 4);
            assertEquals(
                    notice.line(),
                    "segloss-train: stopped by a signal at epoch 1, batch 4; no checkpoint yet:"
                            + " --resume starts again at epoch 1");
        }
    }
}
