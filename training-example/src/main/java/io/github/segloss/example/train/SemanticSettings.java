package io.github.segloss.example.train;

import java.nio.file.Path;
import java.util.List;

/**
 * The settings of a semantic-segmentation run, as the command line gives them.
 *
 * @param data "synthetic" or the dataset's root folder
 * @param format folder, voc or coco (ignored for synthetic data)
 * @param epochs the number of epochs in total (a resumed run ends at the same epoch)
 * @param batchSize the global batch size, split across the devices
 * @param imageSize the side of the square training images, a multiple of 32
 * @param learningRate Adam's learning rate
 * @param seed the seed of the data order, the augmentation and the initialisation
 * @param engine PyTorch or MXNet
 * @param devices cpu, gpu or gpu:i,j
 * @param output the run's folder
 * @param pretrained a checkpoint folder to start from, or {@code null}
 * @param freezeBackboneEpochs the first epochs that train the heads alone
 * @param resume whether to continue from the newest checkpoint in the output folder
 * @param maxBatches the most training and validation batches per epoch (0: all)
 * @param loss the loss of each head
 * @param classWeights none, auto or a list of weights
 * @param auxWeight the weight of the auxiliary head
 * @param valFraction the validation share of a folder dataset without val.txt
 * @param width the base channel width of the model
 * @param syntheticClasses the classes of the synthetic data, "background" first
 * @param syntheticCount the synthetic training images (a quarter as many for validation)
 * @param torchscript a TorchScript model returning (out, aux) to fine-tune instead of the built-in
 *     PSPNet, or {@code null}
 * @param commandLine the command line, recorded in the checkpoints
 * @param skipBadSamples whether bad samples are skipped and counted instead of stopping the run
 * @param maxImagePixels the largest width × height of an image or mask that is decoded
 */
public record SemanticSettings(
        String data,
        String format,
        int epochs,
        int batchSize,
        int imageSize,
        float learningRate,
        long seed,
        String engine,
        String devices,
        Path output,
        Path pretrained,
        int freezeBackboneEpochs,
        boolean resume,
        int maxBatches,
        LossChoice loss,
        String classWeights,
        float auxWeight,
        double valFraction,
        int width,
        List<String> syntheticClasses,
        int syntheticCount,
        Path torchscript,
        List<String> commandLine,
        boolean skipBadSamples,
        long maxImagePixels) {

    /**
     * Checks the numbers that the data and the model depend on.
     *
     * @throws IllegalArgumentException naming the option and the bad value
     */
    public void validate() {
        requirePositive("--epochs", epochs);
        requirePositive("--batch-size", batchSize);
        if (batchSize < 2) {
            throw new IllegalArgumentException(
                    "--batch-size must be >= 2 for semantic training (batch normalisation of the"
                            + " pyramid's 1x1 bin needs two images), got "
                            + batchSize);
        }
        requirePositive("--width", width);
        requirePositive("--synthetic-count", syntheticCount);
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException(
                    "--max-image-pixels must be >= 1, got " + maxImagePixels);
        }
        if (imageSize < 32 || imageSize % 32 != 0) {
            throw new IllegalArgumentException(
                    "--image-size must be a positive multiple of 32, got " + imageSize);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be > 0, got " + learningRate);
        }
        if (freezeBackboneEpochs < 0 || maxBatches < 0) {
            throw new IllegalArgumentException(
                    "--freeze-backbone-epochs and --max-batches must be >= 0");
        }
        if (!(auxWeight >= 0)) {
            throw new IllegalArgumentException("--aux-weight must be >= 0, got " + auxWeight);
        }
        if (torchscript != null && !engine.equals("PyTorch")) {
            throw new IllegalArgumentException(
                    "--torchscript needs --engine PyTorch, got " + engine);
        }
        if (torchscript != null && !java.nio.file.Files.isRegularFile(torchscript)) {
            throw new IllegalArgumentException("--torchscript " + torchscript + ": no such file");
        }
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException(
                    "--val-fraction must lie in (0, 1), got " + valFraction);
        }
    }

    private static void requirePositive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be >= 1, got " + value);
        }
    }
}
