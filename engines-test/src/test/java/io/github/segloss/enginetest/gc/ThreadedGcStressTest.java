package io.github.segloss.enginetest.gc;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.training.GradientCollector;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
import io.github.segloss.enginetest.gc.StormRounds.Pass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * {@link GcStressTest} from four threads at once. It runs in its own Surefire execution with {@code
 * MXNET_ENGINE_TYPE=NaiveEngine}: MXNet's default threaded engine is not safe for imperative calls
 * from several threads (DJL's and MXNet's documentation; in this test it once gave one wrong
 * forward value in 52 rounds), and DJL prescribes the naive engine for multi-threaded use. PyTorch
 * needs no setting.
 */
public class ThreadedGcStressTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public ThreadedGcStressTest(String engine) {
        super(engine);
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
        if ("MXNet".equals(engine)) {
            assertEquals(
                    System.getenv("MXNET_ENGINE_TYPE"),
                    "NaiveEngine",
                    "run through Maven's 'threads' Surefire execution, which sets the naive engine");
        }
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
                                    for (int r = 0; r < GcStressTest.ROUNDS / threads + 1; r++) {
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

    private Map<String, Pass> round(List<GraphCase> cases, boolean storm) {
        return new StormRounds(engine(), manager).round(cases, storm);
    }

    private Map<String, Pass> round(
            List<GraphCase> cases, boolean storm, GradientCollector collector) {
        return new StormRounds(engine(), manager).round(cases, storm, collector);
    }
}
