package io.github.segloss.example.train;

import ai.djl.Device;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;

/**
 * Updates a metric on validation batches only, under DJL's {@code VALIDATE_EPOCH} key, and resets
 * it at the end of each epoch.
 *
 * <p>A metric added to the training configuration is also updated on every training batch by DJL's
 * {@link EvaluatorTrainingListener}: for {@code MeanIoU} an argmax and a host copy of every
 * training batch that segloss-train never reports. This listener gives the validation numbers
 * alone.
 */
final class ValidationMetric extends TrainingListenerAdapter {

    private final Evaluator metric;

    /**
     * Creates the listener.
     *
     * @param metric the metric, not added to the training configuration
     */
    ValidationMetric(Evaluator metric) {
        this.metric = metric;
        metric.addAccumulator(EvaluatorTrainingListener.VALIDATE_EPOCH);
    }

    /** {@inheritDoc} */
    @Override
    public void onValidationBatch(Trainer trainer, BatchData batchData) {
        for (Device device : batchData.getLabels().keySet()) {
            metric.updateAccumulator(
                    EvaluatorTrainingListener.VALIDATE_EPOCH,
                    batchData.getLabels().get(device),
                    batchData.getPredictions().get(device));
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        metric.resetAccumulator(EvaluatorTrainingListener.VALIDATE_EPOCH);
    }
}
