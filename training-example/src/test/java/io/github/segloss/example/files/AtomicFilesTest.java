package io.github.segloss.example.files;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.expectThrows;

import io.github.segloss.example.report.TempFolders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.Test;

/** {@link AtomicFiles}: all or nothing, and nothing left behind. */
public class AtomicFilesTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void writesTheContent() throws IOException {
        Path folder = TempFolders.create();
        Path target = folder.resolve("a.txt");

        AtomicFiles.write(target, out -> out.write(utf8("hello")));

        assertEquals(Files.readString(target), "hello");
        assertEquals(TempFolders.names(folder), List.of("a.txt"));
    }

    @Test
    public void replacesAnExistingFile() throws IOException {
        Path folder = TempFolders.create();
        Path target = folder.resolve("a.txt");
        Files.writeString(target, "old content that is longer");

        AtomicFiles.write(target, out -> out.write(utf8("new")));

        assertEquals(Files.readString(target), "new");
        assertEquals(TempFolders.names(folder), List.of("a.txt"));
    }

    @Test
    public void aWriterThatThrowsLeavesThePreviousFileAndNoTempFile() throws IOException {
        Path folder = TempFolders.create();
        Path target = folder.resolve("a.txt");
        Files.writeString(target, "previous");

        IOException thrown =
                expectThrows(
                        IOException.class,
                        () ->
                                AtomicFiles.write(
                                        target,
                                        out -> {
                                            out.write(utf8("half of the new"));
                                            throw new IOException("disk on fire");
                                        }));

        assertEquals(thrown.getMessage(), "cannot write " + target + ": disk on fire");
        assertEquals(thrown.getCause().getMessage(), "disk on fire");
        assertEquals(Files.readString(target), "previous");
        assertEquals(TempFolders.names(folder), List.of("a.txt"));
    }

    @Test
    public void aWriterThatThrowsAnUncheckedExceptionLeavesNoTempFile() throws IOException {
        Path folder = TempFolders.create();
        Path target = folder.resolve("a.txt");

        assertThrows(
                IllegalStateException.class,
                () ->
                        AtomicFiles.write(
                                target,
                                out -> {
                                    out.write(1);
                                    throw new IllegalStateException("bug");
                                }));

        assertEquals(TempFolders.names(folder), List.of());
    }

    @Test
    public void aWriterMayCloseTheStream() throws IOException {
        Path folder = TempFolders.create();
        Path target = folder.resolve("a.txt");

        AtomicFiles.write(
                target,
                out -> {
                    try (out) {
                        out.write(utf8("closed early"));
                    }
                });

        assertEquals(Files.readString(target), "closed early");
    }

    @Test
    public void createsTheMissingFolder() throws IOException {
        Path target = TempFolders.create().resolve("run").resolve("deep").resolve("a.txt");

        AtomicFiles.write(target, out -> out.write(utf8("x")));

        assertEquals(Files.readString(target), "x");
    }

    @Test
    public void deleteLeftoversRemovesOnlyTheTemporaryFilesOfCutWrites() throws IOException {
        Path folder = TempFolders.create();
        Files.writeString(folder.resolve("metrics.csv"), "epoch\n");
        Files.writeString(folder.resolve(".metrics.csv.3kq9x1c.tmp"), "epo");
        Files.writeString(folder.resolve(".summary.json.1z.tmp"), "{");
        Files.writeString(folder.resolve("notes.tmp"), "mine");
        Files.writeString(folder.resolve(".hidden"), "mine");
        Files.writeString(folder.resolve(".notes.txt.1z.tmp"), "mine: not a target's");
        Files.writeString(folder.resolve(".metrics.csv.tmp"), "mine: no random part");
        Files.createDirectory(folder.resolve(".cache.abc.tmp"));

        List<String> deleted =
                AtomicFiles.deleteLeftovers(folder, List.of("metrics.csv", "summary.json"));

        assertEquals(deleted, List.of(".metrics.csv.3kq9x1c.tmp", ".summary.json.1z.tmp"));
        assertEquals(
                TempFolders.names(folder),
                List.of(
                        ".cache.abc.tmp",
                        ".hidden",
                        ".metrics.csv.tmp",
                        ".notes.txt.1z.tmp",
                        "metrics.csv",
                        "notes.tmp"));
        assertEquals(
                AtomicFiles.deleteLeftovers(folder.resolve("missing"), List.of("metrics.csv")),
                List.of());
    }
}
