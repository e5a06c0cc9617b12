package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.training.loss.Loss;
import java.util.function.Supplier;

/**
 * Names the loss in the message of every bad-input error it raises, and adds the likely cause where
 * one is known.
 *
 * <p>A loss's error reads {@code DiceLoss "dice": labels must be ...}; inside a composite loss each
 * level adds its name in front, {@code WeightedSumLoss "ce+dice" > DiceLoss "dice": ...}, so the
 * user sees which term of which loss failed. A label that equals a usual ignore label (255, -1 or
 * PyTorch's -100) in a loss that has an ignore option but none set gets the hint to set it: the
 * cross-entropy losses ignore 255 by default, the overlap, focal, Lovász and BCE losses (as in smp)
 * ignore nothing unless told.
 */
public final class LossErrors {

    /** Marks a loss that has no ignore option at all, for {@link #evaluate}. */
    public static final int NO_IGNORE_OPTION = Integer.MAX_VALUE;

    private static final double[] USUAL_IGNORE_LABELS = {255, -1, -100};

    private LossErrors() {}

    /**
     * Evaluates a loss, naming it in the message of any bad-input error.
     *
     * @param loss the loss being evaluated
     * @param ignoreIndex the loss's ignore index, {@link ValueChecks#NO_IGNORE} when it has the
     *     option but none is set, or {@link #NO_IGNORE_OPTION}
     * @param evaluation the loss's evaluation
     * @return the evaluation's result
     * @throws IllegalArgumentException the evaluation's, with the loss named in front (and the
     *     likely cause after)
     */
    public static NDArray evaluate(Loss loss, int ignoreIndex, Supplier<NDArray> evaluation) {
        try {
            return evaluation.get();
        } catch (NamedLossException e) {
            // a weighted wrapper named after the loss it wraps adds nothing to the path
            throw e.outerName.equals(loss.getName()) ? e : e.within(loss);
        } catch (IllegalArgumentException e) {
            throw new NamedLossException(
                    loss.getName(),
                    describe(loss) + ": " + e.getMessage() + hint(e, ignoreIndex),
                    e);
        }
    }

    /** The loss as messages name it: its class and its name. */
    static String describe(Loss loss) {
        return loss.getClass().getSimpleName() + " \"" + loss.getName() + "\"";
    }

    private static String hint(IllegalArgumentException e, int ignoreIndex) {
        if (!(e instanceof BadValueException bad)
                || !bad.argument().startsWith("labels")
                || ignoreIndex != ValueChecks.NO_IGNORE) {
            return "";
        }
        for (double usual : USUAL_IGNORE_LABELS) {
            if (bad.value() == usual) {
                long label = (long) usual;
                return "; "
                        + label
                        + " looks like an ignore label, and this loss ignores no label: if "
                        + label
                        + " marks unlabelled pixels, set optIgnoreIndex("
                        + label
                        + ") on it (PixelCrossEntropyLoss ignores 255 by default, the overlap,"
                        + " focal, Lovász and BCE losses nothing)";
            }
        }
        return "";
    }

    /** An error whose message already names the loss that raised it. */
    static final class NamedLossException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        /** The name of the outermost loss the message names so far. */
        final String outerName;

        NamedLossException(String outerName, String message, Throwable cause) {
            super(message, cause);
            this.outerName = outerName;
        }

        /** The same error as seen from an enclosing loss, whose name goes in front. */
        NamedLossException within(Loss outer) {
            return new NamedLossException(
                    outer.getName(), describe(outer) + " > " + getMessage(), getCause());
        }
    }
}
