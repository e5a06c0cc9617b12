package io.github.segloss.example.train;

import io.github.segloss.example.data.Sample;
import io.github.segloss.example.data.SampleSource;
import java.util.Arrays;
import java.util.Locale;

/** The class weights that {@code --class-weights} offers. */
public final class ClassWeighting {

    private ClassWeighting() {}

    /**
     * Parses {@code none}, {@code auto} or a comma-separated list of weights.
     *
     * @param text the option's value
     * @param classes the number of classes
     * @param train the training data, read for {@code auto}
     * @return the weights, or {@code null} for none
     * @throws IllegalArgumentException if the list has the wrong length or a bad number
     */
    public static float[] parse(String text, int classes, SampleSource train) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("none")) {
            return null;
        }
        if (value.equals("auto")) {
            return medianFrequency(train, classes);
        }
        String[] parts = value.split(",");
        if (parts.length != classes) {
            throw new IllegalArgumentException(
                    "--class-weights needs one weight per class ("
                            + classes
                            + "), got "
                            + parts.length
                            + ": "
                            + text);
        }
        float[] weights = new float[classes];
        for (int c = 0; c < classes; c++) {
            try {
                weights[c] = Float.parseFloat(parts[c].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--class-weights must be numbers, got " + parts[c].trim(), e);
            }
            if (!(weights[c] >= 0) || Float.isInfinite(weights[c])) {
                throw new IllegalArgumentException(
                        "--class-weights must be finite and >= 0, got " + parts[c].trim());
            }
        }
        return weights;
    }

    /**
     * Median-frequency balancing (Eigen and Fergus, 2015): \( w_c = \mathrm{median}(f) / f_c \)
     * with \( f_c \) the pixels of class c over the pixels of the images that contain c; classes
     * never seen weigh 0.
     *
     * @param train the training data
     * @param classes the number of classes
     * @return the weights
     */
    public static float[] medianFrequency(SampleSource train, int classes) {
        long[] pixels = new long[classes];
        long[] imagePixels = new long[classes];
        for (int i = 0; i < train.size(); i++) {
            Sample sample = train.get(i);
            long[] counts = new long[classes];
            long labelled = 0;
            for (int label : sample.semantic()) {
                if (label >= 0 && label < classes) {
                    counts[label]++;
                    labelled++;
                }
            }
            for (int c = 0; c < classes; c++) {
                if (counts[c] > 0) {
                    pixels[c] += counts[c];
                    imagePixels[c] += labelled;
                }
            }
        }
        double[] frequency = new double[classes];
        double[] seen = new double[classes];
        int count = 0;
        for (int c = 0; c < classes; c++) {
            if (imagePixels[c] > 0) {
                frequency[c] = (double) pixels[c] / imagePixels[c];
                seen[count++] = frequency[c];
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("--class-weights auto found no labelled pixel");
        }
        double[] sorted = Arrays.copyOf(seen, count);
        Arrays.sort(sorted);
        double median =
                count % 2 == 1
                        ? sorted[count / 2]
                        : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
        float[] weights = new float[classes];
        for (int c = 0; c < classes; c++) {
            weights[c] = frequency[c] > 0 ? (float) (median / frequency[c]) : 0f;
        }
        return weights;
    }
}
