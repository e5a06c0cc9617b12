package io.github.segloss.enginetest.gc;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What an unlucky training loop meets between a forward and a backward pass: a garbage collection
 * that frees the direct buffers nobody references any more, and fresh direct allocations (a data
 * loader's, say) that take their memory and fill it.
 *
 * <p>On DJL's PyTorch engine an array made from a Java buffer on the CPU wraps that buffer's memory
 * without a copy ({@code torch::from_blob}). Once the array is closed, only autograd may still hold
 * the tensor; the buffer is garbage, and after a collection its memory belongs to whoever allocates
 * next. {@link #between} makes that happen and fills the memory with NaN, so a gradient that reads
 * freed memory comes out visibly wrong.
 */
public final class GcStorm {

    private static final int ALLOCATIONS = 2000;

    private GcStorm() {}

    /**
     * Collects garbage, waits for the cleaner to free unreachable direct buffers, then allocates
     * direct buffers filled with NaN bits and keeps them until {@link Held#close()}.
     *
     * @return the allocations, to hold until after the backward pass
     */
    public static Held between() {
        System.gc();
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ByteBuffer> buffers = new ArrayList<>(ALLOCATIONS);
        for (int i = 0; i < ALLOCATIONS; i++) {
            // 4 to 128 bytes: the sizes of the scalars and small constants a loss creates
            ByteBuffer buffer = ByteBuffer.allocateDirect(4 << (i % 6));
            while (buffer.remaining() >= 4) {
                buffer.putInt(0x7fc00000);
            }
            buffers.add(buffer);
        }
        return new Held(buffers);
    }

    /** Allocations held across a backward pass. */
    public static final class Held implements AutoCloseable {

        private List<ByteBuffer> buffers;

        private Held(List<ByteBuffer> buffers) {
            this.buffers = buffers;
        }

        /** Releases the allocations. */
        @Override
        public void close() {
            buffers = null;
        }
    }
}
