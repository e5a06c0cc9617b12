package io.github.segloss.enginetest.publishing;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.github.segloss.loss.PixelCrossEntropyLoss;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.testng.annotations.Test;

/**
 * The library is the JPMS module {@code io.github.segloss}: it exports its API packages and keeps
 * {@code io.github.segloss.internal} to itself, read from the compiled {@code module-info.class}
 * next to the library's classes (this suite itself uses the library on the class path).
 */
public class LibraryModuleTest {

    private static final Set<String> API =
            Set.of(
                    "io.github.segloss.loss",
                    "io.github.segloss.metric",
                    "io.github.segloss.target",
                    "io.github.segloss.inference");

    @Test
    public void theLibraryIsTheModuleIoGithubSegloss() throws IOException {
        assertEquals(descriptor().name(), "io.github.segloss");
    }

    @Test
    public void itExportsTheApiPackagesToEveryoneAndNothingElse() throws IOException {
        Set<String> exported = new TreeSet<>();
        for (Exports exports : descriptor().exports()) {
            assertTrue(
                    exports.targets().isEmpty(),
                    exports.source() + " is exported only to " + exports.targets());
            exported.add(exports.source());
        }
        assertEquals(exported, new TreeSet<>(API));
        assertTrue(descriptor().opens().isEmpty(), "opens " + descriptor().opens());
    }

    @Test
    public void everyPackageButInternalIsExported() throws IOException {
        Set<String> packages = withClasses(LibraryModuleTest::packages);
        assertTrue(packages.contains("io.github.segloss.internal"), "packages read: " + packages);
        packages.remove("io.github.segloss.internal");
        assertEquals(
                packages,
                new TreeSet<>(API),
                "a new package of the library must be exported in plugin/src/main/java/"
                        + "module-info.java (or live under internal)");
    }

    @Test
    public void itReadsDjlAndPassesItOnToItsReaders() throws IOException {
        Requires djl =
                descriptor().requires().stream()
                        .filter(r -> r.name().equals("ai.djl.api"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no requires ai.djl.api"));
        assertTrue(
                djl.modifiers().contains(Requires.Modifier.TRANSITIVE),
                "DJL's types are in segloss's API: requires transitive ai.djl.api");
    }

    private static ModuleDescriptor descriptor() throws IOException {
        return withClasses(
                root -> {
                    Path file = root.resolve("module-info.class");
                    if (!Files.isRegularFile(file)) {
                        throw new AssertionError(
                                "the library is not a JPMS module: no module-info.class in "
                                        + root.toUri());
                    }
                    try (InputStream in = Files.newInputStream(file)) {
                        return ModuleDescriptor.read(in);
                    }
                });
    }

    private static Set<String> packages(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> root.relativize(f.getParent()))
                    .filter(p -> !p.toString().isEmpty() && !p.startsWith("META-INF"))
                    .map(p -> p.toString().replace(p.getFileSystem().getSeparator(), "."))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Reads the library's classes: its target/classes folder in the reactor, or its jar. */
    private static <T> T withClasses(ClassesReader<T> reader) throws IOException {
        Path location;
        try {
            location =
                    Path.of(
                            PixelCrossEntropyLoss.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        if (Files.isDirectory(location)) {
            return reader.read(location);
        }
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return reader.read(jar.getPath("/"));
        }
    }

    private interface ClassesReader<T> {
        T read(Path root) throws IOException;
    }
}
