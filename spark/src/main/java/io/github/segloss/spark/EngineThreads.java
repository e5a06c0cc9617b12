package io.github.segloss.spark;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Limits an engine's CPU threads to a task's cores ({@code spark.task.cpus}).
 *
 * <p>What one JVM can control: PyTorch's intra-op thread count is one setting of the process
 * (libtorch's {@code at::set_num_threads}), shared by every task of the executor; it is set here,
 * when the executor loads its first model, to {@code spark.task.cpus}, so that the executor's
 * {@code cores / spark.task.cpus} concurrent tasks use {@code cores} threads in all. The system
 * property {@code ai.djl.pytorch.num_threads}, if set on the executor ({@code
 * spark.executor.extraJavaOptions}), wins. What it cannot: the OpenMP environment ({@code
 * OMP_NUM_THREADS}, which MXNet's MKL reads when its library loads, and {@code OMP_WAIT_POLICY}) is
 * fixed when the process starts: set it with {@code spark.executorEnv.OMP_NUM_THREADS} (or in the
 * environment of a local run); MXNet has no thread setting DJL can change at run time.
 */
final class EngineThreads {

    private static volatile boolean limited;

    private EngineThreads() {}

    /**
     * Limits the engine's threads, once per JVM.
     *
     * @param engine "PyTorch" or "MXNet"
     * @param threads the threads per task, at least 1
     */
    static synchronized void limit(String engine, int threads) {
        if (limited || !"PyTorch".equals(engine) || threads < 1) {
            return;
        }
        // a value set by the user (-Dai.djl.pytorch.num_threads) wins
        int count = Integer.getInteger("ai.djl.pytorch.num_threads", threads);
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(count));
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(count);
        limited = true;
    }
}
