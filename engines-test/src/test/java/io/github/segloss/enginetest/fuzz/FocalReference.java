package io.github.segloss.enginetest.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Float64 references of FocalLoss, from segmentation_models.pytorch's {@code FocalLoss} (sigmoid,
 * one-vs-rest per class) and MONAI's softmax focal loss as the loss's Javadoc states them, with
 * float32 error bounds (see {@link Bounded}).
 */
public final class FocalReference {

    private FocalReference() {}

    /** The settings of a focal loss. */
    record Settings(
            String mode,
            boolean fromLogits,
            int ignore,
            Float alpha,
            float gamma,
            boolean normalized,
            Float reducedThreshold,
            float[] classWeights,
            float eps) {}

    /**
     * The focal term from \( \ell = -\log p_t \): \( (1 - p_t)^\gamma \), or reduced \( ((1 -
     * p_t)/\tau)^\gamma \) where \( p_t \ge \tau \) and 1 below; a \( p_t \) within rounding of \(
     * \tau \) widens the error to cover both branches.
     */
    static Bounded focalTerm(Bounded logPt, float gamma, Float reducedThreshold) {
        Bounded pt = logPt.neg().exp();
        Bounded oneMinus = Bounded.ONE.minus(pt);
        if (reducedThreshold == null) {
            return oneMinus.pow(gamma);
        }
        Bounded tau = Bounded.of(reducedThreshold);
        Bounded reduced = oneMinus.div(tau).pow(gamma);
        Bounded focal = pt.v() < tau.v() ? Bounded.ONE : reduced;
        return pt.near(tau) ? focal.orElse(pt.v() < tau.v() ? reduced : Bounded.ONE) : focal;
    }

    /**
     * The logits the sigmoid focal loss reads: the predictions, or probabilities clamped to [eps, 1
     * − eps] (both bounds rounded to float32, as the loss computes them) and turned into \( \log(p
     * / (1 - p)) \), or \( \log p \) in MULTICLASS mode, as smp does.
     */
    static Bounded logit(double prediction, Settings s) {
        if (s.fromLogits()) {
            return Bounded.of(prediction);
        }
        Bounded p = Bounded.of(prediction).clamp(s.eps(), (float) (1 - s.eps()));
        return s.mode().equals("MULTICLASS") ? p.log() : p.div(Bounded.ONE.minus(p)).log();
    }

    /**
     * The sigmoid focal loss: per element \( \ell = \mathrm{softplus}(x) - x t \), \( f \) the
     * focal term of \( \ell \), \( a = \alpha t + (1 - \alpha)(1 - t) \) if alpha is set; per class
     * \( L_c = \frac{1}{|V_c|} \sum_{V_c} a f \ell \), divided by \( \max(\sum_{V_c} f, 10^{-6}) \)
     * when normalized, 0 for a class without a labelled element; then the mean over the classes, or
     * \( \sum_c w_c L_c / \sum_c w_c \) with class weights.
     *
     * @param predictions the predictions (N, C, S)
     * @param t the targets
     * @param s the settings
     * @return the value with its error bound
     */
    static Bounded sigmoid(double[] predictions, Targets t, Settings s) {
        List<Bounded> perClass = new ArrayList<>();
        for (int k = 0; k < t.classes(); k++) {
            List<Bounded> losses = new ArrayList<>();
            List<Bounded> focals = new ArrayList<>();
            for (int b = 0; b < t.n(); b++) {
                for (int p = 0; p < t.pixels(); p++) {
                    int at = t.at(b, k, p);
                    if (!t.valid()[at]) {
                        continue;
                    }
                    Bounded x = logit(predictions[at], s);
                    double target = t.target()[at];
                    Bounded loss = x.softplus().minus(x.times(target));
                    Bounded focal = focalTerm(loss, s.gamma(), s.reducedThreshold());
                    Bounded term = focal.times(loss);
                    if (s.alpha() != null) {
                        term = term.times(target * s.alpha() + (1 - target) * (1 - s.alpha()));
                    }
                    losses.add(term);
                    focals.add(focal);
                }
            }
            if (losses.isEmpty()) {
                perClass.add(Bounded.ZERO);
                continue;
            }
            Bounded sum = Bounded.sum(losses);
            if (s.normalized()) {
                sum = sum.div(Bounded.sum(focals).max(1e-6));
            }
            perClass.add(sum.div(Bounded.of(losses.size())));
        }
        return classMean(perClass, s.classWeights());
    }

    /**
     * The mean over the classes, or the weighted mean \( \sum_c w_c L_c / \sum_c w_c \) (0 when
     * every weight is 0).
     */
    static Bounded classMean(List<Bounded> perClass, float[] weights) {
        List<Bounded> terms = new ArrayList<>();
        double total = 0;
        for (int k = 0; k < perClass.size(); k++) {
            double w = weights == null ? 1 : weights[k];
            terms.add(perClass.get(k).times(w));
            total += w;
        }
        if (total == 0) {
            return Bounded.ZERO;
        }
        return Bounded.sum(terms).div(Bounded.of(total));
    }

    /**
     * The softmax focal loss: \( \ell_i = -\log p_{iy_i} \) (log-softmax of the logits, or the log
     * of the clamped probabilities), \( L = \frac{1}{|V|} \sum_V f_i \ell_i \), divided by \(
     * \max(\sum_V f_i, 10^{-6}) \) when normalized; 0 for no labelled pixel.
     *
     * @param predictions the predictions (N, C, S)
     * @param labels the labels (N, S)
     * @param n N
     * @param classes C
     * @param s the settings
     * @return the value with its error bound
     */
    static Bounded softmax(double[] predictions, double[] labels, int n, int classes, Settings s) {
        int pixels = CrossEntropyReference.pixels(predictions.length, n, classes);
        List<Bounded> losses = new ArrayList<>();
        List<Bounded> focals = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < pixels; p++) {
                double label = labels[b * pixels + p];
                if (s.ignore() != Inputs.NO_IGNORE && label == s.ignore()) {
                    continue;
                }
                int y = (int) label;
                Bounded logProb =
                        s.fromLogits()
                                ? CrossEntropyReference.logSoftmax(
                                        predictions, b, p, classes, pixels)[y]
                                : Bounded.of(predictions[(b * classes + y) * pixels + p])
                                        .clamp(s.eps(), (float) (1 - s.eps()))
                                        .log();
                Bounded loss = logProb.neg();
                Bounded focal = focalTerm(loss, s.gamma(), s.reducedThreshold());
                Bounded term = focal.times(loss);
                if (s.alpha() != null) {
                    // MONAI: 1 - alpha for the background class 0, alpha for the others
                    term = term.times(y == 0 ? 1 - (double) s.alpha() : s.alpha());
                }
                losses.add(term);
                focals.add(focal);
            }
        }
        if (losses.isEmpty()) {
            return Bounded.ZERO;
        }
        Bounded sum = Bounded.sum(losses);
        if (s.normalized()) {
            sum = sum.div(Bounded.sum(focals).max(1e-6));
        }
        return sum.div(Bounded.of(losses.size()));
    }
}
