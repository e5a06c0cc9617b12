package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * A resumed run trains each epoch on that epoch's data: the same shuffle, augmentation and box
 * jitter as an uninterrupted run, for both tasks. The inputs are compared through the digests that
 * the test hook {@code segloss.test.batchDigests} prints before each training batch.
 */
public class ResumedDataTest {

    private static final String DIGESTS = "segloss.test.batchDigests";

    @DataProvider(name = "tasks")
    public Object[][] tasks() {
        return new Object[][] {{"semantic"}, {"mask"}};
    }

    @Test(dataProvider = "tasks")
    public void aResumedEpochSeesTheDataOfAnUninterruptedOne(String task) throws IOException {
        List<String> whole = digests(task, Files.createTempDirectory("segloss-whole"), 2, false);
        Path resumed = Files.createTempDirectory("segloss-resumed");
        List<String> first = digests(task, resumed, 1, false);
        List<String> second = digests(task, resumed, 2, true);

        List<String> wholeFirst = ofEpoch(whole, 1);
        List<String> wholeSecond = ofEpoch(whole, 2);
        assertFalse(wholeSecond.isEmpty(), task + ": no digest printed\n" + whole);
        assertEquals(first, wholeFirst, task + ": epoch 1");
        assertEquals(second, wholeSecond, task + ": epoch 2 after resuming");
        // the check means something only if the epochs' data differ
        assertNotEquals(
                wholeFirst.stream().map(ResumedDataTest::digest).toList(),
                wholeSecond.stream().map(ResumedDataTest::digest).toList(),
                task + ": both epochs saw the same data");
    }

    /** Trains tiny epochs with the digests printed; returns the digest lines. */
    private static List<String> digests(String task, Path output, int epochs, boolean resume) {
        System.setProperty(DIGESTS, "true");
        try {
            SeglossTrainTest.Run run =
                    resume
                            ? TinyRuns.train(task, output, "--epochs", "" + epochs, "--resume")
                            : TinyRuns.train(task, output, "--epochs", "" + epochs);
            return run.err()
                    .lines()
                    .filter(line -> line.contains("segloss-test: at data "))
                    .toList();
        } finally {
            System.clearProperty(DIGESTS);
        }
    }

    private static List<String> ofEpoch(List<String> lines, int epoch) {
        return lines.stream().filter(line -> line.contains("data " + epoch + ":")).toList();
    }

    private static String digest(String line) {
        return line.substring(line.lastIndexOf(' ') + 1);
    }
}
