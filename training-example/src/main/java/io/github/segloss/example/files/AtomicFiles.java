package io.github.segloss.example.files;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Atomic file writes: the content goes to a temporary file in the target's folder, is forced to the
 * disk, and is then moved over the target with {@link StandardCopyOption#ATOMIC_MOVE} (or with
 * {@link StandardCopyOption#REPLACE_EXISTING} where the file system cannot move atomically). A
 * reader, or a run killed half-way, sees the previous file or the new one, never a part of one.
 *
 * <p>The temporary file is named {@code .<target name>.<random>.tmp}; it is deleted if the writer
 * or the file system fails (a full disk, a read-only folder), and the previous target is then left
 * as it was. The target's folder is created if missing.
 */
public final class AtomicFiles {

    private static final int NAME_ATTEMPTS = 16;

    /** The random part of a temporary name: an unsigned long in base 36. */
    private static final Pattern SUFFIX = Pattern.compile("[0-9a-z]+");

    private AtomicFiles() {}

    /**
     * Writes a file atomically.
     *
     * @param target the file to write or replace
     * @param writer writes the content to the stream it is given; closing that stream only flushes
     *     it
     * @throws OutputWriteException if the writer or the file system fails (its message names the
     *     target and the problem, e.g. "No space left on device"); the target is then unchanged and
     *     the temporary file removed
     */
    public static void write(Path target, IoConsumer<OutputStream> writer) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(writer, "writer");
        Path absolute = target.toAbsolutePath();
        Path fileName = absolute.getFileName();
        if (fileName == null) {
            throw new IllegalArgumentException("target must name a file, got " + target);
        }
        Path folder = absolute.getParent();
        Path temp;
        try {
            Files.createDirectories(folder);
            temp = createTemp(folder, fileName.toString());
        } catch (IOException e) {
            throw new OutputWriteException(target, e);
        }
        try {
            writeForced(temp, writer, StandardOpenOption.WRITE);
            move(temp, absolute);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException failure) {
                throw new OutputWriteException(target, failure);
            }
            throw e;
        }
        syncFolder(folder);
    }

    /**
     * Deletes the temporary files that writes of the given targets, cut off by a killed process,
     * left in a folder ({@code .<target name>.<random>.tmp}); the targets themselves are left as
     * they are, and so is every other file, hidden {@code .tmp} files of other names included (they
     * are not ours to delete).
     *
     * @param folder the folder of the targets; nothing happens if it does not exist
     * @param targets the names of the targets whose temporary files are deleted
     * @return the names of the deleted files, sorted
     * @throws IOException if the folder cannot be listed or a file cannot be deleted
     */
    public static List<String> deleteLeftovers(Path folder, Collection<String> targets)
            throws IOException {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(targets, "targets");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> leftovers;
        try (Stream<Path> entries = Files.list(folder)) {
            leftovers =
                    entries.filter(p -> isLeftover(p.getFileName().toString(), targets))
                            .filter(Files::isRegularFile)
                            .sorted()
                            .toList();
        }
        List<String> names = new ArrayList<>();
        for (Path leftover : leftovers) {
            Files.deleteIfExists(leftover);
            names.add(leftover.getFileName().toString());
        }
        return names;
    }

    /** Whether a name is {@code .<target>.<random>.tmp} for one of the targets. */
    private static boolean isLeftover(String name, Collection<String> targets) {
        for (String target : targets) {
            String prefix = "." + target + ".";
            if (name.length() > prefix.length() + ".tmp".length()
                    && name.startsWith(prefix)
                    && name.endsWith(".tmp")) {
                String random = name.substring(prefix.length(), name.length() - ".tmp".length());
                if (SUFFIX.matcher(random).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Path createTemp(Path folder, String name) throws IOException {
        for (int attempt = 1; ; attempt++) {
            String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path temp = folder.resolve("." + name + "." + suffix + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt == NAME_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Writes a new file and forces it to the disk before closing it: the way to fill a temporary
     * file or folder that is renamed into place afterwards ({@link #rename}).
     *
     * @param file the file, which must not exist yet
     * @param writer writes the content to the stream it is given; closing that stream only flushes
     *     it
     * @throws IOException if the file exists or cannot be written
     */
    public static void writeNew(Path file, IoConsumer<OutputStream> writer) throws IOException {
        writeForced(file, writer, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private static void writeForced(
            Path file, IoConsumer<OutputStream> writer, StandardOpenOption... options)
            throws IOException {
        try (FileChannel channel = FileChannel.open(file, options)) {
            OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel));
            writer.accept(new UnclosableStream(buffered));
            buffered.flush();
            channel.force(true);
        }
    }

    /**
     * Renames a file or folder atomically where the file system can (else plainly), never replacing
     * an existing target; make it durable with {@link #syncFolder}.
     *
     * @param from the file or folder
     * @param to its new name, which must not exist
     * @throws IOException if the target exists or the rename fails
     */
    public static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /**
     * Moves a finished temporary file over its target, atomically where the file system can (else
     * plainly): the step that {@link #write} ends with, for callers that fill the temporary file
     * themselves.
     *
     * @param temp the temporary file, in the target's folder
     * @param target the file to replace or create
     * @throws IOException if the move fails
     */
    public static void replace(Path temp, Path target) throws IOException {
        move(temp, target);
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(
                    temp,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Makes the renames in a folder durable where the platform can sync a folder (Linux, macOS);
     * best effort (Windows cannot open a folder as a channel, and the files themselves are forced).
     *
     * @param folder the folder
     */
    public static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            // Windows cannot open a folder as a channel; the move itself has succeeded.
        }
    }

    /**
     * A consumer that may throw {@link IOException}.
     *
     * @param <T> the type of the value consumed
     */
    @FunctionalInterface
    public interface IoConsumer<T> {

        /**
         * Consumes a value.
         *
         * @param value the value
         * @throws IOException if writing fails
         */
        void accept(T value) throws IOException;
    }

    /** Passes writes through; close only flushes, so the channel is closed by its owner. */
    private static final class UnclosableStream extends FilterOutputStream {

        UnclosableStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
