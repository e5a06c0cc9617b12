package io.github.segloss.enginetest.gc;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.github.segloss.enginetest.gc.GraphCase.Graph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rounds of the GC-stress tests: forward passes, a storm if asked, backward passes. */
final class StormRounds {

    private final Engine engine;
    private final NDManager manager;

    /**
     * Rounds on an engine.
     *
     * @param engine the engine
     * @param manager the parent of each round's manager
     */
    StormRounds(Engine engine, NDManager manager) {
        this.engine = engine;
        this.manager = manager;
    }

    /** A round in a gradient collector of its own. */
    Map<String, Pass> round(List<GraphCase> cases, boolean storm) {
        try (GradientCollector collector = engine.newGradientCollector()) {
            return round(cases, storm, collector);
        }
    }

    /**
     * One round on a fresh manager: the forward pass of every case, a storm if asked, then the
     * backward pass of every case.
     */
    Map<String, Pass> round(List<GraphCase> cases, boolean storm, GradientCollector collector) {
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
