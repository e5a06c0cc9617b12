package io.github.segloss.example.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testng.annotations.Test;

/**
 * The report images need no display: in a fresh JVM that points at an X server that is not there,
 * without {@code -Djava.awt.headless}, they are drawn and written, and AWT ends up headless.
 */
public class HeadlessTest {

    @Test
    public void imagesAreDrawnWithoutADisplay() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder =
                new ProcessBuilder(java, "-cp", classPath, HeadlessProbe.class.getName())
                        .redirectErrorStream(true);
        builder.environment().put("DISPLAY", ":99");

        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe finishes");

        assertEquals(process.exitValue(), 0, output);
        List<String> lines = output.lines().toList();
        assertTrue(lines.contains("headless=true"), output);
    }
}
