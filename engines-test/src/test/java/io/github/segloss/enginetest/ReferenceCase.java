package io.github.segloss.enginetest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reference case: inputs and the expected loss, gradients and outputs computed by PyTorch,
 * torchvision or segmentation_models.pytorch in float64 (see each file's {@code source} fields).
 * Metric cases hold their expected numbers the same way: the main one as {@code loss}, the others
 * as named scalars or plain lists. A {@code null} value in a file stands for NaN (JSON has none).
 *
 * @param file the resource the case comes from
 * @param name the case name
 * @param loss what it tests, e.g. "PixelCrossEntropyLoss"
 * @param params the loss settings
 * @param source the implementation that computed the expected numbers
 * @param inputs the input arrays by name
 * @param grads the inputs whose gradients are expected
 * @param expectedLoss the expected scalar
 * @param expected the expected arrays by name (gradients as {@code grad_<input>}), and the expected
 *     scalars other than the loss as 0-d arrays
 */
public record ReferenceCase(
        String file,
        String name,
        String loss,
        JsonObject params,
        String source,
        Map<String, Values> inputs,
        List<String> grads,
        double expectedLoss,
        Map<String, Values> expected) {

    /** The reference files, copied or generated into the test resources. */
    public static final String[] FILES = {
        "/reference/golden-public-core.json",
        "/reference/golden-public-family.json",
        "/reference/generated.json",
        "/reference/generated-monai.json",
        "/reference/generated-point.json",
        "/reference/golden-public-metrics.json",
        "/reference/generated-metrics.json",
        "/reference/generated-gdl-mcc.json",
        "/reference/generated-soft.json",
        "/reference/generated-distance.json",
        "/reference/generated-report.json",
        "/reference/generated-inference.json",
        "/reference/generated-surface.json",
        "/reference/generated-boundary.json",
        "/reference/generated-mask-ap.json",
        "/reference/generated-boundary-ap.json",
        "/reference/generated-mask-ap-fuzz.json"
    };

    /**
     * Values of one array.
     *
     * @param shape the shape
     * @param data the values in row-major order
     */
    public record Values(Shape shape, double[] data) {

        /**
         * Creates the array as float32 on the manager's engine.
         *
         * @param manager the manager
         * @return the array
         */
        public NDArray toFloat(NDManager manager) {
            float[] values = new float[data.length];
            for (int i = 0; i < data.length; i++) {
                values[i] = (float) data[i];
            }
            return manager.create(values, shape);
        }

        /**
         * Creates the array as whole numbers of the given type.
         *
         * @param manager the manager
         * @param type INT32, INT64 or FLOAT32
         * @return the array
         */
        public NDArray toType(NDManager manager, DataType type) {
            switch (type) {
                case INT32:
                    int[] ints = new int[data.length];
                    for (int i = 0; i < data.length; i++) {
                        ints[i] = (int) data[i];
                    }
                    return manager.create(ints, shape);
                case INT64:
                    long[] longs = new long[data.length];
                    for (int i = 0; i < data.length; i++) {
                        longs[i] = (long) data[i];
                    }
                    return manager.create(longs, shape);
                case FLOAT32:
                    return toFloat(manager);
                default:
                    throw new IllegalArgumentException("unsupported label type " + type);
            }
        }
    }

    /**
     * Returns the input of the given name.
     *
     * @param input the input name
     * @return its values
     */
    public Values input(String input) {
        Values values = inputs.get(input);
        if (values == null) {
            throw new IllegalStateException(name + " has no input " + input);
        }
        return values;
    }

    /**
     * Returns the expected scalar of the given name, other than the loss.
     *
     * @param key e.g. "pixelAccuracy"
     * @return its value, possibly NaN
     */
    public double expectedScalar(String key) {
        Values values = expected(key);
        if (values.shape().dimension() != 0) {
            throw new IllegalStateException(name + " expects an array " + key + ", not a scalar");
        }
        return values.data()[0];
    }

    /**
     * Returns the expected array of the given name.
     *
     * @param key e.g. "grad_logits" or "targets"
     * @return its values
     */
    public Values expected(String key) {
        Values values = expected.get(key);
        if (values == null) {
            throw new IllegalStateException(name + " has no expected " + key);
        }
        return values;
    }

    private static List<ReferenceCase> all;

    /**
     * Returns every case of every reference file, read once.
     *
     * @return the cases in file order
     */
    public static synchronized List<ReferenceCase> loadAll() {
        if (all == null) {
            all = List.copyOf(read());
        }
        return all;
    }

    /**
     * Returns the case of the given name.
     *
     * @param name the case name
     * @return the case
     * @throws IllegalStateException if no reference file holds it
     */
    public static ReferenceCase named(String name) {
        return loadAll().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no reference case " + name));
    }

    private static List<ReferenceCase> read() {
        List<ReferenceCase> cases = new ArrayList<>();
        for (String file : FILES) {
            try (InputStream in = ReferenceCase.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("missing test resource " + file);
                }
                try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                    JsonObject root = JsonParser.parseReader(reader).getAsJsonObject();
                    for (JsonElement element : root.getAsJsonArray("cases")) {
                        cases.add(parse(file, element.getAsJsonObject()));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
        return cases;
    }

    private static ReferenceCase parse(String file, JsonObject json) {
        Map<String, Values> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("inputs").entrySet()) {
            inputs.put(e.getKey(), values(e.getValue().getAsJsonObject()));
        }
        List<String> grads = new ArrayList<>();
        json.getAsJsonArray("grads").forEach(g -> grads.add(g.getAsString()));
        Map<String, Values> expected = new LinkedHashMap<>();
        double loss = Double.NaN;
        for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("expected").entrySet()) {
            if (e.getValue().isJsonObject()) {
                expected.put(e.getKey(), values(e.getValue().getAsJsonObject()));
            } else if (e.getValue().isJsonArray()) {
                expected.put(e.getKey(), vector(e.getValue().getAsJsonArray()));
            } else if ("loss".equals(e.getKey())) {
                loss = number(e.getValue());
            } else {
                expected.put(
                        e.getKey(), new Values(new Shape(), new double[] {number(e.getValue())}));
            }
        }
        return new ReferenceCase(
                file,
                json.get("name").getAsString(),
                json.get("loss").getAsString(),
                json.has("params") ? json.getAsJsonObject("params") : new JsonObject(),
                json.get("source").getAsString(),
                inputs,
                grads,
                loss,
                expected);
    }

    private static Values values(JsonObject json) {
        JsonArray shapeJson = json.getAsJsonArray("shape");
        long[] shape = new long[shapeJson.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeJson.get(i).getAsLong();
        }
        JsonArray dataJson = json.getAsJsonArray("data");
        double[] data = new double[dataJson.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = number(dataJson.get(i));
        }
        return new Values(new Shape(shape), data);
    }

    /** Reads a plain list of numbers (as the golden metric cases write per-class values). */
    private static Values vector(JsonArray json) {
        double[] data = new double[json.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = number(json.get(i));
        }
        return new Values(new Shape(data.length), data);
    }

    /** Reads a number, {@code null} standing for NaN. */
    private static double number(JsonElement json) {
        return json.isJsonNull() ? Double.NaN : json.getAsDouble();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return name;
    }
}
