package io.github.segloss.sample;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.ArrayDataset;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the README's "Using segloss" snippets on one engine, as a user who copied them would, and
 * writes what they computed to {@code OUT_DIR/segloss-values-ENGINE.properties}; the invoker's
 * {@code verify.groovy} checks the numbers and compares the engines.
 *
 * <p>Usage: {@code UsingSegloss ENGINE OUT_DIR [TORCHSCRIPT_MODULE]}. The cross-entropy, mask loss
 * and PSPNet snippets run on the engine given; the TorchScript snippet, a PyTorch model, on PyTorch
 * only.
 */
public final class UsingSegloss {

    private static final int CLASSES = 3;
    private static final int SIZE = 128;

    private UsingSegloss() {}

    /**
     * Runs the snippets.
     *
     * @param args the engine name, the output folder, and for PyTorch a TorchScript module
     * @throws Exception if a snippet fails
     */
    public static void main(String[] args) throws Exception {
        String engine = args[0];
        Path out = Path.of(args[1]);
        Map<String, Double> values = new TreeMap<>();
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            if (!engine.equals(manager.getEngine().getEngineName())) {
                throw new IllegalStateException(
                        "asked for " + engine + ", got " + manager.getEngine());
            }
            values.put("crossEntropy", crossEntropy(manager));
            values.put("maskLoss", maskLoss(manager));
        }
        pspnet(values, engine);
        if ("PyTorch".equals(engine)) {
            values.put("torchscriptFirstTrainingLoss", torchscript(Path.of(args[2])));
        }
        Path file = out.resolve("segloss-values-" + engine + ".properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            for (Map.Entry<String, Double> entry : values.entrySet()) {
                String line = entry.getKey() + "=" + entry.getValue();
                System.out.println(engine + ": " + line);
                writer.write(line + "\n");
            }
        }
    }

    private static double crossEntropy(NDManager manager) {
        float[] logits = new float[2 * 4 * 3 * 5];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = ((i * 29) % 41 - 20) / 8f;
        }
        long[] labels = new long[2 * 3 * 5];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 7 == 6 ? 255 : i % 4;
        }
        NDArray value =
                CrossEntropyWithWeights.build()
                        .evaluate(
                                new NDList(manager.create(labels, new Shape(2, 3, 5))),
                                new NDList(manager.create(logits, new Shape(2, 4, 3, 5))));
        return value.getFloat();
    }

    private static double maskLoss(NDManager manager) {
        float[] masks = new float[2 * 32 * 32];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                masks[y * 32 + x] = (x - 12) * (x - 12) + (y - 14) * (y - 14) < 64 ? 1 : 0;
                masks[1024 + y * 32 + x] = x >= 16 && y >= 4 && y < 20 ? 1 : 0;
            }
        }
        float[] logits = new float[3 * 2 * 28 * 28];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = ((i * 13) % 31 - 15) / 4f;
        }
        return MaskBranch.loss(
                        manager.create(masks, new Shape(2, 32, 32)),
                        manager.create(
                                new float[] {2, 3, 22, 25, 14, 1, 31, 21, 0, 0, 30, 30},
                                new Shape(3, 4)),
                        manager.create(new long[] {0, 1, 1}),
                        manager.create(new long[] {1, 0}),
                        manager.create(logits, new Shape(3, 2, 28, 28)))
                .getFloat();
    }

    /**
     * Trains a two-head block for 3 epochs on vertical stripes whose class shows in the colour,
     * with an ignored band, and records the main head's validation loss after the first and the
     * last epoch.
     */
    private static void pspnet(Map<String, Double> values, String engine) throws Exception {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            ArrayDataset trainSet = dataset(manager, 16, 0);
            ArrayDataset validationSet = dataset(manager, 8, 16);
            TwoHeadBlock block = new TwoHeadBlock(CLASSES);
            // DJL's training log (slf4j-simple writes to System.err): does it show each head?
            PrintStream err = System.err;
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            float[] perClassIoU;
            try {
                System.setErr(new PrintStream(new TeeStream(err, log), true, StandardCharsets.UTF_8));
                perClassIoU =
                        PspNetTraining.train(engine, block, CLASSES, 3, trainSet, validationSet);
            } finally {
                System.setErr(err);
            }
            String text = log.toString(StandardCharsets.UTF_8);
            boolean heads =
                    text.contains("main: ") && text.contains("aux: ") && text.contains("PSPNetLoss: ");
            values.put("pspnetLogShowsHeads", heads ? 1.0 : 0.0);
            values.put("pspnetLastEpochClasses", (double) perClassIoU.length);
            for (int c = 0; c < perClassIoU.length; c++) {
                values.put("pspnetLastEpochIoU" + c, (double) perClassIoU[c]);
            }
            List<float[]> outputs = block.inferenceOutputs();
            values.put("pspnetValidationBatches", (double) outputs.size());
            values.put("pspnetFirstValidationLoss", mainLoss(manager, outputs.get(0)));
            values.put(
                    "pspnetLastValidationLoss", mainLoss(manager, outputs.get(outputs.size() - 1)));
        }
    }

    private static ArrayDataset dataset(NDManager manager, int count, int first) {
        float[] images = new float[count * 3 * SIZE * SIZE];
        long[] labels = labels(count, first);
        for (int n = 0; n < count; n++) {
            for (int i = 0; i < SIZE * SIZE; i++) {
                long label = labels[n * SIZE * SIZE + i];
                int colour = label == 255 ? i % CLASSES : (int) label;
                images[(n * 3 + colour) * SIZE * SIZE + i] = 1;
            }
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(images, new Shape(count, 3, SIZE, SIZE)))
                .optLabels(manager.create(labels, new Shape(count, SIZE, SIZE)))
                .setSampling(8, false)
                .build();
    }

    /** Stripes 20 pixels wide, shifted per image, with the top 8 rows ignored (255). */
    private static long[] labels(int count, int first) {
        long[] labels = new long[count * SIZE * SIZE];
        for (int n = 0; n < count; n++) {
            int shift = (first + n) * 11;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    labels[(n * SIZE + y) * SIZE + x] = y < 8 ? 255 : ((x + shift) / 20) % CLASSES;
                }
            }
        }
        return labels;
    }

    /** The main head's cross-entropy (ignore 255) of the recorded validation logits. */
    private static double mainLoss(NDManager manager, float[] logits) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray labels = scope.create(labels(8, 16), new Shape(8, SIZE, SIZE));
            NDArray predictions = scope.create(logits, new Shape(8, CLASSES, SIZE, SIZE));
            return PixelCrossEntropyLoss.builder()
                    .optIgnoreIndex(255)
                    .build()
                    .evaluate(new NDList(labels), new NDList(predictions))
                    .getFloat();
        }
    }

    /**
     * Loads the module as the README shows and returns the loss of its first training batch, which
     * PyTorch's {@code model.train()} computes as 2.0481 (batch statistics) and its {@code
     * model.eval()} as 1.9503: the batch of {@code
     * training-example/scripts/reference_train_mode.py}.
     */
    private static double torchscript(Path module) throws Exception {
        Path modelDir = Files.createTempDirectory("segloss-sample");
        Files.copy(module, modelDir.resolve("deeplabv3.pt"), StandardCopyOption.REPLACE_EXISTING);
        try (Model model = Model.newInstance("deeplabv3", Device.cpu(), "PyTorch");
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            TorchScriptFineTuning.load(model, modelDir);
            Shape shape = new Shape(2, 3, 16, 16);
            float[] input = new float[(int) shape.size()];
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) (((i * 37L) % 101 - 50) / 25.0);
            }
            long[] labels = new long[2 * 16 * 16];
            for (int b = 0; b < 2; b++) {
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        int label = (7 * b + 3 * y + x) % 5;
                        labels[(b * 16 + y) * 16 + x] = label == 4 ? 255 : label;
                    }
                }
            }
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDList predictions =
                        model.getBlock()
                                .forward(
                                        new ParameterStore(manager, false),
                                        new NDList(manager.create(input, shape)),
                                        true);
                return DeepSupervisionLoss.pspnet()
                        .evaluate(
                                new NDList(manager.create(labels, new Shape(2, 16, 16))),
                                predictions)
                        .getFloat();
            }
        } finally {
            Files.deleteIfExists(modelDir.resolve("deeplabv3.pt"));
            Files.deleteIfExists(modelDir);
        }
    }

    /** Writes to two streams: the console and a copy. */
    private static final class TeeStream extends OutputStream {

        private final OutputStream first;
        private final OutputStream second;

        TeeStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
