package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.segloss.example.TestResources;
import io.github.segloss.loss.DeepSupervisionLoss;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Fine-tuning a scripted torchvision-style model (conv and batch-norm layers, a main and an aux
 * head returning {@code (out, aux)}) through DJL's PyTorch engine with {@link
 * DeepSupervisionLoss#pspnet()} computes what PyTorch computes, in float64: the same loss and the
 * same gradient of every parameter. The reference comes from {@code
 * training-example/scripts/reference_float64_parity.py} (Debian's PyTorch 1.13, train mode, one
 * thread), which also writes the float64 module {@code tiny-segnet-f64.pt} (DJL cannot cast a
 * TorchScript module).
 */
public class TorchScriptParityTest {

    /**
     * Float64 differences between PyTorch 1.13 and DJL's libtorch 2.7.1, measured: 2.2e-16 of the
     * loss (one ulp) and 8.5e-16 of the largest gradient. 1e-9 leaves six orders of magnitude for
     * other summation orders and thread counts, yet catches an aux weight of 0.4f instead of 0.4
     * (4.2e-9 of the loss) and anything wrong in the model's use (eval-mode batch norm: percents).
     */
    private static final double RELATIVE_TOLERANCE = 1e-9;

    private Shape shape;
    private double referenceLoss;
    private final Map<String, double[]> referenceGradients = new LinkedHashMap<>();

    @BeforeClass
    public void readReference() throws IOException {
        try (Reader reader =
                new InputStreamReader(
                        getClass().getResourceAsStream("/tiny-segnet-f64-gradients.json"),
                        StandardCharsets.UTF_8)) {
            JsonObject json = JsonParser.parseReader(reader).getAsJsonObject();
            JsonArray dims = json.getAsJsonArray("inputShape");
            long[] s = new long[dims.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = dims.get(i).getAsLong();
            }
            shape = new Shape(s);
            referenceLoss = json.get("loss").getAsDouble();
            for (Map.Entry<String, JsonElement> entry :
                    json.getAsJsonObject("gradients").entrySet()) {
                referenceGradients.put(entry.getKey(), doubles(entry.getValue().getAsJsonArray()));
            }
        }
        assertEquals(referenceGradients.size(), 19, "tiny-segnet's parameters in the reference");
    }

    @Test
    public void lossAndEveryGradientAreTorchs() throws Exception {
        try (Model model = Model.newInstance("tiny-f64", Device.cpu(), "PyTorch");
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            TorchScriptTraining.load(model, copyOfModule(), "tiny-segnet-f64");
            Map<String, NDArray> parameters = new LinkedHashMap<>();
            for (Pair<String, Parameter> parameter : model.getBlock().getParameters()) {
                NDArray array = parameter.getValue().getArray();
                if (array.hasGradient()) {
                    parameters.put(parameter.getKey(), array);
                }
            }
            assertEquals(
                    parameters.keySet(),
                    referenceGradients.keySet(),
                    "the trainable parameters are the reference's");

            double loss;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDList predictions =
                        model.getBlock()
                                .forward(
                                        new ParameterStore(manager, false),
                                        new NDList(input(manager)),
                                        true);
                assertEquals(predictions.head().getDataType(), DataType.FLOAT64, "float64 logits");
                NDArray value =
                        DeepSupervisionLoss.pspnet()
                                .evaluate(new NDList(labels(manager)), predictions);
                loss = value.getDouble();
                collector.backward(value);
            }
            assertEquals(
                    Math.abs(loss - referenceLoss) / Math.abs(referenceLoss),
                    0.0,
                    RELATIVE_TOLERANCE,
                    "relative loss difference (DJL " + loss + ", PyTorch " + referenceLoss + ")");

            double largest = 0;
            for (double[] gradient : referenceGradients.values()) {
                for (double g : gradient) {
                    largest = Math.max(largest, Math.abs(g));
                }
            }
            assertTrue(largest > 1e-3, "the reference has gradients to compare, got " + largest);
            String worstName = null;
            double worst = -1;
            for (Map.Entry<String, NDArray> parameter : parameters.entrySet()) {
                double[] gradient = parameter.getValue().getGradient().toDoubleArray();
                double[] reference = referenceGradients.get(parameter.getKey());
                assertEquals(gradient.length, reference.length, parameter.getKey() + " size");
                for (int i = 0; i < gradient.length; i++) {
                    double difference = Math.abs(gradient[i] - reference[i]) / largest;
                    if (!(difference <= worst)) { // a NaN is the worst
                        worst = difference;
                        worstName = parameter.getKey() + "[" + i + "]";
                    }
                }
            }
            assertTrue(
                    worst < RELATIVE_TOLERANCE,
                    "gradient of "
                            + worstName
                            + " off by "
                            + worst
                            + " of the largest gradient ("
                            + largest
                            + ")");
        }
    }

    private NDArray input(NDManager manager) {
        return ReferenceBatch.input(manager, shape, DataType.FLOAT64);
    }

    private NDArray labels(NDManager manager) {
        return ReferenceBatch.labels(manager, shape);
    }

    private static Path copyOfModule() throws IOException {
        return TestResources.copy("tiny-segnet-f64.pt").getParent();
    }

    private static double[] doubles(JsonArray array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsDouble();
        }
        return values;
    }
}
