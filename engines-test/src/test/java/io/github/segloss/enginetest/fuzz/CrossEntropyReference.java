package io.github.segloss.enginetest.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Float64 references of the softmax cross-entropy family, written from the formulas of the losses'
 * Javadoc and PyTorch's {@code F.cross_entropy} (plain loops over host arrays, no engine), each
 * with its float32 error bound (see {@link Bounded}).
 *
 * <p>Logits are {@code (N, C, S)} in row-major order (S the pixels of one image), labels {@code (N,
 * S)}; a label equal to the ignore index leaves the pixel out.
 */
public final class CrossEntropyReference {

    private CrossEntropyReference() {}

    /**
     * A reference value, and the reference gradient of the predictions where one is compared.
     *
     * @param value the loss with its error bound
     * @param grad the gradient with error bounds, or null
     */
    public record Result(Bounded value, Bounded[] grad) {

        /**
         * A value without a gradient to compare.
         *
         * @param value the loss
         * @return the result
         */
        public static Result of(Bounded value) {
            return new Result(value, null);
        }
    }

    /**
     * The log-softmax of pixel (n, s) over the C classes, as the engines compute it: \( x_c - (m +
     * \log \sum_k e^{x_k - m}) \), m the largest logit.
     */
    static Bounded[] logSoftmax(double[] logits, int n, int s, int classes, int pixels) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            max = Math.max(max, logits[(n * classes + k) * pixels + s]);
        }
        List<Bounded> exps = new ArrayList<>(classes);
        for (int k = 0; k < classes; k++) {
            exps.add(
                    Bounded.of(logits[(n * classes + k) * pixels + s])
                            .minus(Bounded.of(max))
                            .exp());
        }
        Bounded log = Bounded.sum(exps).log().plus(max);
        Bounded[] out = new Bounded[classes];
        for (int k = 0; k < classes; k++) {
            out[k] = Bounded.of(logits[(n * classes + k) * pixels + s]).minus(log);
        }
        return out;
    }

    /** The number of pixels per image of (N, C, S) values. */
    static int pixels(int length, int n, int classes) {
        return n * classes == 0 ? 0 : length / (n * classes);
    }

    /**
     * PixelCrossEntropyLoss: \( L = \frac{\sum_{i \in V} [(1-\varepsilon) w_{y_i} (-\log p_{i y_i})
     * + \frac{\varepsilon}{C} \sum_c w_c (-\log p_{ic})]}{\sum_{i \in V} w_{y_i}} \), 0 when the
     * denominator is 0, with its exact gradient \( \partial L / \partial x_{ic} = \frac{1}{W}
     * [(1-\varepsilon) w_{y_i}(p_{ic} - [c = y_i]) + \frac{\varepsilon}{C}(p_{ic} \sum_k w_k -
     * w_c)] \).
     *
     * @param logits the logits (N, C, S)
     * @param labels the labels (N, S)
     * @param n N
     * @param classes C
     * @param ignore the ignore index
     * @param weights the class weights or null
     * @param smoothing the label smoothing \( \varepsilon \)
     * @return the value and gradient
     */
    public static Result crossEntropy(
            double[] logits,
            double[] labels,
            int n,
            int classes,
            int ignore,
            float[] weights,
            float smoothing) {
        int pixels = pixels(logits.length, n, classes);
        double[] w = new double[classes];
        double weightSum = 0;
        for (int k = 0; k < classes; k++) {
            w[k] = weights == null ? 1 : weights[k];
            weightSum += w[k];
        }
        Bounded keep = Bounded.rounded(1 - smoothing);
        Bounded spread = Bounded.rounded(smoothing / (float) classes);
        List<Bounded> numerator = new ArrayList<>();
        List<Bounded> denominator = new ArrayList<>();
        Bounded[] grad = new Bounded[logits.length];
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < pixels; s++) {
                double label = labels[b * pixels + s];
                if (label == ignore) {
                    for (int k = 0; k < classes; k++) {
                        grad[(b * classes + k) * pixels + s] = Bounded.ZERO;
                    }
                    continue;
                }
                int y = (int) label;
                Bounded[] logp = logSoftmax(logits, b, s, classes, pixels);
                numerator.add(logp[y].neg().times(w[y]).times(smoothing > 0 ? keep : Bounded.ONE));
                if (smoothing > 0) {
                    List<Bounded> smooth = new ArrayList<>();
                    for (int k = 0; k < classes; k++) {
                        smooth.add(logp[k].neg().times(w[k]));
                    }
                    numerator.add(Bounded.sum(smooth).times(spread));
                }
                denominator.add(Bounded.of(w[y]));
                for (int k = 0; k < classes; k++) {
                    Bounded p = logp[k].exp();
                    Bounded g = p.minus(Bounded.of(k == y ? 1 : 0)).times(w[y]).times(keep);
                    grad[(b * classes + k) * pixels + s] =
                            g.plus(p.times(weightSum).minus(Bounded.of(w[k])).times(spread));
                }
            }
        }
        Bounded total = Bounded.sum(denominator);
        if (total.v() == 0) {
            Bounded[] zero = new Bounded[logits.length];
            java.util.Arrays.fill(zero, Bounded.ZERO);
            return new Result(Bounded.ZERO, zero);
        }
        for (int i = 0; i < grad.length; i++) {
            grad[i] = grad[i].div(total);
        }
        return new Result(Bounded.sum(numerator).div(total), grad);
    }

    /**
     * OhemCrossEntropyLoss: with \( q_i = p_{i y_i} \), \( \theta = \max(\tau, q_{(\min(k_{min},
     * n-1))}) \) and \( L = \frac{1}{|K|} \sum_{i \in K} w_{y_i}(-\log q_i) \) over \( K = \{ i :
     * q_i \lt \theta \} \) (0 when K is empty). Pixels whose \( q_i \) float32 may put on either
     * side of \( \theta \) widen the error to cover every kept set they allow.
     *
     * @param logits the logits (N, C, S)
     * @param labels the labels (N, S)
     * @param n N
     * @param classes C
     * @param ignore the ignore index
     * @param weights the class weights or null
     * @param threshold \( \tau \)
     * @param minKept \( k_{min} \)
     * @return the value with its error bound
     */
    public static Result ohem(
            double[] logits,
            double[] labels,
            int n,
            int classes,
            int ignore,
            float[] weights,
            float threshold,
            int minKept) {
        int pixels = pixels(logits.length, n, classes);
        List<Bounded> probability = new ArrayList<>();
        List<Bounded> loss = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < pixels; s++) {
                double label = labels[b * pixels + s];
                if (label == ignore) {
                    continue;
                }
                int y = (int) label;
                Bounded logq = logSoftmax(logits, b, s, classes, pixels)[y];
                probability.add(logq.exp());
                loss.add(logq.neg().times(weights == null ? 1 : weights[y]));
            }
        }
        if (probability.isEmpty()) {
            return Result.of(Bounded.ZERO);
        }
        List<Bounded> sorted = new ArrayList<>(probability);
        sorted.sort((a, b) -> Double.compare(a.v(), b.v()));
        Bounded kth = sorted.get(Math.min(minKept, sorted.size() - 1));
        // the k-th smallest moves by at most the largest error of the values near it
        double kthError = 0;
        for (Bounded q : probability) {
            if (q.near(kth)) {
                kthError = Math.max(kthError, q.e());
            }
        }
        Bounded theta = Bounded.of(threshold).max(new Bounded(kth.v(), kthError));
        List<Bounded> kept = new ArrayList<>();
        List<Bounded> either = new ArrayList<>();
        for (int i = 0; i < probability.size(); i++) {
            Bounded q = probability.get(i);
            if (q.near(theta)) {
                either.add(loss.get(i));
            } else if (q.v() < theta.v()) {
                kept.add(loss.get(i));
            }
        }
        Bounded value = mean(kept);
        if (either.isEmpty()) {
            return Result.of(value);
        }
        // the mean over the kept pixels plus the j smallest or largest undecided ones
        either.sort((a, b) -> Double.compare(a.v(), b.v()));
        Bounded widened = value;
        for (int pass = 0; pass < 2; pass++) {
            List<Bounded> set = new ArrayList<>(kept);
            for (int j = 0; j < either.size(); j++) {
                set.add(either.get(pass == 0 ? j : either.size() - 1 - j));
                widened = widened.orElse(mean(set));
            }
        }
        return Result.of(widened);
    }

    private static Bounded mean(List<Bounded> terms) {
        return terms.isEmpty() ? Bounded.ZERO : Bounded.sum(terms).div(Bounded.of(terms.size()));
    }
}
