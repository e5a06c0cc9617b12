package io.github.segloss.enginetest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.segloss.inference.InstanceMasks;
import io.github.segloss.inference.SemanticPredictions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The functions of the inference reference cases ({@code generated-inference.json}, written by
 * {@code engines-test/reference/generate_inference.py}) for {@link ReferenceCaseRunner}: {@link
 * SemanticPredictions#classMaps} (each image's class map as an output, their sum as the value) and
 * {@link InstanceMasks} (the pasted probabilities and the thresholded masks as outputs, the number
 * of mask pixels as the value).
 */
final class InferenceCases {

    private final NDManager manager;

    /**
     * Creates the functions on a manager.
     *
     * @param manager the manager the case's arrays are created on
     */
    InferenceCases(NDManager manager) {
        this.manager = manager;
    }

    /**
     * The scalar an inference case computes; array outputs go into {@code outputs}.
     *
     * @param c the case
     * @param outputs where the outputs to compare go
     * @return the computation
     */
    Supplier<NDArray> function(ReferenceCase c, Map<String, NDArray> outputs) {
        switch (c.loss()) {
            case "SemanticPredictions.classMaps":
                return () -> classMaps(c, outputs);
            case "InstanceMasks.paste":
                return () -> paste(c, outputs);
            default:
                throw new IllegalStateException("no inference case " + c.loss());
        }
    }

    private NDArray classMaps(ReferenceCase c, Map<String, NDArray> outputs) {
        List<Shape> sizes = new ArrayList<>();
        for (var size : c.params().getAsJsonArray("sizes")) {
            JsonArray hw = size.getAsJsonArray();
            sizes.add(new Shape(hw.get(0).getAsLong(), hw.get(1).getAsLong()));
        }
        List<int[]> maps = SemanticPredictions.classMaps(c.input("logits").toFloat(manager), sizes);
        float total = 0;
        for (int n = 0; n < maps.size(); n++) {
            float[] ids = new float[maps.get(n).length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = maps.get(n)[i];
                total += ids[i];
            }
            outputs.put("classMap" + n, manager.create(ids, sizes.get(n)));
        }
        return manager.create(total);
    }

    private NDArray paste(ReferenceCase c, Map<String, NDArray> outputs) {
        JsonObject p = c.params();
        int height = p.get("height").getAsInt();
        int width = p.get("width").getAsInt();
        double threshold = p.get("threshold").getAsDouble();
        boolean fromLogits = "logits".equals(p.get("input").getAsString());
        NDArray masks = c.input("masks").toFloat(manager);
        ReferenceCase.Values boxValues = c.input("boxes");
        NDArray boxes =
                p.get("boxesFloat64").getAsBoolean()
                        ? manager.create(boxValues.data(), boxValues.shape())
                        : boxValues.toFloat(manager);
        NDArray classIds = c.input("classIds").toType(manager, DataType.INT64);
        // MXNet's sigmoid fails on an empty array (no detection)
        NDArray probabilities = fromLogits && masks.size() > 0 ? Activation.sigmoid(masks) : masks;
        outputs.put(
                "probabilities",
                InstanceMasks.pasteProbabilities(probabilities, boxes, classIds, height, width));
        NDArray binary =
                fromLogits
                        ? InstanceMasks.paste(masks, boxes, classIds, height, width, threshold)
                        : InstanceMasks.pasteProbabilities(masks, boxes, classIds, height, width)
                                .gte(threshold);
        if (binary.getDataType() != DataType.BOOLEAN) {
            throw new AssertionError("masks must be boolean, got " + binary.getDataType());
        }
        NDArray asFloat = binary.toType(DataType.FLOAT32, false);
        outputs.put("masks", asFloat);
        return asFloat.sum();
    }
}
