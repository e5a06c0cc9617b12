package io.github.segloss.example.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener.BatchData;
import io.github.segloss.internal.Scalars;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One training step's forward and backward over the trainer's devices, with gradients equal to
 * single-device training on the whole batch.
 *
 * <p>DJL splits the batch across the devices and sums the devices' gradients, while each device's
 * loss is the mean over its own slice: with D equal slices the summed gradient is D times that of
 * the global mean. Each slice's loss is therefore scaled by \( n_d / N \) (its share of the batch)
 * before the backward pass, so that \( \sum_d \frac{n_d}{N} \nabla L_d = \nabla L \) for any split
 * (see {@link #shareOfBatch}). The evaluators still see the unscaled per-device values.
 */
public final class DataParallelStep {

    private DataParallelStep() {}

    /**
     * Runs forward and backward for one batch and notifies the training listeners, like {@code
     * EasyTrain.trainBatch}, unless the guard rejects the batch: it sees the loss before the
     * backward pass ({@link NonFiniteBatches#admitLoss}) and decides on the step after the gradient
     * recording ({@link NonFiniteBatches#admitStep}). A rejected batch reaches no listener, so its
     * loss stays out of the training metrics. The caller then calls {@code trainer.step()} if this
     * returns true.
     *
     * @param trainer the trainer
     * @param batch the batch
     * @param guard decides on batches whose loss or gradients are not finite
     * @param epoch the epoch (1-based)
     * @param number the batch's number in the epoch (1-based)
     * @return true to step, false if the batch was skipped
     * @throws TrainingDivergedException if the guard stops the run
     */
    static boolean forwardBackward(
            Trainer trainer, Batch batch, NonFiniteBatches guard, int epoch, int number) {
        return step(trainer, batch, guard, epoch, number);
    }

    /**
     * Runs forward and backward for one batch and notifies the training listeners, exactly like
     * segloss-train's step but without its guard against non-finite batches (for benchmarks and
     * tests); the caller then calls {@code trainer.step()}.
     *
     * @param trainer the trainer
     * @param batch the batch
     */
    public static void forwardBackward(Trainer trainer, Batch batch) {
        step(trainer, batch, null, 0, 0);
    }

    /** The step of both: a null guard admits every batch without reading its loss. */
    private static boolean step(
            Trainer trainer, Batch batch, NonFiniteBatches guard, int epoch, int number) {
        Batch[] splits = batch.split(trainer.getDevices(), false);
        long total = batch.getSize();
        BatchData data = new BatchData(batch, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray[] losses = new NDArray[splits.length];
            float value = 0;
            for (int s = 0; s < splits.length; s++) {
                NDList labels = splits[s].getLabels();
                NDList predictions = trainer.forward(splits[s].getData(), labels);
                NDArray loss = trainer.getLoss().evaluate(labels, predictions);
                long size = splits[s].getData().head().getShape().get(0);
                losses[s] = shareOfBatch(loss, size, total);
                if (guard != null) {
                    value += losses[s].getFloat();
                }
                data.getLabels().put(labels.head().getDevice(), labels);
                data.getPredictions().put(predictions.head().getDevice(), predictions);
            }
            if (guard == null || guard.admitLoss(value, epoch, number)) {
                for (NDArray loss : losses) {
                    collector.backward(loss);
                }
            }
        }
        if (guard != null && !guard.admitStep(epoch, number)) {
            return false;
        }
        trainer.notifyListeners(listener -> listener.onTrainingBatch(trainer, data));
        return true;
    }

    /**
     * Scales a device's mean loss by its share of the batch, \( \frac{n_d}{N} L_d \).
     *
     * <p>The sum over the devices then has the gradient of the whole batch's mean loss when every
     * sample has the same weight in its slice's mean (e.g. no ignored pixels); with ignored pixels
     * each device's loss stays the mean over its own labelled pixels, as under PyTorch's DDP.
     *
     * @param loss the device's mean loss
     * @param sliceSize the device's samples \( n_d \)
     * @param batchSize the batch's samples \( N \)
     * @return the scaled loss
     */
    public static NDArray shareOfBatch(NDArray loss, long sliceSize, long batchSize) {
        return sliceSize == batchSize ? loss : Scalars.mul(loss, (double) sliceSize / batchSize);
    }
}
