package io.github.segloss.example.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The root folder of a dataset on disk, and the only way the data layer turns a name into a file:
 * names with {@code ..}, absolute names, and links whose target lies outside the root are refused.
 */
final class DatasetRoot {

    private final Path root;
    private final Path realRoot;

    private DatasetRoot(Path root, Path realRoot) {
        this.root = root;
        this.realRoot = realRoot;
    }

    /**
     * Opens a dataset root folder.
     *
     * @param root the folder
     * @param format the format, for the message
     * @return the root
     * @throws IllegalArgumentException if the folder is null, missing or not a folder
     */
    static DatasetRoot of(Path root, String format) {
        if (root == null) {
            throw new IllegalArgumentException(
                    "format " + format + " needs a dataset folder, got none");
        }
        Path absolute = root.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new IllegalArgumentException(
                    absolute + ": dataset folder does not exist (format " + format + ")");
        }
        if (!Files.isDirectory(absolute)) {
            throw new IllegalArgumentException(
                    absolute
                            + ": dataset root must be a folder, got a file (format "
                            + format
                            + ")");
        }
        try {
            return new DatasetRoot(absolute, absolute.toRealPath());
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    absolute + ": cannot open dataset folder: " + ErrorText.reason(e), e);
        }
    }

    /**
     * Returns the root folder as given, absolute and normalised.
     *
     * @return the root folder
     */
    Path path() {
        return root;
    }

    /**
     * Resolves a relative name under the root, refusing names that could leave it.
     *
     * @param relative a relative name, {@code /}-separated
     * @param origin where the name comes from (a file), for the message
     * @return the path under the root; it may not exist
     * @throws IllegalArgumentException if the name is absolute, holds {@code ..}, or an existing
     *     file it names is a link leading outside the root
     */
    Path resolve(String relative, String origin) {
        Path path = root.resolve(checkedName(relative, origin)).normalize();
        requireInside(path);
        return path;
    }

    /**
     * Resolves a name that a dataset file gives (a COCO {@code file_name}) under one of the root's
     * folders; the name itself must be relative and free of {@code ..}.
     *
     * @param folder the folder under the root, e.g. {@code val2017}
     * @param name the name as the dataset file gives it
     * @param origin the file and field the name comes from, for the message
     * @return the path under the root; it may not exist
     * @throws IllegalArgumentException if the name is absolute, holds {@code ..}, or an existing
     *     file it names is a link leading outside the root
     */
    Path resolve(String folder, String name, String origin) {
        checkedName(name, origin);
        return resolve(folder + "/" + name, origin);
    }

    private Path checkedName(String relative, String origin) {
        if (relative == null || relative.isBlank()) {
            throw new IllegalArgumentException(origin + ": empty file name");
        }
        Path name;
        try {
            name = Path.of(relative);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(
                    origin + ": invalid file name \"" + relative + "\": " + e.getReason(), e);
        }
        if (name.isAbsolute() || relative.startsWith("/") || relative.startsWith("\\")) {
            throw new IllegalArgumentException(
                    origin
                            + ": file name \""
                            + relative
                            + "\" is absolute; it must be relative to the dataset folder "
                            + root);
        }
        for (Path part : name) {
            if (part.toString().equals("..")) {
                throw new IllegalArgumentException(
                        origin
                                + ": file name \""
                                + relative
                                + "\" must not contain \"..\": it would leave the dataset"
                                + " folder");
            }
        }
        return name;
    }

    /**
     * Resolves a relative name that must be an existing regular file under the root.
     *
     * @param relative a relative name
     * @param role what the file is, for the message (e.g. "class list")
     * @param origin where the name comes from, for the message
     * @return the file
     * @throws IllegalArgumentException if the name is refused or the file is missing
     */
    Path existingFile(String relative, String role, String origin) {
        Path path = resolve(relative, origin);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(path + ": " + role + " not found");
        }
        return path;
    }

    /**
     * Resolves a name that a dataset file gives under one of the root's folders ({@link
     * #resolve(String, String, String)}); the file must exist and be a regular file.
     *
     * @param folder the folder under the root
     * @param name the name as the dataset file gives it
     * @param role what the file is, for the message
     * @param origin the file and field the name comes from, for the message
     * @return the file
     * @throws IllegalArgumentException if the name is refused or the file is missing
     */
    Path existingFile(String folder, String name, String role, String origin) {
        Path path = resolve(folder, name, origin);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(path + ": " + role + " not found");
        }
        return path;
    }

    /**
     * Checks that an existing path's real location (links followed) is under the root's real
     * location; a path that does not exist passes.
     *
     * @param path a path under the root
     * @throws IllegalArgumentException if the path leads outside the root
     */
    void requireInside(Path path) {
        Path normal = path.toAbsolutePath().normalize();
        if (!normal.startsWith(root)) {
            throw new IllegalArgumentException(normal + ": file lies outside the dataset " + root);
        }
        if (!Files.exists(normal, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path real;
        try {
            real = normal.toRealPath();
        } catch (IOException e) {
            // A dangling link or an unreadable file: the caller reports it as missing.
            return;
        }
        if (!real.startsWith(realRoot)) {
            throw new IllegalArgumentException(
                    normal + ": link leads to " + real + ", outside the dataset " + root);
        }
    }
}
