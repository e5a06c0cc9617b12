package io.github.segloss.spark;

import io.github.segloss.example.eval.Evaluation;
import io.github.segloss.example.eval.EvaluationCounts;
import io.github.segloss.example.eval.EvaluationModel;
import io.github.segloss.example.eval.EvaluationSpec;
import io.github.segloss.example.eval.PredictionFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Scores one partition: each of its elements is a range {@code [start, end)} of sample indices,
 * scored in batches with the JVM's cached model ({@link ExecutorCache}) into one {@link
 * EvaluationCounts}, the partition's only output. Bad images are counted in that result, not in
 * Spark accumulators, which count a retried task twice.
 *
 * <p>Prediction files are written under a temporary name tagged with the run and the task attempt
 * and renamed ({@link PredictionFolder}), so a retried or speculative attempt leaves one file per
 * image.
 */
final class PartitionScorer implements FlatMapFunction<Iterator<int[]>, EvaluationCounts> {

    private static final long serialVersionUID = 1L;

    private static final AtomicInteger HOOK_FAILURES = new AtomicInteger();

    private final EvaluationSpec spec;
    private final int batchSize;
    private final boolean failOnBad;
    private final String predictions;
    private final String run;
    private final boolean printBadImages;
    private final int failFirstAttemptOf;

    /**
     * Creates the scorer of a job.
     *
     * @param spec the model and data
     * @param batchSize the images predicted at once
     * @param failOnBad whether a bad image fails the task (and the job)
     * @param predictions the folder of the prediction files, or null
     * @param run the run's name in the temporary prediction files ({@link PredictionFolder})
     * @param printBadImages whether bad images are printed on the executor's error stream (on a
     *     cluster; in local mode the driver prints them)
     * @param failFirstAttemptOf a test hook: the partition whose first attempt fails after its
     *     first batch, leaving a partial temporary file, or -1
     */
    PartitionScorer(
            EvaluationSpec spec,
            int batchSize,
            boolean failOnBad,
            String predictions,
            String run,
            boolean printBadImages,
            int failFirstAttemptOf) {
        this.spec = spec;
        this.batchSize = batchSize;
        this.failOnBad = failOnBad;
        this.predictions = predictions;
        this.run = run;
        this.printBadImages = printBadImages;
        this.failFirstAttemptOf = failFirstAttemptOf;
    }

    /** {@inheritDoc} */
    @Override
    public Iterator<EvaluationCounts> call(Iterator<int[]> ranges) throws IOException {
        TaskContext task = TaskContext.get();
        int cpus = task == null ? 1 : Math.max(1, task.cpus());
        EvaluationModel model = ExecutorCache.model(spec, cpus);
        EvaluationSpec.OpenedData data = ExecutorCache.data(spec);
        String writer = task == null ? "driver" : "attempt-" + task.taskAttemptId();
        PredictionFolder folder =
                predictions == null
                        ? null
                        : new PredictionFolder(Path.of(predictions), run, writer);
        Evaluation evaluation =
                new Evaluation(
                        model,
                        data.source(),
                        batchSize,
                        failOnBad,
                        folder,
                        line -> {
                            if (printBadImages) {
                                System.err.println("segloss-eval: skipped " + line);
                            }
                        });
        EvaluationCounts counts = model.newCounts();
        boolean failing =
                task != null
                        && task.partitionId() == failFirstAttemptOf
                        && task.attemptNumber() == 0;
        while (ranges.hasNext()) {
            int[] range = ranges.next();
            Iterator<Integer> indices = IntStream.range(range[0], range[1]).iterator();
            evaluation.score(failing ? failingAfter(indices, writer) : indices, counts);
        }
        return List.of(counts).iterator();
    }

    /**
     * Returns how often the test hook has failed a task in this JVM.
     *
     * @return the count
     */
    static int hookFailures() {
        return HOOK_FAILURES.get();
    }

    /**
     * The test hook: passes one batch of indices, then leaves a half-written temporary prediction
     * file (as a killed writer would) and fails.
     */
    private Iterator<Integer> failingAfter(Iterator<Integer> indices, String tag) {
        return new Iterator<>() {
            private int passed;

            @Override
            public boolean hasNext() {
                return indices.hasNext();
            }

            @Override
            public Integer next() {
                if (!indices.hasNext()) {
                    throw new NoSuchElementException();
                }
                if (passed == batchSize) {
                    leavePartialFile(tag);
                    HOOK_FAILURES.incrementAndGet();
                    throw new IllegalStateException(
                            "test hook: the first attempt of partition "
                                    + failFirstAttemptOf
                                    + " fails after one batch");
                }
                passed++;
                return indices.next();
            }
        };
    }

    private void leavePartialFile(String tag) {
        if (predictions == null) {
            return;
        }
        try {
            Path folder = Files.createDirectories(Path.of(predictions));
            Files.write(
                    folder.resolve(".partial.png." + run + "." + tag + ".tmp"),
                    "\u0089PNG half".getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
