package io.github.segloss.example.train;

import io.github.segloss.example.model.MaskRcnnHead;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The settings of a mask-head run, as the command line gives them.
 *
 * @param data "synthetic" or the dataset's root folder
 * @param format voc or coco for a dataset folder (folder has no instances and is refused)
 * @param epochs the number of epochs in total (a resumed run ends at the same epoch)
 * @param batchSize the images per batch
 * @param imageSize the side of the square training images, a multiple of 4
 * @param learningRate Adam's learning rate
 * @param seed the seed of the data order, the augmentation, the box jitter and the initialisation
 * @param engine PyTorch or MXNet
 * @param devices cpu, gpu or gpu:i (one device)
 * @param output the run's folder
 * @param pretrained a checkpoint folder to start from (semantic or mask), or {@code null}
 * @param freezeBackboneEpochs the first epochs that train the mask head alone
 * @param resume whether to continue from the newest checkpoint in the output folder
 * @param maxBatches the most training and validation batches per epoch (0: all)
 * @param width the base channel width of the model
 * @param classAgnostic whether the head predicts one mask per RoI (K = 1) instead of one per class
 * @param jitter the largest box jitter in training, as a fraction of the box size
 * @param syntheticClasses the classes of the synthetic data, "background" first
 * @param syntheticCount the synthetic training images (a quarter as many for validation)
 * @param commandLine the command line, recorded in the checkpoints
 * @param skipBadSamples whether bad samples are skipped and counted instead of stopping the run
 * @param maxImagePixels the largest width × height of an image or mask that is decoded
 */
public record MaskSettings(
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
        int width,
        boolean classAgnostic,
        float jitter,
        List<String> syntheticClasses,
        int syntheticCount,
        List<String> commandLine,
        boolean skipBadSamples,
        long maxImagePixels) {

    /** The message for a dataset format without instances. */
    public static final String NEEDS_INSTANCES =
            "the mask task needs instances (synthetic, voc or coco)";

    /**
     * Checks the numbers that the data and the model depend on, and that the data has instances.
     *
     * @throws IllegalArgumentException naming the option and the bad value
     */
    public void validate() {
        requirePositive("--epochs", epochs);
        requirePositive("--batch-size", batchSize);
        requirePositive("--width", width);
        requirePositive("--synthetic-count", syntheticCount);
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException(
                    "--max-image-pixels must be >= 1, got " + maxImagePixels);
        }
        int stride = MaskRcnnHead.STRIDE;
        if (imageSize < 16 || imageSize % stride != 0) {
            throw new IllegalArgumentException(
                    "--image-size must be a multiple of "
                            + stride
                            + " from 16 on, got "
                            + imageSize);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be > 0, got " + learningRate);
        }
        if (freezeBackboneEpochs < 0 || maxBatches < 0) {
            throw new IllegalArgumentException(
                    "--freeze-backbone-epochs and --max-batches must be >= 0");
        }
        if (!(jitter >= 0 && jitter < 0.5f)) {
            throw new IllegalArgumentException("--jitter must lie in [0, 0.5), got " + jitter);
        }
        if (!data.equals("synthetic") && "folder".equals(format.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(
                    "--format folder: " + NEEDS_INSTANCES + "; folder datasets have none");
        }
    }

    private static void requirePositive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be >= 1, got " + value);
        }
    }
}
