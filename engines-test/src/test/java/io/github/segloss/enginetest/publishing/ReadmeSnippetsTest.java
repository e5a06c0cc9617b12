package io.github.segloss.enginetest.publishing;

import static org.testng.Assert.assertTrue;
import static org.testng.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The README's "Using segloss" snippets are the consumer sample's code: every fenced {@code java}
 * block of that section stands, indentation aside, between {@code // BEGIN README SNIPPET} and
 * {@code // END README SNIPPET} in {@code consumer-sample/src/main/java}, every {@code xml} block
 * between {@code <!-- BEGIN README SNIPPET -->} and {@code <!-- END README SNIPPET -->} in {@code
 * consumer-sample/pom.xml}, and the other way round. The sample is built and run on both engines by
 * {@code plugin/}'s invoker, so the README's code compiles and runs as written.
 */
public class ReadmeSnippetsTest {

    private static final String SECTION = "## Using segloss";
    private static final String BEGIN = "BEGIN README SNIPPET";
    private static final String END = "END README SNIPPET";
    private static final String HOW_TO_FIX =
            "\nTo fix: keep README.md's block and the sample's marked region identical (indentation"
                    + " aside). A changed README snippet goes between the BEGIN/END README SNIPPET"
                    + " markers of the sample class that runs it (or of a profile of"
                    + " consumer-sample/pom.xml for an xml block; a new snippet gets a class or"
                    + " profile of its own), with the code around it adjusted so that it compiles"
                    + " and runs on PyTorch and MXNet: ./mvnw -B -pl plugin verify builds and runs"
                    + " the sample.";

    private Path root;
    private List<Snippet> readme;
    private List<Snippet> sample;

    @BeforeClass
    public void read() throws IOException {
        root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("consumer-sample"))) {
            root = root.getParent();
            if (root == null) {
                throw new IOException(
                        "no consumer-sample folder above " + Path.of("").toAbsolutePath());
            }
        }
        readme = readmeSnippets(root.resolve("README.md"));
        sample = new ArrayList<>(markedRegions(root.resolve("consumer-sample/pom.xml"), "xml"));
        try (Stream<Path> files = Files.walk(root.resolve("consumer-sample/src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                sample.addAll(markedRegions(file, "java"));
            }
        }
    }

    @Test
    public void theReadmeSectionHasJavaAndXmlSnippets() {
        assertTrue(
                readme.stream().anyMatch(s -> s.language().equals("java"))
                        && readme.stream().anyMatch(s -> s.language().equals("xml")),
                "README.md's \"" + SECTION + "\" section: " + readme);
    }

    @Test
    public void everyReadmeSnippetIsInTheSample() {
        List<String> missing = new ArrayList<>();
        for (Snippet snippet : readme) {
            if (!contains(sample, snippet)) {
                missing.add(describe(snippet, "is not in the consumer sample", sample));
            }
        }
        if (!missing.isEmpty()) {
            fail(String.join("\n", missing) + HOW_TO_FIX);
        }
    }

    @Test
    public void everySampleSnippetIsInTheReadme() {
        assertTrue(!sample.isEmpty(), "no " + BEGIN + " marker in consumer-sample");
        List<String> extra = new ArrayList<>();
        for (Snippet snippet : sample) {
            if (!contains(readme, snippet)) {
                extra.add(
                        describe(
                                snippet,
                                "is not in README.md's \"" + SECTION + "\" section",
                                readme));
            }
        }
        if (!extra.isEmpty()) {
            fail(String.join("\n", extra) + HOW_TO_FIX);
        }
    }

    private static boolean contains(List<Snippet> snippets, Snippet wanted) {
        return snippets.stream()
                .anyMatch(
                        s ->
                                s.language().equals(wanted.language())
                                        && s.lines().equals(wanted.lines()));
    }

    private static String describe(Snippet snippet, String problem, List<Snippet> others) {
        String text =
                "The "
                        + snippet.language()
                        + " snippet at "
                        + snippet.where()
                        + " (`"
                        + snippet.firstLine()
                        + "`) "
                        + problem;
        return others.stream()
                .filter(s -> s.language().equals(snippet.language()))
                .max(Comparator.comparingInt(snippet::commonPrefix))
                .map(closest -> text + "; " + snippet.firstDifference(closest))
                .orElse(text);
    }

    /** The fenced code blocks of the README's "Using segloss" section. */
    private List<Snippet> readmeSnippets(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int start = lines.indexOf(SECTION);
        if (start < 0) {
            throw new AssertionError("README.md has no \"" + SECTION + "\" heading");
        }
        List<Snippet> snippets = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            if (lines.get(i).startsWith("```")) {
                String language = lines.get(i).substring(3).trim();
                int first = i + 1;
                do {
                    i++;
                } while (i < lines.size() && !lines.get(i).startsWith("```"));
                snippets.add(
                        Snippet.of(language, "README.md:" + (first + 1), lines.subList(first, i)));
            }
        }
        return snippets;
    }

    /** The regions between BEGIN and END README SNIPPET markers in a file of the sample. */
    private List<Snippet> markedRegions(Path file, String language) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String name = root.relativize(file).toString();
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(BEGIN)) {
                int first = i + 1;
                do {
                    i++;
                } while (i < lines.size() && !lines.get(i).contains(END));
                if (i == lines.size()) {
                    throw new AssertionError(name + ":" + first + ": " + BEGIN + " without " + END);
                }
                snippets.add(
                        Snippet.of(language, name + ":" + (first + 1), lines.subList(first, i)));
            }
        }
        return snippets;
    }
}
