package io.github.segloss.example.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

/** {@link ProgressBar}: short logs, redrawn terminals, the summary last. */
public class ProgressBarTest {

    private ByteArrayOutputStream bytes;
    private PrintStream out;

    /** TestNG runs every method on the same instance: each gets a fresh stream. */
    @BeforeMethod
    public void freshStream() {
        bytes = new ByteArrayOutputStream();
        out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return output().lines().toList();
    }

    private static void run(ProgressBar bar, int batches) {
        for (int batch = 1; batch <= batches; batch++) {
            bar.update(batch, 1.0 / batch, 35.2);
        }
        bar.finish("loss 0.0100, mIoU 0.612");
    }

    @Test
    public void aLogGetsAtMostElevenLinesFor100BatchesEndingWithTheSummary() {
        run(new ProgressBar(out, 3, 10, 100, false), 100);

        List<String> lines = lines();
        assertTrue(lines.size() <= 11, lines.toString());
        assertEquals(lines.get(lines.size() - 1), "epoch 3/10: loss 0.0100, mIoU 0.612");
        assertFalse(output().contains("\r"));
    }

    @Test
    public void aLogLineShowsBarBatchesLossAndThroughput() {
        ProgressBar bar = new ProgressBar(out, 3, 10, 24, false);

        for (int batch = 1; batch <= 12; batch++) {
            bar.update(batch, 0.4123, 35.24);
        }

        assertEquals(
                lines().get(lines().size() - 1),
                "epoch 3/10 [#####.....] 12/24 batches, loss 0.4123, 35.2 img/s");
    }

    @Test
    public void aShortEpochLogsEveryBatch() {
        run(new ProgressBar(out, 1, 1, 3, false), 3);

        assertEquals(lines().size(), 4);
        assertTrue(lines().get(0).startsWith("epoch 1/1 [###.......] 1/3 batches"), lines().get(0));
    }

    @Test
    public void aTerminalRedrawsOneLineEndingWithTheSummary() {
        run(new ProgressBar(out, 2, 5, 100, true), 100);

        String text = output();
        assertEquals(text.chars().filter(c -> c == '\r').count(), 101);
        assertEquals(text.chars().filter(c -> c == '\n').count(), 1);
        assertTrue(text.endsWith("\n"));
        String last = text.substring(text.lastIndexOf('\r') + 1, text.length() - 1);
        assertEquals(last.strip(), "epoch 2/5: loss 0.0100, mIoU 0.612");
    }

    @Test
    public void aShorterRedrawBlanksTheRestOfTheLongerLine() {
        ProgressBar bar = new ProgressBar(out, 1, 1, 2, true);

        bar.update(1, 123456.789, 1000.0);
        String longLine = output().substring(1);
        bar.finish("done");

        String last = output().substring(output().lastIndexOf('\r') + 1, output().length() - 1);
        assertEquals(last.length(), longLine.length());
        assertEquals(last.strip(), "epoch 1/1: done");
    }

    @Test
    public void nanLossIsShownAsNaN() {
        new ProgressBar(out, 1, 1, 1, false).update(1, Double.NaN, 0);

        assertEquals(lines().get(0), "epoch 1/1 [##########] 1/1 batches, loss NaN, 0.0 img/s");
    }

    @Test
    public void anEpochOutsideTheRunIsRejected() {
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> new ProgressBar(out, 0, 10, 5, false));

        assertEquals(e.getMessage(), "epoch must be in [1, epochs = 10], got 0");
    }

    @Test
    public void aBatchOutsideTheEpochIsRejected() {
        ProgressBar bar = new ProgressBar(out, 1, 1, 5, false);

        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> bar.update(6, 0, 0));

        assertEquals(e.getMessage(), "batch must be in [1, batches = 5], got 6");
    }

    @Test
    public void aFinishedBarRefusesUpdates() {
        ProgressBar bar = new ProgressBar(out, 4, 10, 5, false);
        bar.finish("done");

        IllegalStateException e =
                expectThrows(IllegalStateException.class, () -> bar.update(1, 0, 0));

        assertEquals(e.getMessage(), "the progress bar of epoch 4/10 is finished");
    }
}
