package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertSame;
import static org.testng.Assert.expectThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.testng.annotations.Test;

/** {@link DataChecks} and {@link SkippingSource}: skip, count and log each bad sample once. */
public class SkippingSourceTest {

    /** Samples 0..size-1 of 1x1 pixel; the bad ones throw, and every decode is counted. */
    private static final class Stub implements SampleSource {

        private final int size;
        private final Set<Integer> bad;
        private final AtomicInteger decodes = new AtomicInteger();

        Stub(int size, Set<Integer> bad) {
            this.size = size;
            this.bad = bad;
        }

        @Override
        public List<String> classes() {
            return List.of("background");
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Sample get(int index) {
            decodes.incrementAndGet();
            if (bad.contains(index)) {
                throw new IllegalArgumentException("file" + index + ".png: truncated PNG image");
            }
            return new Sample("s" + index, 1, 1, new float[3], new int[1], List.of());
        }
    }

    private static SkippingSource skipping(Stub stub, DataChecks checks) {
        return new SkippingSource(stub, i -> "file" + i + ".png", checks);
    }

    private static List<String> ids(SampleSource source) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            ids.add(source.get(i).id());
        }
        return ids;
    }

    @Test
    public void strictChecksRethrowTheErrorItself() {
        IllegalArgumentException error = new IllegalArgumentException("x.png: truncated");
        IllegalArgumentException thrown =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> DataChecks.strict().reject("x.png", error));
        assertSame(thrown, error);
    }

    @Test
    public void badSampleGivesItsPlaceToTheNextGoodOneWrappingAround() {
        DataChecks checks = DataChecks.of(100, true, line -> {});
        SkippingSource source = skipping(new Stub(5, Set.of(1, 2, 4)), checks);
        assertEquals(ids(source), List.of("s0", "s3", "s3", "s3", "s0"));
        assertEquals(checks.skippedSamples(), 3);
    }

    @Test
    public void aBadSampleIsLoggedOnceAndNeverDecodedAgain() {
        List<String> log = new ArrayList<>();
        DataChecks checks = DataChecks.of(100, true, log::add);
        Stub stub = new Stub(4, Set.of(2));
        SkippingSource source = skipping(stub, checks);
        ids(source);
        int firstEpoch = stub.decodes.get();
        ids(source);
        assertEquals(firstEpoch, 5, "sample 2 is tried once, then sample 3 takes its place");
        assertEquals(stub.decodes.get() - firstEpoch, 4, "the second epoch skips sample 2 at once");
        assertEquals(log, List.of("skipped bad sample: file2.png: truncated PNG image"));
    }

    @Test
    public void loaderThreadsCountEachBadSampleOnce() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        DataChecks checks = DataChecks.of(100, true, log::add);
        SkippingSource source = skipping(new Stub(64, Set.of(3, 17, 18, 40, 63)), checks);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> loads = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < source.size(); i++) {
                    int index = i;
                    loads.add(threads.submit(() -> source.get(index).id()));
                }
            }
            for (int k = 0; k < loads.size(); k++) {
                int i = k % 64;
                int expected =
                        i == 3 ? 4 : i == 17 || i == 18 ? 19 : i == 40 ? 41 : i == 63 ? 0 : i;
                assertEquals(loads.get(k).get(), "s" + expected, "sample " + i);
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(checks.skippedSamples(), 5);
        assertEquals(log.size(), 5, String.valueOf(log));
    }

    @Test
    public void aSourceOfBadSamplesOnlyIsAnErrorNamingOne() {
        DataChecks checks = DataChecks.of(100, true, line -> {});
        SkippingSource source = skipping(new Stub(3, Set.of(0, 1, 2)), checks);
        Expect.illegalArgument(
                () -> source.get(1),
                "all 3 samples of the split are bad",
                "file1.png: truncated PNG image");
    }

    @Test
    public void aPixelLimitBelowOneIsRefused() {
        Expect.illegalArgument(
                () -> DataChecks.of(0, false, line -> {}), "--max-image-pixels must be >= 1");
    }
}
