package io.github.segloss.example.train;

import ai.djl.training.loss.Loss;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.loss.DiceLoss;
import io.github.segloss.loss.FocalLoss;
import io.github.segloss.loss.LovaszLoss;
import io.github.segloss.loss.OhemCrossEntropyLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.loss.WeightedSumLoss;
import java.util.Locale;

/** The per-head losses that {@code --loss} offers, all with ignore label 255. */
public enum LossChoice {
    /** Cross-entropy (PSPNet's recipe). */
    CE,
    /** Cross-entropy plus Dice, each weighted 1 (MONAI's DiceCE). */
    CE_DICE,
    /** Dice alone. */
    DICE,
    /** smp's focal loss, one-vs-rest, gamma 2. */
    FOCAL,
    /** Lovász-softmax. */
    LOVASZ,
    /** Cross-entropy with online hard example mining (threshold 0.7). */
    OHEM;

    /** The ignore label of every dataset format. */
    public static final int IGNORE = 255;

    /**
     * Parses a command-line name: ce, ce+dice, dice, focal, lovasz or ohem.
     *
     * @param name the name
     * @return the choice
     * @throws IllegalArgumentException if the name is unknown
     */
    public static LossChoice parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "ce":
                return CE;
            case "ce+dice":
                return CE_DICE;
            case "dice":
                return DICE;
            case "focal":
                return FOCAL;
            case "lovasz":
                return LOVASZ;
            case "ohem":
                return OHEM;
            default:
                throw new IllegalArgumentException(
                        "--loss must be one of ce, ce+dice, dice, focal, lovasz, ohem; got "
                                + name);
        }
    }

    /**
     * Builds the loss of one head.
     *
     * @param head the head's name ("main" or "aux"), used as prefix of the loss names
     * @param classWeights per-class weights of the cross-entropy terms, or {@code null}
     * @return the loss
     */
    public Loss build(String head, float[] classWeights) {
        switch (this) {
            case CE:
                return crossEntropy(head, classWeights);
            case CE_DICE:
                return WeightedSumLoss.builder()
                        .optName(head)
                        .add(crossEntropy(head + "_ce", classWeights), 1f)
                        .add(dice(head + "_dice"), 1f)
                        .build();
            case DICE:
                return dice(head);
            case FOCAL:
                {
                    FocalLoss.Builder builder =
                            FocalLoss.builder()
                                    .setMode(SegmentationMode.MULTICLASS)
                                    .optIgnoreIndex(IGNORE)
                                    .optName(head);
                    if (classWeights != null) {
                        builder.optClassWeights(classWeights);
                    }
                    return builder.build();
                }
            case LOVASZ:
                return LovaszLoss.builder()
                        .setMode(SegmentationMode.MULTICLASS)
                        .optIgnoreIndex(IGNORE)
                        .optName(head)
                        .build();
            case OHEM:
                {
                    OhemCrossEntropyLoss.Builder builder =
                            OhemCrossEntropyLoss.builder().optIgnoreIndex(IGNORE).optName(head);
                    if (classWeights != null) {
                        builder.optClassWeights(classWeights);
                    }
                    return builder.build();
                }
            default:
                throw new IllegalStateException("unknown loss " + this);
        }
    }

    /**
     * Builds PSPNet's deep supervision over this loss: main head plus {@code auxWeight} times the
     * auxiliary head.
     *
     * @param auxWeight the auxiliary weight (0.4 in PSPNet, 0.5 in torchvision)
     * @param classWeights per-class weights, or {@code null}
     * @return the loss
     */
    public DeepSupervisionLoss deepSupervision(float auxWeight, float[] classWeights) {
        return DeepSupervisionLoss.builder()
                .optName("loss")
                .addHead("main", build("main", classWeights), 1f)
                .addHead("aux", build("aux", classWeights), auxWeight)
                .build();
    }

    private static Loss crossEntropy(String name, float[] classWeights) {
        PixelCrossEntropyLoss.Builder builder =
                PixelCrossEntropyLoss.builder().optIgnoreIndex(IGNORE).optName(name);
        if (classWeights != null) {
            builder.optClassWeights(classWeights);
        }
        return builder.build();
    }

    private static Loss dice(String name) {
        return DiceLoss.builder()
                .setMode(SegmentationMode.MULTICLASS)
                .optIgnoreIndex(IGNORE)
                .optName(name)
                .build();
    }
}
