package io.github.segloss.enginetest.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Float64 reference of the Dice, Jaccard and Tversky losses, from segmentation_models.pytorch's
 * {@code soft_tversky_score} and the loss table of the README (MONAI's {@code batch=False} and
 * {@code squared_pred} options), with float32 error bounds (see {@link Bounded}).
 */
public final class OverlapReference {

    private OverlapReference() {}

    /**
     * The settings of an overlap loss; the score's smoothing is \( s_n \) in the numerator, \( s_d
     * \) in the denominator (both smp's {@code smooth} unless set apart).
     */
    record Settings(
            String mode,
            boolean fromLogits,
            double smoothNumerator,
            double smoothDenominator,
            float eps,
            boolean logLoss,
            int[] classes,
            float[] classWeights,
            boolean perImage,
            boolean squared,
            float alpha,
            float beta,
            float gamma) {

        /** Settings with smp's one smoothing term. */
        Settings(
                String mode,
                boolean fromLogits,
                float smooth,
                float eps,
                boolean logLoss,
                int[] classes,
                float[] classWeights,
                boolean perImage,
                boolean squared,
                float alpha,
                float beta,
                float gamma) {
            this(
                    mode,
                    fromLogits,
                    smooth,
                    smooth,
                    eps,
                    logLoss,
                    classes,
                    classWeights,
                    perImage,
                    squared,
                    alpha,
                    beta,
                    gamma);
        }
    }

    /** The probability the loss reads at element (b, k, s): softmax, sigmoid or as given. */
    static Bounded[] probabilities(double[] predictions, Targets t, Settings s) {
        Bounded[] p = new Bounded[predictions.length];
        for (int b = 0; b < t.n(); b++) {
            for (int q = 0; q < t.pixels(); q++) {
                Bounded[] logp =
                        s.fromLogits() && s.mode().equals("MULTICLASS")
                                ? CrossEntropyReference.logSoftmax(
                                        predictions, b, q, t.classes(), t.pixels())
                                : null;
                for (int k = 0; k < t.classes(); k++) {
                    int at = t.at(b, k, q);
                    Bounded x = Bounded.of(predictions[at]);
                    Bounded value =
                            !s.fromLogits() ? x : logp != null ? logp[k].exp() : x.sigmoid();
                    p[at] = t.valid()[at] ? value : Bounded.ZERO;
                }
            }
        }
        return p;
    }

    /**
     * The loss: per class (and per image with {@code perImage}) \( S_p = \sum p \), \( S_t = \sum t
     * \), \( I = (S_p + S_t - \sum |p - t|)/2 \) (squared: \( \sum p^2, \sum t^2, \sum pt \)),
     * score \( (I + s_n)/\max(I + \alpha(S_p - I) + \beta(S_t - I) + s_d, \varepsilon) \), loss \(
     * 1 - \mathrm{score} \) or \( -\log\max(\mathrm{score}, \varepsilon) \) for classes present in
     * the targets (else 0), the mean over the images, the weighted mean over the selected classes,
     * raised to \( \gamma \).
     *
     * @param predictions the predictions (N, C, S)
     * @param t the targets
     * @param s the settings
     * @return the value with its error bound
     */
    static Bounded loss(double[] predictions, Targets t, Settings s) {
        Bounded[] p = probabilities(predictions, t, s);
        int groups = s.perImage() ? t.n() : 1;
        List<Bounded> perClass = new ArrayList<>();
        for (int k = 0; k < t.classes(); k++) {
            List<Bounded> perGroup = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                List<Bounded> sp = new ArrayList<>();
                List<Bounded> st = new ArrayList<>();
                List<Bounded> overlap = new ArrayList<>();
                for (int b = 0; b < t.n(); b++) {
                    if (s.perImage() && b != g) {
                        continue;
                    }
                    for (int q = 0; q < t.pixels(); q++) {
                        int at = t.at(b, k, q);
                        Bounded pv = p[at];
                        Bounded tv = Bounded.of(t.target()[at]);
                        if (s.squared()) {
                            sp.add(pv.times(pv));
                            st.add(tv.times(tv));
                            overlap.add(pv.times(tv));
                        } else {
                            sp.add(pv);
                            st.add(tv);
                            overlap.add(pv.minus(tv).abs());
                        }
                    }
                }
                Bounded sumP = Bounded.sum(sp);
                Bounded sumT = Bounded.sum(st);
                Bounded intersection =
                        s.squared()
                                ? Bounded.sum(overlap)
                                : sumP.plus(sumT).minus(Bounded.sum(overlap)).times(0.5);
                Bounded denominator =
                        intersection
                                .plus(sumP.minus(intersection).times(s.alpha()))
                                .plus(sumT.minus(intersection).times(s.beta()))
                                .plus(s.smoothDenominator())
                                .max(s.eps());
                Bounded score = intersection.plus(s.smoothNumerator()).div(denominator);
                Bounded loss =
                        s.logLoss() ? score.max(s.eps()).log().neg() : Bounded.ONE.minus(score);
                boolean present = sumT.v() > 0;
                perGroup.add(present ? loss : Bounded.ZERO);
            }
            perClass.add(
                    perGroup.isEmpty()
                            ? Bounded.ZERO
                            : Bounded.sum(perGroup).div(Bounded.of(perGroup.size())));
        }
        float[] weights = new float[t.classes()];
        for (int k = 0; k < weights.length; k++) {
            boolean selected = s.classes() == null;
            if (s.classes() != null) {
                for (int c : s.classes()) {
                    selected |= c == k;
                }
            }
            weights[k] =
                    (selected ? 1f : 0f) * (s.classWeights() == null ? 1f : s.classWeights()[k]);
        }
        return FocalReference.classMean(perClass, weights).pow(s.gamma());
    }
}
