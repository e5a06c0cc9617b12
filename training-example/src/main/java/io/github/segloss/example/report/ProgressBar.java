package io.github.segloss.example.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * The progress of one epoch on one line:
 *
 * <pre>epoch 3/10 [#####.....] 12/24 batches, loss 0.4123, 35.2 img/s</pre>
 *
 * <p>On a terminal the line is redrawn in place (with {@code '\r'}) after every batch. Elsewhere (a
 * log file, a CI job) a line is printed each time another tenth of the batches is done, so an epoch
 * takes at most 10 lines however many batches it has, plus the summary {@link #finish} prints.
 * Epochs and batches count from 1. A bar is used from one thread.
 */
public final class ProgressBar {

    private static final int BAR_WIDTH = 10;

    private final PrintStream out;
    private final int epoch;
    private final int epochs;
    private final int batches;
    private final boolean interactive;
    private final String batchFormat;
    private int printedTenths;
    private int drawnLength;
    private boolean finished;

    /**
     * A bar that redraws itself when the JVM runs on a terminal ({@link System#console()} is not
     * null) and prints every tenth otherwise.
     *
     * @param out where to print
     * @param epoch this epoch, in [1, epochs]
     * @param epochs the number of epochs, at least 1
     * @param batches the number of batches in this epoch, at least 1
     * @throws IllegalArgumentException if a count is out of range
     */
    public ProgressBar(PrintStream out, int epoch, int epochs, int batches) {
        this(out, epoch, epochs, batches, System.console() != null);
    }

    /**
     * A bar.
     *
     * @param out where to print
     * @param epoch this epoch, in [1, epochs]
     * @param epochs the number of epochs, at least 1
     * @param batches the number of batches in this epoch, at least 1
     * @param interactive true to redraw the line in place after every batch (a terminal), false to
     *     print a line every tenth of the batches (a log)
     * @throws IllegalArgumentException if a count is out of range
     */
    public ProgressBar(PrintStream out, int epoch, int epochs, int batches, boolean interactive) {
        this.out = Objects.requireNonNull(out, "out");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException(
                    "epoch must be in [1, epochs = " + epochs + "], got " + epoch);
        }
        if (batches < 1) {
            throw new IllegalArgumentException("batches must be >= 1, got " + batches);
        }
        this.epoch = epoch;
        this.epochs = epochs;
        this.batches = batches;
        this.interactive = interactive;
        this.batchFormat = "%" + Integer.toString(batches).length() + "d";
    }

    /**
     * Shows that a batch is done.
     *
     * @param batch the batches done so far in this epoch, in [1, batches]
     * @param loss the running training loss
     * @param imagesPerSecond the running training throughput
     * @throws IllegalArgumentException if batch is out of range
     * @throws IllegalStateException if the bar is finished
     */
    public void update(int batch, double loss, double imagesPerSecond) {
        requireOpen();
        if (batch < 1 || batch > batches) {
            throw new IllegalArgumentException(
                    "batch must be in [1, batches = " + batches + "], got " + batch);
        }
        String line = line(batch, loss, imagesPerSecond);
        if (interactive) {
            redraw(line);
            out.flush();
        } else {
            int tenths = (int) ((long) batch * BAR_WIDTH / batches);
            if (tenths > printedTenths) {
                printedTenths = tenths;
                out.println(line);
            }
        }
    }

    /**
     * Ends the epoch's bar with a summary line, {@code epoch 3/10: <summary>}, which replaces the
     * bar on a terminal.
     *
     * @param summary the epoch's results, for example its losses and mIoU
     * @throws IllegalStateException if the bar is already finished
     */
    public void finish(String summary) {
        Objects.requireNonNull(summary, "summary");
        requireOpen();
        finished = true;
        String line = String.format(Locale.ROOT, "epoch %d/%d: %s", epoch, epochs, summary);
        if (interactive) {
            redraw(line);
            out.println();
        } else {
            out.println(line);
        }
        out.flush();
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException(
                    "the progress bar of epoch " + epoch + "/" + epochs + " is finished");
        }
    }

    private String line(int batch, double loss, double imagesPerSecond) {
        int done = (int) ((long) batch * BAR_WIDTH / batches);
        String bar = "#".repeat(done) + ".".repeat(BAR_WIDTH - done);
        return String.format(
                Locale.ROOT,
                "epoch %d/%d [%s] " + batchFormat + "/%d batches, loss %.4f, %.1f img/s",
                epoch,
                epochs,
                bar,
                batch,
                batches,
                loss,
                imagesPerSecond);
    }

    /** Returns to the start of the line and overwrites it, blanking what the last line left. */
    private void redraw(String line) {
        int leftover = Math.max(0, drawnLength - line.length());
        out.print('\r' + line + " ".repeat(leftover));
        drawnLength = line.length();
    }
}
