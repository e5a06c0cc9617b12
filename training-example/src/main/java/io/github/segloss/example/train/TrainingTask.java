package io.github.segloss.example.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import com.google.gson.JsonObject;
import io.github.segloss.example.data.SampleSource;
import io.github.segloss.example.report.EpochMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * What one task of segloss-train adds to the run that {@link TrainingRun} carries out for every
 * task: its checks, data, model, loss, metrics and reports. {@link TrainingRun} calls the methods
 * in the order they are declared, {@link #prepare} once, the epoch methods once per epoch.
 */
interface TrainingTask {

    /**
     * Returns the task's name, as {@code checkpoint.json} and {@code summary.json} record it.
     *
     * @return "semantic" or "mask"
     */
    String name();

    /**
     * Checks the settings for this task, beyond {@link RunSettings#validate}.
     *
     * @param settings the run's settings
     * @param devices the devices of {@code --devices}
     * @throws IllegalArgumentException naming the option and the bad value
     */
    void validate(RunSettings settings, Device[] devices);

    /**
     * Prepares the run's data, loss and metrics from the opened splits (host work only).
     *
     * @param train the training split
     * @param validation the validation split
     * @param loaders the run's data-loading threads
     * @throws IllegalArgumentException if the data does not suit the task
     */
    void prepare(SampleSource train, SampleSource validation, ExecutorService loaders);

    /**
     * Returns the classes of the per-class columns of {@code metrics.csv}.
     *
     * @return the class names
     */
    List<String> metricClasses();

    /**
     * Returns the model's part of {@code checkpoint.json}: what a resumed run must match.
     *
     * @return the model description
     */
    JsonObject modelDescription();

    /**
     * Returns the training batches per epoch, for the learning-rate schedule.
     *
     * @return the batches
     */
    int batchesPerEpoch();

    /**
     * Returns the loss, whose {@code getAccumulator} gives the epoch's training and validation
     * loss.
     *
     * @return the loss
     */
    Loss loss();

    /**
     * Adds the task's evaluators and listeners to the training configuration.
     *
     * @param config the configuration
     */
    void configure(DefaultTrainingConfig config);

    /**
     * Creates the model and sets it as the model's block.
     *
     * @param model the DJL model
     * @param resumeFrom the checkpoint a resumed run starts from, or {@code null}
     * @return the block to train
     * @throws IOException if a model file cannot be read
     */
    Block createModel(Model model, Path resumeFrom) throws IOException;

    /**
     * Returns the file the model comes from, as messages name it.
     *
     * @return the TorchScript file, or {@code null} for a built-in model
     */
    Path modelFile();

    /**
     * Returns the model's input shapes for a batch of this many images.
     *
     * @param images the images per device
     * @return the shapes
     */
    Shape[] inputShapes(int images);

    /**
     * Checks the initialised model against the data.
     *
     * @param trainer the initialised trainer
     * @throws IllegalArgumentException if the model does not fit the data
     */
    void checkModel(Trainer trainer);

    /**
     * Returns the training batches of an epoch, each on a manager of its own that the caller closes
     * with the batch; {@code null} stands for a batch with nothing to learn, which the run counts
     * in its progress and skips.
     *
     * @param trainer the trainer
     * @param epoch the epoch, 1-based
     * @return the batches
     * @throws IOException if the data cannot be read
     */
    Iterable<Batch> trainingBatches(Trainer trainer, int epoch) throws IOException;

    /**
     * Ends a training epoch: returns what the progress bar's last line adds after the images.
     *
     * @param images the images trained on
     * @return e.g. ", 812 RoIs", or ""
     * @throws IllegalArgumentException if the epoch had nothing to learn at all
     */
    String endTrainingEpoch(long images);

    /**
     * Returns the validation batches, each closed by the caller (none without labels).
     *
     * @param trainer the trainer
     * @return the batches
     * @throws IOException if the data cannot be read
     */
    Iterable<Batch> validationBatches(Trainer trainer) throws IOException;

    /**
     * Returns the epoch's metrics, read from the loss and the evaluators after validation and
     * before DJL's listener resets the epoch's accumulators: whatever else the task reports of the
     * epoch ({@link #epochLine}, {@link #summarize}) must be read here too.
     *
     * @param epoch the epoch
     * @param seconds the epoch's training seconds
     * @param imagesPerSecond the training throughput
     * @return the row of {@code metrics.csv}
     */
    EpochMetrics epochMetrics(int epoch, double seconds, double imagesPerSecond);

    /**
     * Returns the end of the epoch's line, after the training and validation loss.
     *
     * @param row the epoch's metrics
     * @return e.g. "mIoU 0.7000, pixel acc 0.9000"
     */
    String epochLine(EpochMetrics row);

    /**
     * Writes the prediction previews of the validation data.
     *
     * @param trainer the trainer
     * @param file the picture
     * @throws IOException if it cannot be written
     */
    void writePreviews(Trainer trainer, Path file) throws IOException;

    /**
     * Adds the task's results to {@code summary.json}.
     *
     * @param summary the summary so far
     * @param history the metrics of every epoch, not empty
     */
    void summarize(Map<String, Object> summary, List<EpochMetrics> history);
}
