package io.github.segloss.example.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole TorchScript module of a checkpoint ({@code module.bin}), loaded as the model that a
 * resumed {@code --torchscript} run trains: its parameters and its buffers (batch-norm running
 * statistics), which {@code params.ndlist} does not hold.
 *
 * <p>{@code module.bin} is DJL's {@code PtSymbolBlock.saveParameters}: a version byte, the module's
 * size as a long, then the module as {@code torch.jit.save} writes it. The module is copied to a
 * temporary {@code .pt} file and loaded like the {@code --torchscript} file, so the block and its
 * parameters are those of one native module (swapping the module under a loaded block would leave
 * the block's parameters pointing at the old one).
 */
final class CheckpointModule {

    private CheckpointModule() {}

    /**
     * Whether a checkpoint holds a whole module.
     *
     * @param checkpoint the checkpoint folder
     * @return true if it has {@code module.bin}
     */
    static boolean exists(Path checkpoint) {
        return Files.isRegularFile(checkpoint.resolve(Checkpoints.MODULE));
    }

    /**
     * Loads a checkpoint's module into a model, its parameters trainable and the module in training
     * mode.
     *
     * @param model the model (PyTorch engine), without a block
     * @param checkpoint the checkpoint folder
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if {@code module.bin} is truncated or not a module
     */
    static void load(Model model, Path checkpoint) throws IOException {
        Path file = checkpoint.resolve(Checkpoints.MODULE);
        FileDigests.require(checkpoint, Checkpoints.MODULE);
        Path folder = Files.createTempDirectory("segloss-module");
        Path module = folder.resolve("module.pt");
        try {
            try (DataInputStream in =
                            new DataInputStream(
                                    new BufferedInputStream(Files.newInputStream(file)));
                    OutputStream out = Files.newOutputStream(module)) {
                in.readByte(); // DJL's encoding version
                long size = in.readLong();
                if (size <= 0) {
                    throw damaged(file, "its size reads " + size, null);
                }
                copy(in, out, size, file);
            } catch (EOFException e) {
                throw damaged(file, "it ends early", e);
            }
            try {
                TorchScriptTraining.load(model, folder, "module");
            } catch (MalformedModelException | RuntimeException e) {
                throw damaged(file, e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(module);
            Files.deleteIfExists(folder);
        }
    }

    private static void copy(DataInputStream in, OutputStream out, long size, Path file)
            throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw damaged(file, "it ends " + left + " bytes early", null);
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    private static IllegalArgumentException damaged(Path file, String problem, Exception cause) {
        return new IllegalArgumentException(
                "--resume: " + file + " is not a whole TorchScript module (" + problem + ")",
                cause);
    }
}
