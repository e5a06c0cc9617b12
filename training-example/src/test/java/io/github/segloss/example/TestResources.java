package io.github.segloss.example;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The committed test resources (scripted models and their reference numbers) as files. */
public final class TestResources {

    private TestResources() {}

    /**
     * Copies a test resource into a fresh temporary folder, under its own name, so that a test may
     * load, train or overwrite it without touching the committed file or another test's copy.
     *
     * @param name the resource's name at the class-path root, e.g. {@code tiny-segnet.pt}
     * @return the copy; its folder holds nothing else
     * @throws IOException if the resource is missing or cannot be copied
     */
    public static Path copy(String name) throws IOException {
        Path file = Files.createTempDirectory("segloss-resource").resolve(name);
        try (InputStream in = TestResources.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            Files.copy(in, file);
        }
        return file;
    }
}
