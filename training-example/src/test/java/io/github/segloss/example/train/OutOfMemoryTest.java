package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.testng.annotations.Test;

/**
 * {@link OutOfMemory}: the engines' allocation errors are recognised, other errors are not, and the
 * line names the batch and suggests a smaller one.
 */
public class OutOfMemoryTest {

    @Test
    public void theLineNamesTheBatchAndHalvesIt() {
        assertEquals(
                OutOfMemory.onBatch(8, 512, 512, Device.cpu()),
                "out of memory on a batch of 8 images of 512x512 on cpu(); try a smaller"
                        + " --batch-size (e.g. 4)");
        assertEquals(
                OutOfMemory.onBatch(5, 64, 96, Device.gpu(0), Device.gpu(1)),
                "out of memory on a batch of 5 images of 64x96 on gpu(0), gpu(1); try a smaller"
                        + " --batch-size (e.g. 2)");
    }

    @Test
    public void aBatchOfOneImageSuggestsSmallerImagesOrModel() {
        assertEquals(
                OutOfMemory.onBatch(1, 1024, 1024, Device.gpu(0)),
                "out of memory on a batch of 1 image of 1024x1024 on gpu(0); try a smaller"
                        + " --image-size or --width");
    }

    @Test
    public void pyTorchsRealAllocationErrorIsRecognised() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // 2^46 floats, 256 TiB: beyond the address space, refused without using memory
            EngineException error =
                    expectThrows(EngineException.class, () -> manager.zeros(new Shape(1L << 46)));
            assertTrue(OutOfMemory.isOutOfMemory(error), error.getMessage());
        }
    }

    @Test
    public void theEnginesMessagesAreRecognisedAnywhereInTheCauseChain() {
        String[] messages = {
            // PyTorch CPU, as DJL 0.36 reports it
            "[enforce fail at alloc_cpu.cpp:119] err == 0. DefaultCPUAllocator: can't allocate"
                    + " memory: you tried to allocate 281474976710656 bytes. Error code 12"
                    + " (Cannot allocate memory)",
            // PyTorch CUDA
            "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.10"
                    + " GiB of which 1.20 GiB is free.",
            // MXNet CPU, as DJL 0.36 reports it
            "MXNet engine call failed: MXNetError: Failed to allocate CPU Memory",
            // MXNet GPU
            "MXNet engine call failed: MXNetError: cudaMalloc retry failed: out of memory",
            // C++ and cuDNN
            "std::bad_alloc",
            "cuDNN error: CUDNN_STATUS_ALLOC_FAILED"
        };
        for (String message : messages) {
            EngineException engine = new EngineException(message);
            assertTrue(OutOfMemory.isOutOfMemory(engine), message);
            RuntimeException wrapped =
                    new IllegalStateException("loader failed", new RuntimeException(engine));
            assertTrue(OutOfMemory.isOutOfMemory(wrapped), "wrapped: " + message);
        }
        assertTrue(OutOfMemory.isOutOfMemory(new OutOfMemoryError("Java heap space")));
        assertTrue(
                OutOfMemory.isOutOfMemory(
                        new RuntimeException(new OutOfMemoryError("Direct buffer memory"))));
    }

    @Test
    public void otherFailuresAreNotOutOfMemory() {
        assertFalse(
                OutOfMemory.isOutOfMemory(
                        new IllegalArgumentException(
                                "labels must be class ids in [0, 4) or 255, got 7")));
        assertFalse(
                OutOfMemory.isOutOfMemory(
                        new EngineException(
                                "MXNet engine call failed: Check failed: lhs.shape == rhs.shape")));
        assertFalse(OutOfMemory.isOutOfMemory(new IllegalStateException((String) null)));
        assertFalse(OutOfMemory.isOutOfMemory(new StackOverflowError()));
    }
}
