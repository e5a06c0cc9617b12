package io.github.segloss.enginetest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.ISuite;
import org.testng.ISuiteListener;

/**
 * Writes the largest errors against the reference numbers, per case and engine, to {@code
 * target/reference-errors.md} when the suite ends.
 */
public class ErrorReport implements ISuiteListener {

    /** {@inheritDoc} */
    @Override
    public void onFinish(ISuite suite) {
        String summary = Tolerance.summary();
        if (summary.isEmpty()) {
            return;
        }
        Path report = Path.of("target", "reference-errors.md");
        try {
            Files.createDirectories(report.getParent());
            Files.writeString(report, summary);
            System.out.println("Largest errors against the reference numbers: " + report);
        } catch (IOException e) {
            System.out.print(summary);
        }
    }
}
