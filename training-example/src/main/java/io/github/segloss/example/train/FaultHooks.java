package io.github.segloss.example.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Test-only fault points of a training run, inert unless a system property names them. The crash,
 * divergence and out-of-memory tests use them to reach a moment reliably; a normal run reads one
 * unset property per call and does nothing else.
 *
 * <ul>
 *   <li>{@value #PAUSE}{@code =POINT}: at POINT, print {@value #MARKER}{@code POINT} to standard
 *       error and wait (to be killed; the process halts after {@value #PAUSE_SECONDS} s so that no
 *       test leaves it behind);
 *   <li>{@value #SIGNAL}{@code =POINT}: print the same line and go on;
 *   <li>{@value #NAN}{@code =E:B,E:B...}: a NaN pixel in the first image of training batch B of
 *       epoch E (the way a corrupt sample or an overflow makes a loss NaN);
 *   <li>{@value #ALLOCATE}{@code =E:B:COUNT}: before training batch B of epoch E, ask the engine
 *       for COUNT floats on the batch's device (a real allocation failure when COUNT is absurd);
 *   <li>{@value #DISK_FULL}{@code =POINT}: at a point of a checkpoint write, fail as a full disk
 *       does ("No space left on device");
 *   <li>{@value #DIGESTS}{@code =true}: before each training batch, print {@value #MARKER}{@code
 *       data E:B <digest>} to standard error, a digest of the bytes of every input array (to
 *       compare the data of two runs).
 * </ul>
 *
 * <p>The points: {@code batch:E:B} before training batch B of epoch E (1-based), {@code outputs:E}
 * after epoch E's {@code metrics.csv} and pictures and before its checkpoint, and the stages of
 * epoch E's checkpoint write: {@code checkpoint:E:created} once the empty temporary folder exists,
 * {@code checkpoint:E} once the parameters are written into it, {@code checkpoint:E:described} once
 * {@code checkpoint.json} is written too (before the rename), {@code checkpoint:E:aside} once an
 * existing {@code epoch-NNNN} of the same epoch is renamed aside (only when there is one), {@code
 * checkpoint:E:renamed} once the new folder is in place (before an old one renamed aside is
 * deleted).
 */
final class FaultHooks {

    /** The property naming the point to pause at. */
    static final String PAUSE = "segloss.test.pauseAt";

    /** The property naming the point to announce and pass. */
    static final String SIGNAL = "segloss.test.signalAt";

    /** The property listing the training batches that get a NaN pixel. */
    static final String NAN = "segloss.test.nanAt";

    /** The property naming the training batch that asks for an allocation, and its size. */
    static final String ALLOCATE = "segloss.test.allocateAt";

    /** The property naming the checkpoint stage that fails as a full disk does. */
    static final String DISK_FULL = "segloss.test.diskFullAt";

    /** The property that has every training batch's input digest printed. */
    static final String DIGESTS = "segloss.test.batchDigests";

    /** What a reached point prints to standard error, followed by the point. */
    static final String MARKER = "segloss-test: at ";

    private static final long PAUSE_SECONDS = 120;

    private FaultHooks() {}

    /**
     * Announces a point, and pauses there if {@value #PAUSE} names it.
     *
     * @param point the point, e.g. {@code checkpoint:3}
     */
    static void reached(String point) {
        String pause = System.getProperty(PAUSE);
        String signal = System.getProperty(SIGNAL);
        if (!point.equals(pause) && !point.equals(signal)) {
            return;
        }
        System.err.println(MARKER + point);
        System.err.flush();
        if (point.equals(pause)) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(PAUSE_SECONDS);
            while (System.nanoTime() < end) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
            Runtime.getRuntime().halt(99);
        }
    }

    /**
     * Announces a point of a write, pauses there like {@link #reached}, and fails there as a full
     * disk does if {@value #DISK_FULL} names it.
     *
     * @param point the point, e.g. {@code checkpoint:3:described}
     * @param file the file being written, named in the failure
     * @throws IOException "No space left on device" if {@value #DISK_FULL} names the point
     */
    static void reachedWriting(String point, Path file) throws IOException {
        reached(point);
        if (point.equals(System.getProperty(DISK_FULL))) {
            throw new FileSystemException(file.toString(), null, "No space left on device");
        }
    }

    /**
     * Runs the hooks of a training batch: the {@code batch:E:B} point, a NaN pixel, an allocation,
     * the data's digest.
     *
     * @param epoch the epoch (1-based)
     * @param batch the batch in the epoch (1-based)
     * @param data the batch's input; its first array is the images {@code (B, 3, H, W)}
     */
    static void beforeBatch(int epoch, int batch, NDList data) {
        if (System.getProperty(PAUSE) == null
                && System.getProperty(SIGNAL) == null
                && System.getProperty(NAN) == null
                && System.getProperty(ALLOCATE) == null
                && System.getProperty(DIGESTS) == null) {
            return;
        }
        if (Boolean.parseBoolean(System.getProperty(DIGESTS))) {
            int digest = 1;
            for (NDArray array : data) {
                digest = 31 * digest + Arrays.hashCode(array.toByteArray());
            }
            System.err.println(MARKER + "data " + epoch + ":" + batch + " " + digest);
        }
        reached("batch:" + epoch + ":" + batch);
        String at = epoch + ":" + batch;
        String nan = System.getProperty(NAN);
        if (nan != null && Arrays.asList(nan.split(",")).contains(at)) {
            NDArray images = data.head();
            float[] pixels = images.toFloatArray();
            pixels[0] = Float.NaN;
            images.set(pixels);
        }
        String allocate = System.getProperty(ALLOCATE);
        if (allocate != null && allocate.startsWith(at + ":")) {
            long count = Long.parseLong(allocate.substring(at.length() + 1));
            try (NDManager manager = data.head().getManager().newSubManager()) {
                // the read waits for engines that allocate asynchronously (MXNet)
                manager.zeros(new Shape(count)).getFloat(0);
            }
        }
    }
}
