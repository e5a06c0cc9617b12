package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.loss.DiceLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.loss.WeightedSumLoss;
import io.github.segloss.metric.MeanIoU;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * A real DJL {@link Trainer} on this engine, trained by {@link EasyTrain} on data with ignored
 * pixels: a two-head net with {@link DeepSupervisionLoss#pspnet()}, and with cross-entropy plus
 * Dice judged by {@link MeanIoU}.
 */
public class TrainerTest extends EngineTest {

    private static final int CLASSES = 3;
    private static final int SAMPLES = 32;
    private static final int SIZE = 8;
    private static final int EPOCHS = 4;
    private static final int SEED = 20261129;

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public TrainerTest(String engine) {
        super(engine);
    }

    /**
     * Images of 3 channels whose label is the brightest channel, with a tenth of the pixels ignored
     * (255): a 1×1 head can learn it.
     */
    private static ArrayDataset dataset(NDManager manager, long seed) {
        Random random = new Random(seed);
        int pixels = SIZE * SIZE;
        float[] images = new float[SAMPLES * CLASSES * pixels];
        long[] labels = new long[SAMPLES * pixels];
        for (int n = 0; n < SAMPLES; n++) {
            for (int p = 0; p < pixels; p++) {
                int best = 0;
                float bestValue = -Float.MAX_VALUE;
                for (int c = 0; c < CLASSES; c++) {
                    float value = (float) random.nextGaussian();
                    images[(n * CLASSES + c) * pixels + p] = value;
                    if (value > bestValue) {
                        bestValue = value;
                        best = c;
                    }
                }
                labels[n * pixels + p] = random.nextInt(10) == 0 ? 255 : best;
            }
        }
        NDArray x = manager.create(images, new Shape(SAMPLES, CLASSES, SIZE, SIZE));
        NDArray y = manager.create(labels, new Shape(SAMPLES, SIZE, SIZE));
        return new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(8, true).build();
    }

    @Test
    public void pspnetLossFallsAndReportsMainAndAux() throws IOException, TranslateException {
        DeepSupervisionLoss loss = DeepSupervisionLoss.pspnet();
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(Tracker.fixed(0.05f))
                                        .build())
                        .optDevices(new Device[] {Device.cpu()})
                        .addTrainingListeners(TrainingListener.Defaults.logging());
        loss.getComponents().forEach(config::addEvaluator);

        // a fixed seed for the initialisation and the shuffling: the run is reproducible
        engine().setRandomSeed(SEED);
        try (Model model = Model.newInstance("two-heads", Device.cpu(), engine)) {
            model.setBlock(new TwoHeadNet(CLASSES));
            try (Trainer trainer = model.newTrainer(config)) {
                assertEquals(trainer.getManager().getEngine().getEngineName(), engine);
                trainer.setMetrics(new Metrics());
                trainer.initialize(new Shape(8, CLASSES, SIZE, SIZE));
                EasyTrain.fit(trainer, EPOCHS, dataset(manager, 1), dataset(manager, 2));

                Metrics metrics = trainer.getMetrics();
                double first = metrics.getMetric("train_epoch_PSPNetLoss").get(0).getValue();
                double last =
                        metrics.getMetric("train_epoch_PSPNetLoss").get(EPOCHS - 1).getValue();
                assertTrue(last < 0.7 * first, "loss fell from " + first + " to " + last);

                TrainingResult result = trainer.getTrainingResult();
                Map<String, Float> evaluations = result.getEvaluations();
                float main = evaluations.get("train_main");
                float aux = evaluations.get("train_aux");
                assertTrue(main > 0 && aux > 0, "main " + main + ", aux " + aux);
                assertEquals(evaluations.get("train_loss"), main + aux, 1e-3 * (main + aux));
                // In validation the model returns only its main head: aux is not measured and
                // the total is the main loss.
                float validateMain = evaluations.get("validate_main");
                assertTrue(Float.isNaN(evaluations.get("validate_aux")));
                assertEquals(evaluations.get("validate_loss"), validateMain, 1e-6f);
                assertTrue(validateMain < first, "validation " + validateMain + " vs " + first);
            }
        }
    }

    @Test
    public void crossEntropyPlusDiceTrainsAndMeanIoURises() throws IOException, TranslateException {
        WeightedSumLoss loss =
                WeightedSumLoss.builder()
                        .optName("CEDice")
                        .add(PixelCrossEntropyLoss.builder().optName("CE").build(), 1f)
                        .add(
                                DiceLoss.builder()
                                        .setMode(SegmentationMode.MULTICLASS)
                                        .optIgnoreIndex(255)
                                        .optName("Dice")
                                        .build(),
                                1f)
                        .build();
        MeanIoU meanIoU = new MeanIoU("mIoU", CLASSES, 255);
        EpochValues seen = new EpochValues(meanIoU);
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(Tracker.fixed(0.05f))
                                        .build())
                        .optDevices(new Device[] {Device.cpu()})
                        .addEvaluator(meanIoU)
                        // sees each epoch's values before DJL's listener resets them
                        .addTrainingListeners(seen)
                        .addTrainingListeners(TrainingListener.Defaults.logging());
        loss.getComponents().forEach(config::addEvaluator);

        // a fixed seed for the initialisation and the shuffling: the run is reproducible
        engine().setRandomSeed(SEED);
        try (Model model = Model.newInstance("ce-dice", Device.cpu(), engine)) {
            model.setBlock(new TwoHeadNet(CLASSES));
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics());
                trainer.initialize(new Shape(8, CLASSES, SIZE, SIZE));
                EasyTrain.fit(trainer, EPOCHS, dataset(manager, 3), dataset(manager, 4));

                Metrics metrics = trainer.getMetrics();
                double first = metrics.getMetric("train_epoch_CEDice").get(0).getValue();
                double last = metrics.getMetric("train_epoch_CEDice").get(EPOCHS - 1).getValue();
                assertTrue(last < 0.8 * first, "loss fell from " + first + " to " + last);
                double firstIoU = metrics.getMetric("validate_epoch_mIoU").get(0).getValue();
                double lastIoU =
                        metrics.getMetric("validate_epoch_mIoU").get(EPOCHS - 1).getValue();
                assertTrue(
                        lastIoU > firstIoU && lastIoU > 0.6,
                        "validation mIoU went from " + firstIoU + " to " + lastIoU);

                Map<String, Float> evaluations = trainer.getTrainingResult().getEvaluations();
                float ce = evaluations.get("train_CE");
                float dice = evaluations.get("train_Dice");
                assertTrue(ce > 0 && dice > 0, "CE " + ce + ", Dice " + dice);
                assertEquals(evaluations.get("train_loss"), ce + dice, 1e-3 * (ce + dice));

                // after fit the epoch accumulators are reset; the last epoch is kept apart
                String validate = EvaluatorTrainingListener.VALIDATE_EPOCH;
                assertTrue(Float.isNaN(meanIoU.getAccumulator(validate)));
                assertEquals(meanIoU.getLastEpochAccumulator(validate), seen.value);
                assertEquals(meanIoU.getLastEpochAccumulator(validate), (float) lastIoU, 1e-6f);
                assertEquals(meanIoU.getLastEpochPerClassIoU(validate), seen.perClassIoU);
                assertEquals(meanIoU.getLastEpochConfusionMatrix(validate), seen.confusion);
            }
        }
    }

    /** Reads the mIoU evaluator's validation values at the end of each epoch. */
    private static final class EpochValues extends TrainingListenerAdapter {

        private final MeanIoU meanIoU;
        private float value;
        private float[] perClassIoU;
        private long[][] confusion;

        EpochValues(MeanIoU meanIoU) {
            this.meanIoU = meanIoU;
        }

        @Override
        public void onEpoch(Trainer trainer) {
            String validate = EvaluatorTrainingListener.VALIDATE_EPOCH;
            value = meanIoU.getAccumulator(validate);
            perClassIoU = meanIoU.getPerClassIoU(validate);
            confusion = meanIoU.getConfusionMatrix(validate);
        }
    }
}
