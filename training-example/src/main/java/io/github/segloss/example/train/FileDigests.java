package io.github.segloss.example.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of each file of a checkpoint, recorded in {@code checkpoint.json} under {@value #KEY}
 * and checked before the file is loaded: a file of the recorded size whose bytes were damaged (a
 * bad disk, a partial copy, a hostile edit) is refused instead of loading wrong weights.
 */
final class FileDigests {

    /** The key of the digests in {@code checkpoint.json}. */
    static final String KEY = "sha256";

    private FileDigests() {}

    /**
     * The SHA-256 of a file, in lower-case hex.
     *
     * @param file the file
     * @return its digest
     * @throws IOException if it cannot be read
     */
    static String of(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Requires a checkpoint file to have the digest its {@code checkpoint.json} records; a
     * checkpoint without a description, or a description without the file's digest (written before
     * digests were recorded), is not checked.
     *
     * @param checkpoint the checkpoint folder
     * @param name the file's name inside it
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException naming the file if its digest differs
     */
    static void require(Path checkpoint, String name) throws IOException {
        if (!Files.isRegularFile(checkpoint.resolve(Checkpoints.DESCRIPTION))) {
            return;
        }
        JsonElement digests = Checkpoints.description(checkpoint).get(KEY);
        if (digests == null || !digests.isJsonObject()) {
            return;
        }
        JsonElement expected = ((JsonObject) digests).get(name);
        if (expected == null || !expected.isJsonPrimitive()) {
            return;
        }
        Path file = checkpoint.resolve(name);
        String actual = of(file);
        if (!actual.equals(expected.getAsString())) {
            throw new IllegalArgumentException(
                    file
                            + ": damaged, its SHA-256 is "
                            + actual
                            + ", "
                            + Checkpoints.DESCRIPTION
                            + " records "
                            + expected.getAsString());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
