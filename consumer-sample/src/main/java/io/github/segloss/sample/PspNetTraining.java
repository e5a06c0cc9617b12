package io.github.segloss.sample;

import ai.djl.Device;
import ai.djl.Model;
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
import java.io.IOException;

/** README, "Using segloss": training a two-head PSPNet-style block with {@code pspnet()}. */
final class PspNetTraining {

    private PspNetTraining() {}

    /**
     * Trains the block as the README shows.
     *
     * @param block a block that returns {@code NDList(main, aux)} in training, {@code
     *     NDList(main)} in inference, for {@code (8, 3, 128, 128)} images
     * @param epochs the number of epochs
     * @param trainSet the training set, batches of 8
     * @param validationSet the validation set, batches of 8
     * @throws IOException if DJL fails to read a batch
     * @throws TranslateException if DJL fails to prepare a batch
     */
    static void train(Block block, int epochs, Dataset trainSet, Dataset validationSet)
            throws IOException, TranslateException {
        // BEGIN README SNIPPET
        DeepSupervisionLoss loss = DeepSupervisionLoss.pspnet(); // CE(main) + 0.4 * CE(aux), ignore 255
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(Optimizer.adam().build())
                        .addTrainingListeners(TrainingListener.Defaults.logging());
        loss.getComponents().forEach(config::addEvaluator); // log main and aux separately

        try (Model model = Model.newInstance("pspnet", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(8, 3, 128, 128));
                EasyTrain.fit(trainer, epochs, trainSet, validationSet);
            }
        }
        // END README SNIPPET
    }
}
