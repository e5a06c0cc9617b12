package io.github.segloss.sample;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.translate.TranslateException;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.metric.MeanIoU;
import java.io.IOException;

/** README, "Using segloss": training a two-head PSPNet-style block with {@code pspnet()}. */
final class PspNetTraining {

    private PspNetTraining() {}

    /**
     * Trains the block as the README shows.
     *
     * @param engine the engine, "PyTorch" or "MXNet"
     * @param block a block that returns {@code NDList(main, aux)} in training, {@code
     *     NDList(main)} in inference, for {@code (8, 3, 128, 128)} images
     * @param numClasses the block's classes
     * @param epochs the number of epochs
     * @param trainSet the training set, batches of 8
     * @param validationSet the validation set, batches of 8
     * @return the validation IoU of each class in the last epoch
     * @throws IOException if DJL fails to read a batch
     * @throws TranslateException if DJL fails to prepare a batch
     */
    static float[] train(
            String engine,
            Block block,
            int numClasses,
            int epochs,
            Dataset trainSet,
            Dataset validationSet)
            throws IOException, TranslateException {
        // BEGIN README SNIPPET
        DeepSupervisionLoss loss = DeepSupervisionLoss.pspnet(); // CE(main) + 0.4 * CE(aux), ignore 255
        MeanIoU meanIoU = new MeanIoU("mIoU", numClasses, 255);
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(Optimizer.adam().build())
                        .addEvaluator(meanIoU)
                        .addTrainingListeners(TrainingListener.Defaults.logging());
        loss.getComponents().forEach(config::addEvaluator); // log main and aux separately

        try (Model model = Model.newInstance("pspnet", Device.cpu(), engine)) { // "PyTorch" or "MXNet"
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics()); // without it DJL's log shows no values
                trainer.initialize(new Shape(8, 3, 128, 128));
                EasyTrain.fit(trainer, epochs, trainSet, validationSet);
            }
        }
        // fit's listener resets the epoch's values after logging them; the last epoch is kept apart
        float[] perClassIoU = meanIoU.getLastEpochPerClassIoU("validate/epoch");
        // END README SNIPPET
        return perClassIoU;
    }
}
