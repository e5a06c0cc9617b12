package io.github.segloss.enginetest.fuzz;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Float64 references of the element-wise losses, with their exact gradients and float32 error
 * bounds: binary cross-entropy with logits (PyTorch's {@code BCEWithLogitsLoss} with {@code
 * pos_weight} and smp's smoothing and ignore index), the Mask R-CNN mask loss (torchvision's {@code
 * maskrcnn_loss}) and the masked mean squared error.
 */
public final class ElementwiseReference {

    private ElementwiseReference() {}

    /**
     * The flat index into an array of shape {@code small} (same rank, each axis equal or 1) that
     * broadcasts to element {@code flat} of {@code full}.
     *
     * @param flat the flat index in the full shape
     * @param full the full shape
     * @param small the broadcast shape
     * @return the flat index in the small shape
     */
    static int broadcastIndex(int flat, Shape full, Shape small) {
        int rank = full.dimension();
        int index = 0;
        int stride = 1;
        int rest = flat;
        for (int axis = rank - 1; axis >= 0; axis--) {
            int size = (int) full.get(axis);
            int coordinate = rest % size;
            rest /= size;
            int smallSize = (int) small.get(axis);
            index += (smallSize == 1 ? 0 : coordinate) * stride;
            stride *= smallSize;
        }
        return index;
    }

    /**
     * BinaryCrossEntropyLoss: \( \ell = w[q_c t' \mathrm{softplus}(-x) + (1 - t')
     * \mathrm{softplus}(x)] \) with \( t' = t(1 - 2s) + s \), averaged over the elements whose
     * target is not the ignore index (0 for none); gradient \( w[(1 - t')\sigma(x) - q_c t'
     * \sigma(-x)] / |V| \).
     *
     * @param logits the logits
     * @param shape their shape
     * @param targets the targets, same shape
     * @param weights the element weights or null
     * @param weightShape the weights' shape
     * @param posWeight the positive weights per class (axis 1) or null
     * @param smooth the smoothing \(s\)
     * @param ignore the ignore value or {@link Inputs#NO_IGNORE}
     * @return the value and gradient
     */
    static CrossEntropyReference.Result binaryCrossEntropy(
            double[] logits,
            Shape shape,
            double[] targets,
            double[] weights,
            Shape weightShape,
            float[] posWeight,
            float smooth,
            int ignore) {
        int classes = shape.dimension() > 1 ? (int) shape.get(1) : 1;
        int inner = 1;
        for (int axis = 2; axis < shape.dimension(); axis++) {
            inner *= (int) shape.get(axis);
        }
        Bounded keep = Bounded.rounded(1 - 2 * smooth);
        List<Bounded> terms = new ArrayList<>();
        Bounded[] grad = new Bounded[logits.length];
        for (int i = 0; i < logits.length; i++) {
            if (ignore != Inputs.NO_IGNORE && targets[i] == ignore) {
                grad[i] = Bounded.ZERO;
                continue;
            }
            Bounded x = Bounded.of(logits[i]);
            Bounded t = Bounded.of(targets[i]).times(keep).plus(smooth);
            double q = posWeight == null ? 1 : posWeight[(i / inner) % classes];
            double w = weights == null ? 1 : weights[broadcastIndex(i, shape, weightShape)];
            Bounded positive = t.times(x.neg().softplus()).times(q);
            Bounded negative = Bounded.ONE.minus(t).times(x.softplus());
            terms.add(positive.plus(negative).times(w));
            grad[i] =
                    Bounded.ONE
                            .minus(t)
                            .times(x.sigmoid())
                            .minus(t.times(x.neg().sigmoid()).times(q))
                            .times(w);
        }
        return mean(terms, grad);
    }

    /** The mean of the terms (0 for none), the gradient divided by their number. */
    private static CrossEntropyReference.Result mean(List<Bounded> terms, Bounded[] grad) {
        if (terms.isEmpty()) {
            return new CrossEntropyReference.Result(Bounded.ZERO, grad);
        }
        Bounded count = Bounded.of(terms.size());
        for (int i = 0; i < grad.length; i++) {
            grad[i] = grad[i].div(count);
        }
        return new CrossEntropyReference.Result(Bounded.sum(terms).div(count), grad);
    }

    /**
     * MaskRcnnMaskLoss: \( \frac{1}{R M^2} \sum_{r,u,v} \mathrm{softplus}(x_{r,k_r,u,v}) -
     * x_{r,k_r,u,v} t_{r,u,v} \) with \( k_r \) the RoI's class (0 when K = 1), 0 for no element;
     * gradient \( (\sigma(x) - t)/(R M^2) \) on the selected channel, 0 elsewhere.
     *
     * @param logits the mask logits (R, K, M, M)
     * @param classIds the class of each RoI (R)
     * @param targets the targets (R, M, M)
     * @param rois R
     * @param classes K
     * @param pixels \( M^2 \)
     * @return the value and gradient
     */
    static CrossEntropyReference.Result maskLoss(
            double[] logits,
            double[] classIds,
            double[] targets,
            int rois,
            int classes,
            int pixels) {
        List<Bounded> terms = new ArrayList<>();
        Bounded[] grad = new Bounded[logits.length];
        java.util.Arrays.fill(grad, Bounded.ZERO);
        for (int r = 0; r < rois; r++) {
            int k = classes == 1 ? 0 : (int) classIds[r];
            for (int p = 0; p < pixels; p++) {
                int at = (r * classes + k) * pixels + p;
                Bounded x = Bounded.of(logits[at]);
                double t = targets[r * pixels + p];
                terms.add(x.softplus().minus(x.times(t)));
                grad[at] = x.sigmoid().minus(Bounded.of(t));
            }
        }
        return mean(terms, grad);
    }

    /**
     * MaskedL2Loss: \( \sum_i m_i (p_i - t_i)^2 / \sum_i m_i \) over the prediction's elements (the
     * mask broadcast, \( m = 1 \) without one), 0 when the mask sums to 0; gradient \( 2 m_i (p_i -
     * t_i) / \sum m \).
     *
     * @param prediction the prediction
     * @param shape its shape
     * @param target the target, same shape
     * @param mask the mask or null
     * @param maskShape the mask's shape
     * @return the value and gradient
     */
    static CrossEntropyReference.Result maskedL2(
            double[] prediction, Shape shape, double[] target, double[] mask, Shape maskShape) {
        List<Bounded> terms = new ArrayList<>();
        List<Bounded> weights = new ArrayList<>();
        Bounded[] grad = new Bounded[prediction.length];
        for (int i = 0; i < prediction.length; i++) {
            double m = mask == null ? 1 : mask[broadcastIndex(i, shape, maskShape)];
            Bounded difference = Bounded.of(prediction[i]).minus(Bounded.of(target[i]));
            terms.add(difference.times(difference).times(m));
            weights.add(Bounded.of(m));
            grad[i] = difference.times(2 * m);
        }
        Bounded total = Bounded.sum(weights);
        if (total.v() == 0) {
            java.util.Arrays.fill(grad, Bounded.ZERO);
            return new CrossEntropyReference.Result(Bounded.ZERO, grad);
        }
        for (int i = 0; i < grad.length; i++) {
            grad[i] = grad[i].div(total);
        }
        return new CrossEntropyReference.Result(Bounded.sum(terms).div(total), grad);
    }
}
