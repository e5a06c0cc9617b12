package io.github.segloss.spark;

import io.github.segloss.example.eval.EvaluationModel;
import io.github.segloss.example.eval.EvaluationSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models and datasets of one JVM (an executor, or the driver in local mode), opened on first
 * use and kept for the JVM's life, keyed by their {@link EvaluationSpec} (a model by its file,
 * engine, input size and classes, whatever data it scores): every task of the JVM shares them, so a
 * model is loaded once per executor, not per task or row. The model is kept open until the JVM
 * exits (an executor's models go with it).
 */
public final class ExecutorCache {

    private static final Map<EvaluationSpec, EvaluationSpec.OpenedData> DATA =
            new ConcurrentHashMap<>();
    private static final Map<ModelKey, EvaluationModel> MODELS = new ConcurrentHashMap<>();
    private static final Map<ModelKey, AtomicInteger> LOADS = new ConcurrentHashMap<>();

    private ExecutorCache() {}

    /**
     * Returns the dataset of a spec, opened once per JVM; the samples skipped as it opens are not
     * reported here (the driver counts them).
     *
     * @param spec the spec
     * @return the opened dataset
     * @throws IllegalArgumentException if the data is missing or bad as a whole
     */
    public static EvaluationSpec.OpenedData data(EvaluationSpec spec) {
        return DATA.computeIfAbsent(spec, key -> key.openData(line -> {}));
    }

    /**
     * Returns the model of a spec, loaded once per JVM with the engine's threads limited to {@code
     * threads} ({@link EngineThreads}).
     *
     * @param spec the spec
     * @param threads the cores of a task
     * @return the model
     * @throws IllegalArgumentException if the model cannot be loaded or does not fit the data
     */
    public static EvaluationModel model(EvaluationSpec spec, int threads) {
        return model(spec, data(spec).source().classes().size(), threads);
    }

    /**
     * Returns the model of a spec for a given number of classes, loaded once per JVM.
     *
     * @param spec the spec
     * @param classes the classes of the data, or 0 for images without labels (a TorchScript model
     *     then predicts its own number)
     * @param threads the cores of a task
     * @return the model
     * @throws IllegalArgumentException if the model cannot be loaded or does not fit the data
     */
    public static EvaluationModel model(EvaluationSpec spec, int classes, int threads) {
        return MODELS.computeIfAbsent(
                ModelKey.of(spec, classes),
                key -> {
                    EngineThreads.limit(key.engine(), threads);
                    try {
                        EvaluationModel model = spec.openModel(classes);
                        LOADS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        return model;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /**
     * Returns how often this JVM has loaded the model of a spec.
     *
     * @param spec the spec
     * @return the count: 0 before the first use, then 1
     */
    public static int modelLoads(EvaluationSpec spec) {
        AtomicInteger loads = LOADS.get(ModelKey.of(spec, data(spec).source().classes().size()));
        return loads == null ? 0 : loads.get();
    }

    /** What identifies a loaded model. */
    private record ModelKey(String model, String engine, int imageSize, int classes) {
        static ModelKey of(EvaluationSpec spec, int classes) {
            return new ModelKey(spec.model(), spec.engine(), spec.imageSize(), classes);
        }
    }
}
