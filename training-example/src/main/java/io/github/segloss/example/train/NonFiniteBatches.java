package io.github.segloss.example.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The divergence guard of a training run. A batch whose training loss is NaN or infinite is never
 * stepped: with {@code --skip-nonfinite-batches N} up to N such batches in the whole run are
 * skipped and counted, and the next one stops the run with a {@link TrainingDivergedException} that
 * names the epoch, the batch and the last good checkpoint (N = 0, the default, stops at the first).
 * Before each checkpoint every parameter is checked as well ({@link #checkParameters}), so a
 * checkpoint never holds a diverged state.
 *
 * <p>The loss is checked before the backward pass ({@link #admitLoss}): a rejected batch gets no
 * gradients at all, and the optimizer never sees it (DJL's PyTorch update zeroes the gradients
 * after each step and MXNet overwrites them at the next backward pass). When skipping is allowed (N
 * &gt; 0) the gradients are checked too, after the backward pass and before the step ({@link
 * #admitStep}); a batch with a finite loss but non-finite gradients is skipped the same way and its
 * gradients are zeroed. This matters on MXNet, whose ReLU turns NaN into 0: a NaN pixel there gives
 * a finite loss and NaN gradients. Without skipping, such a batch poisons the parameters and the
 * run stops at the end of the epoch, before its checkpoint.
 *
 * <p>What a skipped batch's forward pass changed in place, the batch-norm running statistics, is
 * restored from a copy taken before the batch ({@link #beforeBatch}). With several devices only the
 * first device's gradients and statistics are reset, and a TorchScript model's buffers are not DJL
 * parameters and are not restored.
 *
 * <p>Cost per batch: one host copy of the loss, a scalar that the loss's accumulators copy to the
 * host anyway. With N &gt; 0 also one device copy of the running statistics and the gradients' sum
 * of squares (measured 1.5 ms on PyTorch and 3 ms on MXNet per batch of the default 8 images of
 * 64x64, about 2 to 4 percent of a step on two CPU cores).
 */
final class NonFiniteBatches {

    private final int allowed;
    private final NDManager manager;
    private final List<Parameter> runningStatistics = new ArrayList<>();
    private final List<Pair<String, Parameter>> parameters;
    private final List<Integer> skippedThisEpoch = new ArrayList<>();
    private NDArray[] saved;
    private int skipped;
    private boolean restorePending;
    private Optional<Path> lastGood;

    /**
     * Creates the guard of a run.
     *
     * @param allowed the non-finite batches the run may skip ({@code --skip-nonfinite-batches})
     * @param skippedBefore those already skipped before the checkpoint the run resumes from
     * @param block the initialised model
     * @param manager the trainer's manager; the guard's copies live in a sub-manager of it, closed
     *     with it
     * @param lastGood the checkpoint the run resumes from, if any
     * @throws IllegalArgumentException if allowed is negative
     */
    NonFiniteBatches(
            int allowed,
            int skippedBefore,
            Block block,
            NDManager manager,
            Optional<Path> lastGood) {
        if (allowed < 0) {
            throw new IllegalArgumentException(
                    "--skip-nonfinite-batches must be >= 0, got " + allowed);
        }
        this.allowed = allowed;
        this.skipped = skippedBefore;
        this.lastGood = lastGood;
        this.manager = manager.newSubManager();
        this.parameters = block.getParameters().stream().toList();
        for (Pair<String, Parameter> entry : parameters) {
            Parameter.Type type = entry.getValue().getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                runningStatistics.add(entry.getValue());
            }
        }
    }

    /** Copies the batch-norm running statistics before a training batch, if skipping is allowed. */
    void beforeBatch() {
        if (allowed == 0) {
            return;
        }
        NDArray[] copies = new NDArray[runningStatistics.size()];
        for (int i = 0; i < copies.length; i++) {
            copies[i] = runningStatistics.get(i).getArray().duplicate();
            copies[i].attach(manager);
        }
        closeSaved();
        saved = copies;
    }

    /**
     * Decides on a batch from its training loss, inside the gradient recording and before the
     * backward pass: a finite loss goes on; a non-finite one is skipped while the run has skips
     * left, and stops the run otherwise. Nothing is written here (MXNet forbids writing to arrays
     * in a recorded graph); {@link #admitStep} restores what a skipped batch changed.
     *
     * @param loss the batch's training loss
     * @param epoch the epoch (1-based)
     * @param batch the batch in the epoch (1-based)
     * @return true to run the backward pass, false to skip the batch
     * @throws TrainingDivergedException if the loss is not finite and no skip is left
     */
    boolean admitLoss(float loss, int epoch, int batch) {
        if (Float.isFinite(loss)) {
            return true;
        }
        String what = Float.isNaN(loss) ? "NaN" : loss > 0 ? "Infinity" : "-Infinity";
        reject("loss is " + what, epoch, batch);
        restorePending = true;
        return false;
    }

    /**
     * Decides on the step of a batch, after the gradient recording: a batch whose loss was rejected
     * gets its running statistics restored and no step; when skipping is allowed, a batch whose
     * gradients are not finite is skipped the same way (its gradients zeroed) while the run has
     * skips left, and stops the run otherwise.
     *
     * @param epoch the epoch (1-based)
     * @param batch the batch in the epoch (1-based)
     * @return true to step, false if the batch is skipped
     * @throws TrainingDivergedException if a gradient is not finite and no skip is left
     */
    boolean admitStep(int epoch, int batch) {
        if (!restorePending) {
            if (allowed == 0 || gradientsFinite()) {
                return true;
            }
            reject("gradients are not finite", epoch, batch);
            zeroGradients();
        }
        restorePending = false;
        for (int i = 0; i < runningStatistics.size(); i++) {
            saved[i].copyTo(runningStatistics.get(i).getArray());
        }
        return false;
    }

    /** Counts a skipped batch, or stops the run if no skip is left. */
    private void reject(String reason, int epoch, int batch) {
        if (skipped >= allowed) {
            String budget =
                    allowed == 0
                            ? ""
                            : " (non-finite batch "
                                    + (skipped + 1)
                                    + ", more than --skip-nonfinite-batches "
                                    + allowed
                                    + ")";
            throw new TrainingDivergedException(
                    "training diverged: "
                            + reason
                            + " at epoch "
                            + epoch
                            + ", batch "
                            + batch
                            + budget
                            + "; "
                            + lastGoodCheckpoint());
        }
        skipped++;
        skippedThisEpoch.add(batch);
    }

    /** Whether the trainable parameters' gradients are all finite (their sum of squares is). */
    private boolean gradientsFinite() {
        try (NDManager scope = manager.newSubManager()) {
            NDList squares = new NDList();
            for (Parameter parameter : trainable()) {
                NDArray gradient = parameter.getArray().getGradient();
                gradient.attach(scope);
                squares.add(gradient.square().sum());
            }
            return squares.isEmpty() || Float.isFinite(NDArrays.stack(squares).sum().getFloat());
        }
    }

    /** Sets the gradients to 0 in place (NaN minus or times anything stays NaN). */
    private void zeroGradients() {
        try (NDManager scope = manager.newSubManager()) {
            for (Parameter parameter : trainable()) {
                NDArray gradient = parameter.getArray().getGradient();
                gradient.attach(scope);
                gradient.set(new float[Math.toIntExact(gradient.size())]);
            }
        }
    }

    private List<Parameter> trainable() {
        List<Parameter> trainable = new ArrayList<>();
        for (Pair<String, Parameter> entry : parameters) {
            if (entry.getValue().requiresGradient()) {
                trainable.add(entry.getValue());
            }
        }
        return trainable;
    }

    /**
     * Checks that every parameter is finite before a checkpoint is written: its sum of squares must
     * be finite, which fails for NaN, infinities and values beyond about 1.8e19 (whose square
     * overflows a float), all of them a diverged model.
     *
     * @param epoch the epoch just trained
     * @throws TrainingDivergedException naming the first parameter that is not finite
     */
    void checkParameters(int epoch) {
        if (parameters.isEmpty()) {
            return;
        }
        float[] squares;
        try (NDManager scope = manager.newSubManager()) {
            NDList arrays = new NDList();
            for (Pair<String, Parameter> entry : parameters) {
                arrays.add(entry.getValue().getArray());
            }
            scope.tempAttachAll(arrays);
            NDList sums = new NDList();
            for (NDArray array : arrays) {
                sums.add(array.square().sum());
            }
            squares = NDArrays.stack(sums).toFloatArray();
        }
        for (int i = 0; i < squares.length; i++) {
            if (!Float.isFinite(squares[i])) {
                throw new TrainingDivergedException(
                        "training diverged: parameter "
                                + parameters.get(i).getKey()
                                + " is not finite (or beyond 1e19) after epoch "
                                + epoch
                                + "; "
                                + lastGoodCheckpoint());
            }
        }
    }

    /**
     * Records a checkpoint just written from a checked state.
     *
     * @param checkpoint the checkpoint's folder
     */
    void saved(Path checkpoint) {
        lastGood = Optional.of(checkpoint);
    }

    /**
     * Returns the non-finite batches skipped so far in the run, resumed runs included.
     *
     * @return the count
     */
    int skipped() {
        return skipped;
    }

    /**
     * Says which batches of the epoch were skipped, and forgets them for the next epoch.
     *
     * @return e.g. {@code ", skipped non-finite batches 2, 5 (3 of --skip-nonfinite-batches 4)"},
     *     or an empty string if none was
     */
    String endEpoch() {
        if (skippedThisEpoch.isEmpty()) {
            return "";
        }
        String batches =
                skippedThisEpoch.stream().map(String::valueOf).collect(Collectors.joining(", "));
        skippedThisEpoch.clear();
        return String.format(
                Locale.ROOT,
                ", skipped non-finite batch%s %s (%d of --skip-nonfinite-batches %d)",
                batches.contains(",") ? "es" : "",
                batches,
                skipped,
                allowed);
    }

    private String lastGoodCheckpoint() {
        return lastGood.map(p -> "the last good checkpoint is " + p)
                .orElse("no checkpoint was written");
    }

    private void closeSaved() {
        if (saved != null) {
            for (NDArray array : saved) {
                array.close();
            }
        }
    }
}
