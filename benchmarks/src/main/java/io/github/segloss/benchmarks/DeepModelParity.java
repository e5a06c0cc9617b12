package io.github.segloss.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.segloss.example.train.TorchScriptTraining;
import io.github.segloss.loss.DeepSupervisionLoss;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Float64 parity of a deep scripted torchvision model trained through DJL's PyTorch engine with
 * {@link DeepSupervisionLoss#pspnet()}, against PyTorch's loss and parameter gradients written by
 * {@code benchmarks/deep_model_parity.py} (the same comparison as the training example's {@code
 * TorchScriptParityTest}, for models too large to commit).
 *
 * <p>{@code java ... io.github.segloss.benchmarks.DeepModelParity FOLDER ARCH} reads {@code
 * ARCH.pt}, {@code ARCH.json} and {@code ARCH.bin} from FOLDER and prints the loss's relative
 * difference and the worst gradient difference relative to the model's largest gradient; it exits
 * with 1 if the parameters are not the reference's. {@code benchmarks/deep_model_parity.sh} runs
 * both sides.
 */
public final class DeepModelParity {

    private DeepModelParity() {}

    /**
     * Runs the comparison.
     *
     * @param args the folder and the architecture's name
     * @throws Exception if the files cannot be read or the model cannot run
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DeepModelParity FOLDER ARCH");
            System.exit(2);
        }
        Path folder = Path.of(args[0]);
        String arch = args[1];
        JsonObject json;
        try (Reader reader =
                Files.newBufferedReader(folder.resolve(arch + ".json"), StandardCharsets.UTF_8)) {
            json = JsonParser.parseReader(reader).getAsJsonObject();
        }
        JsonArray dims = json.getAsJsonArray("inputShape");
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = dims.get(i).getAsLong();
        }
        Shape shape = new Shape(s);
        double referenceLoss = json.get("loss").getAsDouble();
        List<String> names = new ArrayList<>();
        json.getAsJsonArray("names").forEach(e -> names.add(e.getAsString()));
        DoubleBuffer reference = gradients(folder.resolve(arch + ".bin"));

        try (Model model = Model.newInstance(arch, Device.cpu(), "PyTorch");
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            TorchScriptTraining.load(model, folder, arch);
            Map<String, NDArray> parameters = new LinkedHashMap<>();
            for (Pair<String, Parameter> parameter : model.getBlock().getParameters()) {
                NDArray array = parameter.getValue().getArray();
                if (array.hasGradient()) {
                    parameters.put(parameter.getKey(), array);
                }
            }
            if (!new ArrayList<>(parameters.keySet()).equals(names)) {
                System.err.println(
                        arch
                                + ": DJL's trainable parameters are not the reference's: "
                                + parameters.size()
                                + " against "
                                + names.size());
                System.exit(1);
            }
            double loss;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDList predictions =
                        model.getBlock()
                                .forward(
                                        new ParameterStore(manager, false),
                                        new NDList(ScriptedModules.parityInput(manager, shape)),
                                        true);
                NDArray value =
                        DeepSupervisionLoss.pspnet()
                                .evaluate(
                                        new NDList(ScriptedModules.parityLabels(manager, shape)),
                                        predictions);
                loss = value.getDouble();
                collector.backward(value);
            }

            double largest = 0;
            for (int i = 0; i < reference.limit(); i++) {
                largest = Math.max(largest, Math.abs(reference.get(i)));
            }
            String worstName = null;
            double worst = -1;
            int offset = 0;
            long values = 0;
            for (Map.Entry<String, NDArray> parameter : parameters.entrySet()) {
                double[] gradient = parameter.getValue().getGradient().toDoubleArray();
                for (int i = 0; i < gradient.length; i++) {
                    double difference = Math.abs(gradient[i] - reference.get(offset + i)) / largest;
                    if (!(difference <= worst)) { // a NaN is the worst
                        worst = difference;
                        worstName = parameter.getKey() + "[" + i + "]";
                    }
                }
                offset += gradient.length;
                values += gradient.length;
            }
            if (offset != reference.limit()) {
                System.err.println(
                        arch + ": " + offset + " gradient values against " + reference.limit());
                System.exit(1);
            }
            System.out.printf(
                    "%s %s: loss DJL %.17g, PyTorch %.17g, relative difference %.3g;"
                            + " %d parameters (%d values), worst gradient difference %.3g of the"
                            + " largest gradient (%.6g), at %s%n",
                    arch,
                    shape,
                    loss,
                    referenceLoss,
                    Math.abs(loss - referenceLoss) / Math.abs(referenceLoss),
                    parameters.size(),
                    values,
                    worst,
                    largest,
                    worstName);
        }
    }

    private static DoubleBuffer gradients(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size())
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asDoubleBuffer();
        }
    }
}
