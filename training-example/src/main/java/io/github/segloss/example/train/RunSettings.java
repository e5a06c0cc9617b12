package io.github.segloss.example.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The settings that every training task of segloss-train shares, as the command line gives them;
 * {@link TrainingTask}s add their own few. Built with {@link #builder()}: {@code setEpochs} and
 * {@code setOutput} are required (the epochs are checked by {@link #validate}), every other setting
 * has the command line's default.
 */
public final class RunSettings {
    private final String data;
    private final String format;
    private final int epochs;
    private final int batchSize;
    private final int imageSize;
    private final float learningRate;
    private final long seed;
    private final String engine;
    private final String devices;
    private final Path output;
    private final Path pretrained;
    private final int freezeBackboneEpochs;
    private final boolean resume;
    private final boolean overwrite;
    private final int maxBatches;
    private final int width;
    private final double valFraction;
    private final List<String> syntheticClasses;
    private final int syntheticCount;
    private final List<String> commandLine;
    private final boolean skipBadSamples;
    private final long maxImagePixels;
    private final int skipNonFiniteBatches;
    private final FineTuning fineTuning;

    private RunSettings(Builder builder) {
        this.data = builder.data;
        this.format = builder.format;
        this.epochs = builder.epochs;
        this.batchSize = builder.batchSize;
        this.imageSize = builder.imageSize;
        this.learningRate = builder.learningRate;
        this.seed = builder.seed;
        this.engine = builder.engine;
        this.devices = builder.devices;
        this.output = builder.output;
        this.pretrained = builder.pretrained;
        this.freezeBackboneEpochs = builder.freezeBackboneEpochs;
        this.resume = builder.resume;
        this.overwrite = builder.overwrite;
        this.maxBatches = builder.maxBatches;
        this.width = builder.width;
        this.valFraction = builder.valFraction;
        this.syntheticClasses = List.copyOf(builder.syntheticClasses);
        this.syntheticCount = builder.syntheticCount;
        this.commandLine = List.copyOf(builder.commandLine);
        this.skipBadSamples = builder.skipBadSamples;
        this.maxImagePixels = builder.maxImagePixels;
        this.skipNonFiniteBatches = builder.skipNonFiniteBatches;
        this.fineTuning = builder.fineTuning;
    }

    /**
     * Returns a builder with the command line's defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the data: "synthetic" or the dataset's root folder (default synthetic).
     *
     * @return the setting
     */
    public String data() {
        return data;
    }

    /**
     * Returns the dataset format: folder, voc or coco (ignored for synthetic data; default folder).
     *
     * @return the setting
     */
    public String format() {
        return format;
    }

    /**
     * Returns the number of epochs in total, a resumed run ending at the same epoch (required).
     *
     * @return the setting
     */
    public int epochs() {
        return epochs;
    }

    /**
     * Returns the global batch size, split across the devices (default 8).
     *
     * @return the setting
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Returns the side of the square training images (default 64).
     *
     * @return the setting
     */
    public int imageSize() {
        return imageSize;
    }

    /**
     * Returns Adam's learning rate at the start of the poly schedule (default 0.005).
     *
     * @return the setting
     */
    public float learningRate() {
        return learningRate;
    }

    /**
     * Returns the seed of the data split and order, the augmentation and the initialisation
     * (default 42).
     *
     * @return the setting
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns the engine: PyTorch or MXNet (default PyTorch).
     *
     * @return the setting
     */
    public String engine() {
        return engine;
    }

    /**
     * Returns the devices: cpu, gpu or gpu:i,j (default cpu).
     *
     * @return the setting
     */
    public String devices() {
        return devices;
    }

    /**
     * Returns the run's folder (required).
     *
     * @return the setting
     */
    public Path output() {
        return output;
    }

    /**
     * Returns a checkpoint folder to start from, or {@code null} (the default).
     *
     * @return the setting
     */
    public Path pretrained() {
        return pretrained;
    }

    /**
     * Returns the first epochs that train the heads alone (default 0).
     *
     * @return the setting
     */
    public int freezeBackboneEpochs() {
        return freezeBackboneEpochs;
    }

    /**
     * Returns whether to continue from the newest checkpoint in the output folder.
     *
     * @return the setting
     */
    public boolean resume() {
        return resume;
    }

    /**
     * Returns whether a fresh run deletes the files of an earlier run in its output folder first.
     *
     * @return the setting
     */
    public boolean overwrite() {
        return overwrite;
    }

    /**
     * Returns the most training and validation batches per epoch, 0 for all (the default).
     *
     * @return the setting
     */
    public int maxBatches() {
        return maxBatches;
    }

    /**
     * Returns the base channel width of the built-in model (default 16).
     *
     * @return the setting
     */
    public int width() {
        return width;
    }

    /**
     * Returns the validation share of a dataset without a validation list (default 0.2).
     *
     * @return the setting
     */
    public double valFraction() {
        return valFraction;
    }

    /**
     * Returns the classes of the synthetic data, "background" first.
     *
     * @return the setting
     */
    public List<String> syntheticClasses() {
        return syntheticClasses;
    }

    /**
     * Returns the synthetic training images, a quarter as many for validation (default 400).
     *
     * @return the setting
     */
    public int syntheticCount() {
        return syntheticCount;
    }

    /**
     * Returns the command line, recorded in the checkpoints.
     *
     * @return the setting
     */
    public List<String> commandLine() {
        return commandLine;
    }

    /**
     * Returns whether bad samples are skipped and counted instead of stopping the run.
     *
     * @return the setting
     */
    public boolean skipBadSamples() {
        return skipBadSamples;
    }

    /**
     * Returns the largest width × height of an image or mask that is decoded (default 64,000,000).
     *
     * @return the setting
     */
    public long maxImagePixels() {
        return maxImagePixels;
    }

    /**
     * Returns the batches with a NaN or infinite loss that the whole run may skip, 0 (the default)
     * to stop at the first.
     *
     * @return the setting
     */
    public int skipNonFiniteBatches() {
        return skipNonFiniteBatches;
    }

    /**
     * Returns the backbone's learning-rate scale and frozen batch-norm statistics ({@link
     * FineTuning#NONE} by default).
     *
     * @return the setting
     */
    public FineTuning fineTuning() {
        return fineTuning;
    }

    /**
     * Checks the settings that do not depend on the task.
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
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be > 0, got " + learningRate);
        }
        if (freezeBackboneEpochs < 0 || maxBatches < 0) {
            throw new IllegalArgumentException(
                    "--freeze-backbone-epochs and --max-batches must be >= 0");
        }
        if (skipNonFiniteBatches < 0) {
            throw new IllegalArgumentException(
                    "--skip-nonfinite-batches must be >= 0, got " + skipNonFiniteBatches);
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

    /** Builds {@link RunSettings}; starts with the command line's defaults. */
    public static final class Builder {

        private String data = "synthetic";
        private String format = "folder";
        private int epochs = 0;
        private int batchSize = 8;
        private int imageSize = 64;
        private float learningRate = 0.005f;
        private long seed = 42;
        private String engine = "PyTorch";
        private String devices = "cpu";
        private Path output = null;
        private Path pretrained = null;
        private int freezeBackboneEpochs = 0;
        private boolean resume = false;
        private boolean overwrite = false;
        private int maxBatches = 0;
        private int width = 16;
        private double valFraction = 0.2;
        private List<String> syntheticClasses =
                List.of("background", "circle", "square", "triangle");
        private int syntheticCount = 400;
        private List<String> commandLine = List.of();
        private boolean skipBadSamples = false;
        private long maxImagePixels = 64_000_000L;
        private int skipNonFiniteBatches = 0;
        private FineTuning fineTuning = FineTuning.NONE;

        private Builder() {}

        /**
         * Sets the data: "synthetic" or the dataset's root folder (default synthetic).
         *
         * @param data the value
         * @return this builder
         */
        public Builder optData(String data) {
            this.data = Objects.requireNonNull(data, "data");
            return this;
        }

        /**
         * Sets the dataset format: folder, voc or coco (ignored for synthetic data; default
         * folder).
         *
         * @param format the value
         * @return this builder
         */
        public Builder optFormat(String format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * Sets the number of epochs in total, a resumed run ending at the same epoch (required).
         *
         * @param epochs the value
         * @return this builder
         */
        public Builder setEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets the global batch size, split across the devices (default 8).
         *
         * @param batchSize the value
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the side of the square training images (default 64).
         *
         * @param imageSize the value
         * @return this builder
         */
        public Builder optImageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /**
         * Sets Adam's learning rate at the start of the poly schedule (default 0.005).
         *
         * @param learningRate the value
         * @return this builder
         */
        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets the seed of the data split and order, the augmentation and the initialisation
         * (default 42).
         *
         * @param seed the value
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the engine: PyTorch or MXNet (default PyTorch).
         *
         * @param engine the value
         * @return this builder
         */
        public Builder optEngine(String engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /**
         * Sets the devices: cpu, gpu or gpu:i,j (default cpu).
         *
         * @param devices the value
         * @return this builder
         */
        public Builder optDevices(String devices) {
            this.devices = Objects.requireNonNull(devices, "devices");
            return this;
        }

        /**
         * Sets the run's folder (required).
         *
         * @param output the value
         * @return this builder
         */
        public Builder setOutput(Path output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /**
         * Sets a checkpoint folder to start from, or {@code null} (the default).
         *
         * @param pretrained the value
         * @return this builder
         */
        public Builder optPretrained(Path pretrained) {
            this.pretrained = pretrained;
            return this;
        }

        /**
         * Sets the first epochs that train the heads alone (default 0).
         *
         * @param freezeBackboneEpochs the value
         * @return this builder
         */
        public Builder optFreezeBackboneEpochs(int freezeBackboneEpochs) {
            this.freezeBackboneEpochs = freezeBackboneEpochs;
            return this;
        }

        /**
         * Sets whether to continue from the newest checkpoint in the output folder.
         *
         * @param resume the value
         * @return this builder
         */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * Sets whether a fresh run deletes the files of an earlier run in its output folder first.
         *
         * @param overwrite the value
         * @return this builder
         */
        public Builder optOverwrite(boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        /**
         * Sets the most training and validation batches per epoch, 0 for all (the default).
         *
         * @param maxBatches the value
         * @return this builder
         */
        public Builder optMaxBatches(int maxBatches) {
            this.maxBatches = maxBatches;
            return this;
        }

        /**
         * Sets the base channel width of the built-in model (default 16).
         *
         * @param width the value
         * @return this builder
         */
        public Builder optWidth(int width) {
            this.width = width;
            return this;
        }

        /**
         * Sets the validation share of a dataset without a validation list (default 0.2).
         *
         * @param valFraction the value
         * @return this builder
         */
        public Builder optValFraction(double valFraction) {
            this.valFraction = valFraction;
            return this;
        }

        /**
         * Sets the classes of the synthetic data, "background" first.
         *
         * @param syntheticClasses the value
         * @return this builder
         */
        public Builder optSyntheticClasses(List<String> syntheticClasses) {
            this.syntheticClasses = Objects.requireNonNull(syntheticClasses, "syntheticClasses");
            return this;
        }

        /**
         * Sets the synthetic training images, a quarter as many for validation (default 400).
         *
         * @param syntheticCount the value
         * @return this builder
         */
        public Builder optSyntheticCount(int syntheticCount) {
            this.syntheticCount = syntheticCount;
            return this;
        }

        /**
         * Sets the command line, recorded in the checkpoints.
         *
         * @param commandLine the value
         * @return this builder
         */
        public Builder optCommandLine(List<String> commandLine) {
            this.commandLine = Objects.requireNonNull(commandLine, "commandLine");
            return this;
        }

        /**
         * Sets whether bad samples are skipped and counted instead of stopping the run.
         *
         * @param skipBadSamples the value
         * @return this builder
         */
        public Builder optSkipBadSamples(boolean skipBadSamples) {
            this.skipBadSamples = skipBadSamples;
            return this;
        }

        /**
         * Sets the largest width × height of an image or mask that is decoded (default 64,000,000).
         *
         * @param maxImagePixels the value
         * @return this builder
         */
        public Builder optMaxImagePixels(long maxImagePixels) {
            this.maxImagePixels = maxImagePixels;
            return this;
        }

        /**
         * Sets the batches with a NaN or infinite loss that the whole run may skip, 0 (the default)
         * to stop at the first.
         *
         * @param skipNonFiniteBatches the value
         * @return this builder
         */
        public Builder optSkipNonFiniteBatches(int skipNonFiniteBatches) {
            this.skipNonFiniteBatches = skipNonFiniteBatches;
            return this;
        }

        /**
         * Sets the backbone's learning-rate scale and frozen batch-norm statistics ({@link
         * FineTuning#NONE} by default).
         *
         * @param fineTuning the value
         * @return this builder
         */
        public Builder optFineTuning(FineTuning fineTuning) {
            this.fineTuning = Objects.requireNonNull(fineTuning, "fineTuning");
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         * @throws IllegalArgumentException if the output folder is not set
         */
        public RunSettings build() {
            if (output == null) {
                throw new IllegalArgumentException("RunSettings needs setOutput, got none");
            }
            return new RunSettings(this);
        }
    }
}
