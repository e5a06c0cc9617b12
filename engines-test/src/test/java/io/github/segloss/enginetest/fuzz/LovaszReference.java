package io.github.segloss.enginetest.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Float64 reference of LovaszLoss, from Berman et al.'s {@code lovasz_grad} as
 * segmentation_models.pytorch uses it and the loss's Javadoc (present classes only; per image,
 * images with nothing labelled left out).
 *
 * <p>For errors \(e\) sorted in decreasing order with their 0/1 foreground \(f\): \( J_k = 1 -
 * \frac{F - \sum_{j \le k} f_j}{F + \sum_{j \le k}(1 - f_j)} \), \( \mathrm{loss} = \sum_k e_k (J_k
 * - J_{k-1}) \). The extension is 1-Lipschitz in the errors (the weights \( J_k - J_{k-1} \ge 0 \)
 * sum to at most 1), so its float32 error is the largest error of an error plus the rounding of the
 * weighted sum, whatever order near-ties take.
 */
public final class LovaszReference {

    private LovaszReference() {}

    /** One group's errors (with their error bounds) and foreground. */
    private static Bounded group(List<Bounded> errors, List<Double> foreground, boolean hinge) {
        int n = errors.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(errors.get(b).v(), errors.get(a).v()));
        double total = 0;
        for (double f : foreground) {
            total += f;
        }
        double cumulativeFg = 0;
        double cumulativeBg = 0;
        double previous = 0;
        double value = 0;
        double largestError = 0;
        double magnitude = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            cumulativeFg += foreground.get(i);
            cumulativeBg += 1 - foreground.get(i);
            double jaccard = 1 - (total - cumulativeFg) / (total + cumulativeBg);
            double e = hinge ? Math.max(0, errors.get(i).v()) : errors.get(i).v();
            value += e * (jaccard - previous);
            previous = jaccard;
            largestError = Math.max(largestError, errors.get(i).e());
            magnitude += Math.abs(e);
        }
        return new Bounded(value, largestError + (n + 2) * Bounded.U * magnitude);
    }

    private static Bounded mean(List<Bounded> values) {
        return values.isEmpty() ? Bounded.ZERO : Bounded.sum(values).div(Bounded.of(values.size()));
    }

    /**
     * Lovász-softmax (MULTICLASS): per class present among the labelled pixels, the extension of
     * the errors \( |[y_i = c] - p_{ic}| \); the mean over the present classes, pooled over the
     * batch or per image (then the mean over the images with a labelled pixel).
     *
     * @param predictions logits or probabilities (N, C, S)
     * @param t the MULTICLASS targets
     * @param fromLogits whether to take the softmax of the predictions
     * @param perImage whether to compute per image
     * @return the value with its error bound
     */
    static Bounded softmax(double[] predictions, Targets t, boolean fromLogits, boolean perImage) {
        Bounded[] p = new Bounded[predictions.length];
        for (int b = 0; b < t.n(); b++) {
            for (int q = 0; q < t.pixels(); q++) {
                Bounded[] logp =
                        fromLogits
                                ? CrossEntropyReference.logSoftmax(
                                        predictions, b, q, t.classes(), t.pixels())
                                : null;
                for (int k = 0; k < t.classes(); k++) {
                    int at = t.at(b, k, q);
                    p[at] = fromLogits ? logp[k].exp() : Bounded.of(predictions[at]);
                }
            }
        }
        List<Bounded> images = new ArrayList<>();
        int groups = perImage ? t.n() : 1;
        for (int g = 0; g < groups; g++) {
            List<Bounded> classes = new ArrayList<>();
            for (int k = 0; k < t.classes(); k++) {
                List<Bounded> errors = new ArrayList<>();
                List<Double> foreground = new ArrayList<>();
                double present = 0;
                for (int b = 0; b < t.n(); b++) {
                    if (perImage && b != g) {
                        continue;
                    }
                    for (int q = 0; q < t.pixels(); q++) {
                        int at = t.at(b, k, q);
                        if (t.valid()[at]) {
                            double f = t.target()[at];
                            errors.add(Bounded.of(f).minus(p[at]).abs());
                            foreground.add(f);
                            present += f;
                        }
                    }
                }
                if (present > 0) {
                    classes.add(group(errors, foreground, false));
                }
            }
            if (!classes.isEmpty()) {
                images.add(mean(classes));
            }
        }
        return perImage ? mean(images) : images.isEmpty() ? Bounded.ZERO : images.get(0);
    }

    /**
     * Lovász hinge (BINARY, MULTILABEL): the extension of \( \max(0, 1 - x_i (2 t_i - 1)) \) over
     * all labelled elements (every channel together), pooled or per image (then the mean over the
     * images with a labelled element).
     *
     * @param logits the logits (N, C, S)
     * @param t the targets
     * @param perImage whether to compute per image
     * @return the value with its error bound
     */
    static Bounded hinge(double[] logits, Targets t, boolean perImage) {
        List<Bounded> images = new ArrayList<>();
        int groups = perImage ? t.n() : 1;
        for (int g = 0; g < groups; g++) {
            List<Bounded> errors = new ArrayList<>();
            List<Double> foreground = new ArrayList<>();
            for (int b = 0; b < t.n(); b++) {
                if (perImage && b != g) {
                    continue;
                }
                for (int k = 0; k < t.classes(); k++) {
                    for (int q = 0; q < t.pixels(); q++) {
                        int at = t.at(b, k, q);
                        if (t.valid()[at]) {
                            double f = t.target()[at];
                            errors.add(Bounded.ONE.minus(Bounded.of(logits[at]).times(2 * f - 1)));
                            foreground.add(f);
                        }
                    }
                }
            }
            if (!errors.isEmpty()) {
                images.add(group(errors, foreground, true));
            }
        }
        return mean(images);
    }
}
