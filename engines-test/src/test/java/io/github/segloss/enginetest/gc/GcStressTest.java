package io.github.segloss.enginetest.gc;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
import io.github.segloss.enginetest.gc.GraphCase.Graph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * A garbage collection between the forward and the backward pass changes no gradient: every
 * differentiable path of the library ({@link GraphCases}) gives, in 50 rounds with {@link GcStorm}
 * between the forward passes of all of them and their backward passes, values and gradients
 * bit-identical to a round without it.
 *
 * <p>On DJL's PyTorch engine a constant made from a Java buffer and closed right away (as DJL's own
 * {@code NDArray.mul(Number)} does) leaves autograd holding memory that the collector frees: the
 * control test shows that the storm catches exactly that.
 */
public class GcStressTest extends EngineTest {

    /** Stormy rounds. */
    static final int ROUNDS = 50;

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public GcStressTest(String engine) {
        super(engine);
    }

    @Test
    public void gradientsSurviveGcBetweenForwardAndBackward() {
        List<GraphCase> cases = GraphCases.all();
        Map<String, Pass> calm = round(cases, false);
        Map<String, List<String>> differences = new LinkedHashMap<>();
        for (int r = 0; r < ROUNDS; r++) {
            Map<String, Pass> stormy = round(cases, true);
            for (GraphCase c : cases) {
                String difference = calm.get(c.name()).differenceTo(stormy.get(c.name()));
                if (difference != null) {
                    differences
                            .computeIfAbsent(c.name(), k -> new ArrayList<>())
                            .add("round " + r + ": " + difference);
                }
            }
        }
        StringBuilder report = new StringBuilder();
        differences.forEach(
                (name, list) ->
                        report.append(
                                String.format(
                                        "%n%s: %d of %d rounds differ, first: %s",
                                        name, list.size(), ROUNDS, list.get(0))));
        assertTrue(differences.isEmpty(), "on " + engine + ":" + report);
    }

    /**
     * The control: DJL's own scalar overload, {@code x.mul(0.4f)}, is corrupted by the storm on
     * PyTorch (so the storm reaches freed memory) and not on engines that copy the scalar.
     */
    @Test
    public void stormCorruptsDjlScalarOverloadOnPyTorchOnly() {
        GraphCase scalar =
                new GraphCase(
                        "djl_mul_number",
                        m -> {
                            NDArray x = GraphCase.normal(m, 1, 1f, new Shape(64));
                            return new Graph(List.of(x), () -> x.mul(0.4f).mul(x).sum());
                        });
        Pass calm = round(List.of(scalar), false).get(scalar.name());
        int corrupted = 0;
        for (int r = 0; r < ROUNDS; r++) {
            if (calm.differenceTo(round(List.of(scalar), true).get(scalar.name())) != null) {
                corrupted++;
            }
        }
        if ("PyTorch".equals(engine)) {
            assertTrue(
                    corrupted > 0,
                    "the storm no longer corrupts DJL's x.mul(0.4f) on PyTorch: either DJL copies"
                            + " scalars now or the storm is too weak to test anything");
        } else {
            assertEquals(corrupted, 0, "x.mul(0.4f) on " + engine);
        }
    }

    /**
     * One loss instance per case, used by four threads at once, each with its own inputs, storms
     * between its forward and backward passes, and the other threads' allocations: every thread's
     * values and gradients equal the calm single-threaded round. On PyTorch the threads share one
     * gradient collector (DJL allows one at a time); on MXNet, whose recording state is per-thread,
     * each thread opens its own.
     */
    @Test
    public void sharedLossesSurviveFourThreadsAndGc() throws Exception {
        List<GraphCase> cases = GraphCases.all();
        Map<String, Pass> calm = round(cases, false);
        int threads = 4;
        boolean shareCollector = "PyTorch".equals(engine);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<String> differences = new ArrayList<>();
        try (GradientCollector shared = shareCollector ? engine().newGradientCollector() : null) {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(
                        pool.submit(
                                () -> {
                                    List<String> found = new ArrayList<>();
                                    for (int r = 0; r < ROUNDS / threads + 1; r++) {
                                        Map<String, Pass> stormy =
                                                shareCollector
                                                        ? round(cases, true, shared)
                                                        : round(cases, true);
                                        for (GraphCase c : cases) {
                                            String difference =
                                                    calm.get(c.name())
                                                            .differenceTo(stormy.get(c.name()));
                                            if (difference != null) {
                                                found.add(
                                                        c.name()
                                                                + " in thread "
                                                                + thread
                                                                + ", round "
                                                                + r
                                                                + ": "
                                                                + difference);
                                            }
                                        }
                                    }
                                    return found;
                                }));
            }
            for (Future<List<String>> future : futures) {
                differences.addAll(future.get(10, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(
                differences.isEmpty(),
                "on "
                        + engine
                        + ": "
                        + differences.size()
                        + " differences, first: "
                        + (differences.isEmpty() ? "" : differences.get(0)));
    }

    /** A round in a gradient collector of its own. */
    private Map<String, Pass> round(List<GraphCase> cases, boolean storm) {
        try (GradientCollector collector = engine().newGradientCollector()) {
            return round(cases, storm, collector);
        }
    }

    /**
     * One round on a fresh manager: the forward pass of every case, a storm if asked, then the
     * backward pass of every case.
     */
    private Map<String, Pass> round(
            List<GraphCase> cases, boolean storm, GradientCollector collector) {
        try (NDManager m = manager.newSubManager()) {
            List<Graph> graphs = new ArrayList<>();
            List<NDArray> values = new ArrayList<>();
            for (GraphCase c : cases) {
                Graph graph = c.build().apply(m);
                graph.leaves().forEach(leaf -> leaf.setRequiresGradient(true));
                graphs.add(graph);
            }
            for (Graph graph : graphs) {
                values.add(graph.forward().get());
            }
            try (GcStorm.Held held = storm ? GcStorm.between() : null) {
                for (NDArray value : values) {
                    collector.backward(value);
                }
            }
            Map<String, Pass> passes = new LinkedHashMap<>();
            for (int i = 0; i < cases.size(); i++) {
                passes.put(cases.get(i).name(), Pass.read(values.get(i), graphs.get(i).leaves()));
            }
            return passes;
        }
    }

    /**
     * A pass's value and gradients.
     *
     * @param value the value
     * @param grads the gradient of each leaf
     */
    record Pass(float value, List<float[]> grads) {

        static Pass read(NDArray value, List<NDArray> leaves) {
            List<float[]> grads = new ArrayList<>();
            for (NDArray leaf : leaves) {
                grads.add(leaf.getGradient().toType(DataType.FLOAT32, false).toFloatArray());
            }
            return new Pass(value.toType(DataType.FLOAT32, false).getFloat(), grads);
        }

        /** The first bit-level difference, or null. */
        String differenceTo(Pass other) {
            if (Float.floatToIntBits(value) != Float.floatToIntBits(other.value)) {
                return "value " + value + " became " + other.value;
            }
            for (int g = 0; g < grads.size(); g++) {
                float[] a = grads.get(g);
                float[] b = other.grads.get(g);
                if (!Arrays.equals(a, b)) {
                    for (int i = 0; i < a.length; i++) {
                        if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
                            return "gradient " + g + "[" + i + "] " + a[i] + " became " + b[i];
                        }
                    }
                }
            }
            return null;
        }
    }
}
