package io.github.segloss.enginetest.fuzz;

/**
 * Host targets of the segmentation-mode losses (focal, Dice family, Lovász), laid out as
 * segmentation_models.pytorch reads them: {@code (N, C, S)} 0/1 targets with a validity mask of the
 * same layout.
 *
 * <p>MULTICLASS: labels {@code (N, S)} of class indices, \( t_{ncs} = [y_{ns} = c] \), valid where
 * the label is not the ignore index (for every class). BINARY: labels {@code (N, S)}, one channel.
 * MULTILABEL: labels {@code (N, C, S)}, each element its own target and validity.
 *
 * @param n N
 * @param classes C
 * @param pixels S
 * @param target the 0/1 targets {@code (N, C, S)}, 0 where ignored
 * @param valid 1 where the element counts, {@code (N, C, S)}
 */
public record Targets(int n, int classes, int pixels, double[] target, boolean[] valid) {

    /**
     * Builds the targets of a mode.
     *
     * @param mode "BINARY", "MULTICLASS" or "MULTILABEL"
     * @param labels the labels as the engine gets them
     * @param n N
     * @param classes C
     * @param pixels S
     * @param ignore the ignore index or {@link Inputs#NO_IGNORE}
     * @return the targets
     */
    public static Targets of(
            String mode, double[] labels, int n, int classes, int pixels, int ignore) {
        double[] target = new double[n * classes * pixels];
        boolean[] valid = new boolean[target.length];
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < classes; k++) {
                for (int s = 0; s < pixels; s++) {
                    int at = (b * classes + k) * pixels + s;
                    double label = mode.equals("MULTILABEL") ? labels[at] : labels[b * pixels + s];
                    boolean counts = ignore == Inputs.NO_IGNORE || label != ignore;
                    valid[at] = counts;
                    if (counts) {
                        target[at] = mode.equals("MULTICLASS") ? (label == k ? 1 : 0) : label;
                    }
                }
            }
        }
        return new Targets(n, classes, pixels, target, valid);
    }

    /**
     * Returns the flat index of element (b, k, s).
     *
     * @param b the image
     * @param k the class
     * @param s the pixel
     * @return the index
     */
    public int at(int b, int k, int s) {
        return (b * classes + k) * pixels + s;
    }
}
