package io.github.segloss.enginetest.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Float64 references of the generalized Dice loss (MONAI's {@code GeneralizedDiceLoss} formula and
 * segloss's ignore policy) and the MCC loss (segmentation_models.pytorch's {@code MCCLoss} per
 * class), with float32 error bounds (see {@link Bounded}).
 */
public final class RegionReference {

    private RegionReference() {}

    /** The settings of a generalized Dice loss. */
    record DiceSettings(
            String mode,
            boolean fromLogits,
            String weightType,
            boolean perImage,
            boolean includeBackground,
            float smoothNumerator,
            float smoothDenominator,
            float[] classWeights) {}

    /** The settings of an MCC loss. */
    record MccSettings(String mode, boolean fromLogits, float eps, float[] classWeights) {}

    private static Bounded[] probabilities(
            double[] predictions, Targets t, String mode, boolean fromLogits) {
        OverlapReference.Settings read =
                new OverlapReference.Settings(
                        mode, fromLogits, 0, 1, false, null, null, false, false, 1, 1, 1);
        return OverlapReference.probabilities(predictions, t, read);
    }

    /**
     * The generalized Dice loss: per image (or pooled) and class \( I = \sum pt \), \( D = \sum p +
     * \sum t \), \( G = \sum t \), weights \( 1/G^2 \), \( 1/G \) or 1, an absent class weighing
     * the largest present weight (0 if none), times the class weights; \( 1 - (2\sum wI + s_{nr}) /
     * (\sum wD + s_{dr}) \) (0 for a zero denominator), averaged over the images with a labelled
     * element (0 if none).
     *
     * @param predictions the predictions (N, C, S)
     * @param t the targets
     * @param s the settings
     * @return the value with its error bound
     */
    static Bounded generalizedDice(double[] predictions, Targets t, DiceSettings s) {
        Bounded[] p = probabilities(predictions, t, s.mode(), s.fromLogits());
        int first = s.includeBackground() ? 0 : 1;
        int groups = s.perImage() ? t.n() : 1;
        List<Bounded> losses = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            boolean labelled = false;
            List<Bounded> intersections = new ArrayList<>();
            List<Bounded> denominators = new ArrayList<>();
            List<Bounded> weights = new ArrayList<>();
            for (int k = first; k < t.classes(); k++) {
                List<Bounded> pt = new ArrayList<>();
                List<Bounded> sums = new ArrayList<>();
                List<Bounded> targets = new ArrayList<>();
                for (int b = 0; b < t.n(); b++) {
                    if (s.perImage() && b != g) {
                        continue;
                    }
                    for (int q = 0; q < t.pixels(); q++) {
                        int at = t.at(b, k, q);
                        Bounded tv = Bounded.of(t.target()[at]);
                        pt.add(p[at].times(tv));
                        sums.add(p[at]);
                        targets.add(tv);
                    }
                }
                Bounded volume = Bounded.sum(targets);
                intersections.add(Bounded.sum(pt));
                denominators.add(Bounded.sum(sums).plus(volume));
                weights.add(volume.v() > 0 ? weight(volume, s.weightType()) : null);
            }
            for (int b = 0; b < t.n(); b++) {
                for (int k = 0; k < t.classes(); k++) {
                    for (int q = 0; q < t.pixels(); q++) {
                        labelled |= (!s.perImage() || b == g) && t.valid()[t.at(b, k, q)];
                    }
                }
            }
            Bounded largest = Bounded.ZERO;
            for (Bounded w : weights) {
                largest = w == null ? largest : largest.max(w);
            }
            List<Bounded> numerator = new ArrayList<>();
            List<Bounded> denominator = new ArrayList<>();
            for (int i = 0; i < weights.size(); i++) {
                Bounded w = weights.get(i) == null ? largest : weights.get(i);
                if (s.classWeights() != null) {
                    w = w.times(s.classWeights()[i + first]);
                }
                numerator.add(intersections.get(i).times(w));
                denominator.add(denominators.get(i).times(w));
            }
            Bounded top = Bounded.sum(numerator).times(2).plus(s.smoothNumerator());
            Bounded bottom = Bounded.sum(denominator).plus(s.smoothDenominator());
            if (labelled) {
                losses.add(bottom.v() == 0 ? Bounded.ZERO : Bounded.ONE.minus(top.div(bottom)));
            }
        }
        return losses.isEmpty() ? Bounded.ZERO : Bounded.sum(losses).div(Bounded.of(losses.size()));
    }

    private static Bounded weight(Bounded volume, String type) {
        return switch (type) {
            case "SQUARE" -> Bounded.ONE.div(volume.times(volume));
            case "SIMPLE" -> Bounded.ONE.div(volume);
            default -> Bounded.ONE;
        };
    }

    /**
     * The MCC loss: per class, over the batch and the labelled elements, \( TP = \sum pt \), \( FP
     * = \sum p(1-t) \), \( FN = \sum (1-p)t \), \( TN = \sum (1-p)(1-t) \), each plus \(
     * \varepsilon \), \( 1 - (TP\,TN - FP\,FN)/\sqrt{(TP+FP)(TP+FN)(TN+FP)(TN+FN)} \); in BINARY
     * mode 0 when nothing is labelled, else 0 for a class without a positive target; the weighted
     * class mean.
     *
     * @param predictions the predictions (N, C, S)
     * @param t the targets
     * @param s the settings
     * @return the value with its error bound
     */
    static Bounded mcc(double[] predictions, Targets t, MccSettings s) {
        Bounded[] p = probabilities(predictions, t, s.mode(), s.fromLogits());
        List<Bounded> perClass = new ArrayList<>();
        for (int k = 0; k < t.classes(); k++) {
            List<Bounded> tp = new ArrayList<>();
            List<Bounded> fp = new ArrayList<>();
            List<Bounded> fn = new ArrayList<>();
            List<Bounded> tn = new ArrayList<>();
            boolean labelled = false;
            boolean positive = false;
            for (int b = 0; b < t.n(); b++) {
                for (int q = 0; q < t.pixels(); q++) {
                    int at = t.at(b, k, q);
                    if (!t.valid()[at]) {
                        continue;
                    }
                    labelled = true;
                    positive |= t.target()[at] > 0;
                    Bounded tv = Bounded.of(t.target()[at]);
                    Bounded notP = Bounded.ONE.minus(p[at]);
                    Bounded notT = Bounded.ONE.minus(tv);
                    tp.add(p[at].times(tv));
                    fp.add(p[at].times(notT));
                    fn.add(notP.times(tv));
                    tn.add(notP.times(notT));
                }
            }
            Bounded truePositive = Bounded.sum(tp).plus(s.eps());
            Bounded falsePositive = Bounded.sum(fp).plus(s.eps());
            Bounded falseNegative = Bounded.sum(fn).plus(s.eps());
            Bounded trueNegative = Bounded.sum(tn).plus(s.eps());
            Bounded numerator =
                    truePositive.times(trueNegative).minus(falsePositive.times(falseNegative));
            Bounded denominator =
                    truePositive
                            .plus(falsePositive)
                            .times(truePositive.plus(falseNegative))
                            .pow(0.5)
                            .times(
                                    trueNegative
                                            .plus(falsePositive)
                                            .times(trueNegative.plus(falseNegative))
                                            .pow(0.5));
            boolean counted = s.mode().equals("BINARY") ? labelled : positive;
            perClass.add(counted ? Bounded.ONE.minus(numerator.div(denominator)) : Bounded.ZERO);
        }
        return FocalReference.classMean(perClass, s.classWeights());
    }
}
