package io.github.segloss.benchmarks;

import static org.testng.Assert.assertEquals;

import java.util.List;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The CI guard of issue 5's memory target: a short {@link MemorySoak} of the example's training
 * (150 steps, validation every 50 steps = one synthetic epoch, sampled at each epoch end so that no
 * prefetched batch is counted) keeps the number of live NDArrays constant on each engine. The
 * 2,000-step soak with resident memory is run by hand (see benchmarks/README.md).
 */
public class MemorySoakTest {

    @DataProvider
    public static Object[][] engines() {
        return new Object[][] {{"PyTorch"}, {"MXNet"}};
    }

    @Test(dataProvider = "engines")
    public void liveArraysStayConstantOverTrainingAndValidation(String engine) throws Exception {
        List<MemorySoak.Sample> samples = MemorySoak.run(engine, 150, 50);
        assertEquals(samples.size(), 3);
        long warm = samples.get(0).liveArrays();
        for (MemorySoak.Sample sample : samples) {
            assertEquals(
                    sample.liveArrays(), warm, engine + " live arrays at step " + sample.step());
        }
    }
}
