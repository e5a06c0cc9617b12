package io.github.segloss.enginetest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import com.google.gson.JsonObject;
import io.github.segloss.loss.BoundaryLoss;
import io.github.segloss.loss.HausdorffDTLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.target.DistanceMaps;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The functions of the distance reference cases ({@code generated-distance.json}, written by {@code
 * engines-test/reference/generate_distance.py}) for {@link ReferenceCaseRunner}: {@link
 * DistanceMaps}'s transforms (their output, and its sum as the value), {@link BoundaryLoss} and
 * {@link HausdorffDTLoss} with the case's settings.
 */
final class DistanceCases {

    private final NDManager manager;

    /**
     * Creates the functions on a manager.
     *
     * @param manager the manager the case's arrays are created on
     */
    DistanceCases(NDManager manager) {
        this.manager = manager;
    }

    /**
     * The scalar a distance case computes; array outputs go into {@code outputs}.
     *
     * @param c the case
     * @param grads the differentiable inputs
     * @param outputs where the outputs to compare go
     * @return the computation
     */
    Supplier<NDArray> function(
            ReferenceCase c, Map<String, NDArray> grads, Map<String, NDArray> outputs) {
        JsonObject p = c.params();
        double[] sampling = p.has("sampling") ? doubles(p, "sampling") : new double[0];
        switch (c.loss()) {
            case "DistanceMaps.euclidean":
                return output(
                        outputs,
                        () -> DistanceMaps.euclidean(c.input("input").toFloat(manager), sampling));
            case "DistanceMaps.signedPerClass":
                return output(
                        outputs,
                        () ->
                                DistanceMaps.signedPerClass(
                                        labels(c, "labels"),
                                        p.get("numClasses").getAsInt(),
                                        p.has("ignoreIndex") ? p.get("ignoreIndex").getAsInt() : -1,
                                        sampling));
            case "DistanceMaps.distanceField":
                // MONAI's field is per image and channel: the two spatial axes, spacing 1
                return output(
                        outputs,
                        () -> DistanceMaps.distanceField(c.input("masks").toFloat(manager), 1, 1));
            case "BoundaryLoss":
                {
                    NDList labels = new NDList(labels(c, "labels"));
                    if (p.has("givenMaps")) {
                        labels.add(c.input("maps").toFloat(manager));
                    }
                    return evaluate(boundary(p, sampling), labels, grads);
                }
            case "HausdorffDTLoss":
                return evaluate(hausdorff(p, sampling), new NDList(labels(c, "labels")), grads);
            default:
                throw new IllegalStateException("no distance case " + c.loss());
        }
    }

    private static Supplier<NDArray> output(
            Map<String, NDArray> outputs, Supplier<NDArray> transform) {
        return () -> {
            NDArray out = transform.get();
            outputs.put("output", out);
            return out.sum();
        };
    }

    private static Supplier<NDArray> evaluate(
            Loss loss, NDList labels, Map<String, NDArray> grads) {
        return () -> loss.evaluate(labels, new NDList(grads.get("logits")));
    }

    private static Loss boundary(JsonObject p, double[] sampling) {
        BoundaryLoss.Builder builder =
                BoundaryLoss.builder()
                        .setMode(SegmentationMode.valueOf(p.get("mode").getAsString()));
        if (p.has("ignoreIndex")) {
            builder.optIgnoreIndex(p.get("ignoreIndex").getAsInt());
        }
        if (p.has("classes")) {
            builder.optClasses(ReferenceCaseRunner.ints(p, "classes"));
        }
        if (p.has("classWeights")) {
            builder.optClassWeights(ReferenceCaseRunner.floats(p, "classWeights"));
        }
        if (sampling.length > 0) {
            builder.optSampling(sampling);
        }
        if (p.has("fromLogits")) {
            builder.optFromLogits(p.get("fromLogits").getAsBoolean());
        }
        return builder.build();
    }

    private static Loss hausdorff(JsonObject p, double[] sampling) {
        HausdorffDTLoss.Builder builder =
                HausdorffDTLoss.builder()
                        .setMode(SegmentationMode.valueOf(p.get("mode").getAsString()));
        if (p.has("ignoreIndex")) {
            builder.optIgnoreIndex(p.get("ignoreIndex").getAsInt());
        }
        if (p.has("alpha")) {
            builder.optAlpha(p.get("alpha").getAsFloat());
        }
        if (p.has("includeBackground")) {
            builder.optIncludeBackground(p.get("includeBackground").getAsBoolean());
        }
        if (p.has("classWeights")) {
            builder.optClassWeights(ReferenceCaseRunner.floats(p, "classWeights"));
        }
        if (sampling.length > 0) {
            builder.optSampling(sampling);
        }
        if (p.has("fromLogits")) {
            builder.optFromLogits(p.get("fromLogits").getAsBoolean());
        }
        return builder.build();
    }

    private NDArray labels(ReferenceCase c, String name) {
        return c.input(name).toType(manager, DataType.INT64);
    }

    private static double[] doubles(JsonObject p, String key) {
        double[] values = new double[p.getAsJsonArray(key).size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = p.getAsJsonArray(key).get(i).getAsDouble();
        }
        return values;
    }
}
