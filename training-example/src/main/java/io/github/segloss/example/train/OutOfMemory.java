package io.github.segloss.example.train;

import ai.djl.Device;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Recognises running out of memory, whatever the engine or device, and says it in one line that
 * names the batch and suggests a smaller one.
 *
 * <p>Recognised anywhere in a failure's cause chain: a {@link OutOfMemoryError} (the JVM's heap),
 * and an engine message holding one of: {@code can't allocate memory} (PyTorch's CPU allocator),
 * {@code out of memory} (CUDA, cuDNN, oneDNN), {@code Failed to allocate} (MXNet's storage), {@code
 * Cannot allocate memory} (the C library's ENOMEM), {@code bad_alloc} (C++) and {@code
 * ALLOC_FAILED} (cuBLAS, cuDNN status).
 */
public final class OutOfMemory {

    /** The line for running out of memory outside a batch (e.g. while building the model). */
    public static final String ELSEWHERE =
            "out of memory; try a smaller --batch-size, --image-size or --width";

    private static final List<String> SIGNS =
            List.of(
                    "can't allocate memory",
                    "cannot allocate memory",
                    "out of memory",
                    "failed to allocate",
                    "bad_alloc",
                    "alloc_failed");

    private OutOfMemory() {}

    /**
     * Tells whether a failure is a failed allocation.
     *
     * @param failure the failure
     * @return true if it, or one of its causes, is an {@link OutOfMemoryError} or an engine's
     *     allocation error
     */
    public static boolean isOutOfMemory(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
            String message = t.getMessage();
            if (message != null) {
                String lower = message.toLowerCase(Locale.ROOT);
                for (String sign : SIGNS) {
                    if (lower.contains(sign)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Words running out of memory on a batch: {@code out of memory on a batch of 8 images of
     * 512x512 on cpu(); try a smaller --batch-size (e.g. 4)}. A batch of one image suggests a
     * smaller {@code --image-size} or {@code --width} instead.
     *
     * @param images the images in the batch
     * @param height the images' height
     * @param width the images' width
     * @param devices the devices the batch was split across
     * @return the line
     */
    public static String onBatch(int images, int height, int width, Device... devices) {
        String where =
                Arrays.stream(devices).map(Device::toString).collect(Collectors.joining(", "));
        String advice =
                images > 1
                        ? "try a smaller --batch-size (e.g. " + images / 2 + ")"
                        : "try a smaller --image-size or --width";
        return String.format(
                Locale.ROOT,
                "out of memory on a batch of %d image%s of %dx%d on %s; %s",
                images,
                images == 1 ? "" : "s",
                height,
                width,
                where,
                advice);
    }

    /**
     * Throws a {@link TrainingOutOfMemoryException} with {@link #onBatch}'s line if a failure is a
     * failed allocation; otherwise returns, and the caller rethrows the failure.
     *
     * @param failure what a batch threw
     * @param images the images in the batch
     * @param size the images' side
     * @param devices the devices the batch was split across
     * @throws TrainingOutOfMemoryException if {@link #isOutOfMemory} holds
     */
    static void rethrowOnBatch(Throwable failure, int images, int size, Device... devices) {
        if (isOutOfMemory(failure)) {
            throw new TrainingOutOfMemoryException(onBatch(images, size, size, devices), failure);
        }
    }
}
