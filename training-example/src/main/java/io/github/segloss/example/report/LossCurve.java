package io.github.segloss.example.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code loss-curve.png}: the training loss components and the validation loss over the epochs on
 * the left axis, and the validation mIoU on the right axis (0 to 1, dashed), with title, axis
 * labels, ticks, grid and a legend under the chart.
 *
 * <p>The total training loss (the first component) is the widest line. Epochs are drawn in order of
 * their number. NaN and infinite values are skipped: the line breaks there, and a line with no
 * value at all (say, validation loss in a run without validation) is left out, legend included.
 * Each point has a dot while there are at most 40 epochs, so a single epoch shows as dots; beyond
 * that only points without a neighbour get one. The left axis starts at 0 (or at the lowest value
 * if that is negative) and ends at a nice number above the highest.
 */
public final class LossCurve {

    static {
        Headless.ensure();
    }

    /** The colour of the validation loss. */
    static final Color VALIDATION = new Color(0xD62728);

    /** The colour of the mIoU. */
    static final Color MEAN_IOU = new Color(0x2CA02C);

    /** The colours of the training loss components, in order, repeating. */
    static final List<Color> TRAIN =
            List.of(
                    new Color(0x1F77B4),
                    new Color(0xFF7F0E),
                    new Color(0x9467BD),
                    new Color(0x8C564B),
                    new Color(0xE377C2),
                    new Color(0x7F7F7F),
                    new Color(0xBCBD22),
                    new Color(0x17BECF));

    private LossCurve() {}

    /**
     * Renders {@code loss-curve.png} atomically.
     *
     * @param file the file to write
     * @param epochs the epochs to plot, in any order
     * @param width the image width in pixels, at least 320
     * @param height the image height in pixels, at least 240
     * @throws IllegalArgumentException if the image is smaller than 320 × 240
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, List<EpochMetrics> epochs, int width, int height)
            throws IOException {
        Objects.requireNonNull(file, "file");
        PngFiles.write(file, chart(epochs, width, height).draw());
    }

    /** The chart of the epochs, not yet drawn. */
    static LineChart chart(List<EpochMetrics> epochs, int width, int height) {
        Objects.requireNonNull(epochs, "epochs");
        List<EpochMetrics> sorted = new ArrayList<>(epochs);
        for (int i = 0; i < sorted.size(); i++) {
            Objects.requireNonNull(sorted.get(i), "epochs[" + i + "]");
        }
        sorted.sort(Comparator.comparingInt(EpochMetrics::epoch));
        int n = sorted.size();
        int[] x = new int[n];
        double[] validation = new double[n];
        double[] meanIoU = new double[n];
        Set<String> components = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            EpochMetrics epoch = sorted.get(i);
            x[i] = epoch.epoch();
            validation[i] = epoch.validationLoss();
            meanIoU[i] = epoch.meanIoU();
            components.addAll(epoch.trainLoss().keySet());
        }
        List<Series> series = new ArrayList<>();
        int c = 0;
        for (String name : components) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = sorted.get(i).trainLoss().getOrDefault(name, Double.NaN);
            }
            Color colour = TRAIN.get(c % TRAIN.size());
            series.add(
                    new Series("train " + name, colour, c == 0 ? 2.5f : 1.5f, false, false, x, y));
            c++;
        }
        series.add(new Series("validation loss", VALIDATION, 2f, false, false, x, validation));
        series.add(new Series("mIoU (right)", MEAN_IOU, 2f, true, true, x, meanIoU));
        return new LineChart(
                width, height, "Loss and mIoU per epoch", "epoch", "loss", "mIoU", 0, 1, series);
    }
}
