package io.github.segloss.example.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener.BatchData;
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
     * EasyTrain.trainBatch}; the caller then calls {@code trainer.step()}.
     *
     * @param trainer the trainer
     * @param batch the batch
     */
    public static void forwardBackward(Trainer trainer, Batch batch) {
        Batch[] splits = batch.split(trainer.getDevices(), false);
        long total = batch.getSize();
        BatchData data = new BatchData(batch, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        try (GradientCollector collector = trainer.newGradientCollector()) {
            for (Batch split : splits) {
                NDList labels = split.getLabels();
                NDList predictions = trainer.forward(split.getData(), labels);
                NDArray loss = trainer.getLoss().evaluate(labels, predictions);
                long size = split.getData().head().getShape().get(0);
                collector.backward(shareOfBatch(loss, size, total));
                data.getLabels().put(labels.head().getDevice(), labels);
                data.getPredictions().put(predictions.head().getDevice(), predictions);
            }
        }
        trainer.notifyListeners(listener -> listener.onTrainingBatch(trainer, data));
    }

    /**
     * Scales a device's mean loss by its share of the batch, \( rac{n_d}{N} L_d \).
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
        return sliceSize == batchSize ? loss : loss.mul((float) sliceSize / batchSize);
    }
}
