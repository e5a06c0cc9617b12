package io.github.segloss.enginetest;

import org.testng.ISuite;
import org.testng.ISuiteListener;

/** Prints the largest errors against the reference numbers when the suite ends. */
public class ErrorReport implements ISuiteListener {

    /** {@inheritDoc} */
    @Override
    public void onFinish(ISuite suite) {
        String summary = Tolerance.summary();
        if (!summary.isEmpty()) {
            System.out.print("Largest errors against the reference implementations:\n" + summary);
        }
    }
}
