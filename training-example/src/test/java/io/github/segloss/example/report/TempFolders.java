package io.github.segloss.example.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Temporary folders for the tests, deleted when the JVM exits. */
public final class TempFolders {

    private TempFolders() {}

    /** A new empty folder. */
    public static Path create() throws IOException {
        Path folder = Files.createTempDirectory("segloss-report-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(folder)));
        return folder;
    }

    /** The sorted names of the entries of a folder, hidden ones included. */
    public static List<String> names(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            List<String> names = new ArrayList<>();
            entries.forEach(p -> names.add(p.getFileName().toString()));
            names.sort(Comparator.naturalOrder());
            return names;
        }
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(TempFolders::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
