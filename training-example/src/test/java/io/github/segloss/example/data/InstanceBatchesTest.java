package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.testng.annotations.Test;

/** {@link InstanceBatches}: gathering, class ids, jitter, dropping and reproducibility. */
public class InstanceBatchesTest {

    private static final List<String> CLASSES = List.of("background", "circle", "square");
    private static final int SIZE = 32;

    private static SampleSource synthetic(int count) {
        return DataSources.synthetic(count, SIZE, CLASSES, 7);
    }

    private static InstanceBatches validation(SampleSource source, int batchSize) {
        return new InstanceBatches(source, null, SIZE, batchSize, false, 0, 1, 0);
    }

    private static InstanceBatches training(SampleSource source, float jitter) {
        return new InstanceBatches(
                source,
                new JointAugmentation(SIZE, 0.75f, 1.25f, true),
                SIZE,
                3,
                true,
                jitter,
                1,
                0);
    }

    @Test
    public void gathersEveryInstanceWithItsImageClassIdMinusOneAndMask() {
        SampleSource source = synthetic(5);
        InstanceBatch batch = validation(source, 5).batch(0, 0);
        assertEquals(batch.images(), 5);
        int r = 0;
        for (int i = 0; i < 5; i++) {
            Sample sample = source.get(i);
            for (Instance instance : sample.instances()) {
                assertEquals(batch.batchIndices()[r], i);
                assertEquals(batch.classIds()[r], instance.classIndex() - 1);
                assertEquals(Arrays.copyOfRange(batch.boxes(), 4 * r, 4 * r + 4), instance.box());
                for (int p = 0; p < SIZE * SIZE; p += 37) {
                    assertEquals(batch.masks()[r * SIZE * SIZE + p], (float) instance.mask()[p]);
                }
                r++;
            }
            assertEquals(
                    Arrays.copyOfRange(
                            batch.pixels(), i * 3 * SIZE * SIZE, (i + 1) * 3 * SIZE * SIZE),
                    sample.image());
        }
        assertEquals(batch.instances(), r);
    }

    @Test
    public void jitterMovesEachCoordinateByAtMostItsShareOfTheBoxInsideTheImage() {
        SampleSource source = synthetic(6);
        InstanceBatches still = training(source, 0);
        InstanceBatches jittered = training(source, 0.1f);
        boolean moved = false;
        for (int b = 0; b < still.size(); b++) {
            InstanceBatch tight = still.batch(0, b);
            InstanceBatch loose = jittered.batch(0, b);
            assertEquals(loose.batchIndices(), tight.batchIndices(), "same images and instances");
            assertEquals(loose.masks(), tight.masks());
            for (int r = 0; r < tight.instances(); r++) {
                float width = tight.boxes()[4 * r + 2] - tight.boxes()[4 * r];
                float height = tight.boxes()[4 * r + 3] - tight.boxes()[4 * r + 1];
                for (int k = 0; k < 4; k++) {
                    float before = tight.boxes()[4 * r + k];
                    float after = loose.boxes()[4 * r + k];
                    float limit = 0.1f * (k % 2 == 0 ? width : height) + 1e-4f;
                    assertTrue(Math.abs(after - before) <= limit, before + " -> " + after);
                    assertTrue(after >= 0 && after <= SIZE, "inside the image: " + after);
                    moved |= after != before;
                }
                assertTrue(loose.boxes()[4 * r + 2] - loose.boxes()[4 * r] >= 1);
                assertTrue(loose.boxes()[4 * r + 3] - loose.boxes()[4 * r + 1] >= 1);
            }
        }
        assertTrue(moved, "some box moved");
    }

    @Test
    public void batchesAreReproducibleAndEpochsShuffleDifferently() {
        SampleSource source = synthetic(12);
        InstanceBatch first = training(source, 0.1f).batch(3, 1);
        InstanceBatch again = training(source, 0.1f).batch(3, 1);
        assertEquals(again.boxes(), first.boxes());
        assertEquals(again.pixels(), first.pixels());
        assertNotEquals(training(source, 0.1f).batch(4, 1).pixels(), first.pixels());
    }

    @Test
    public void imagesWithoutInstancesAreDroppedAndAnEmptyBatchHasNoRois() {
        SampleSource synthetic = synthetic(2);
        Sample empty =
                new Sample(
                        "empty",
                        SIZE,
                        SIZE,
                        new float[3 * SIZE * SIZE],
                        new int[SIZE * SIZE],
                        List.of());
        SampleSource source = new ListSource(List.of(empty, synthetic.get(0), empty, empty));
        InstanceBatches batches = validation(source, 2);
        InstanceBatch mixed = batches.batch(0, 0);
        assertEquals(mixed.images(), 1);
        assertTrue(mixed.instances() > 0);
        assertTrue(Arrays.stream(mixed.batchIndices()).allMatch(i -> i == 0));
        InstanceBatch none = batches.batch(0, 1);
        assertEquals(none.images(), 0);
        assertEquals(none.instances(), 0);
        assertEquals(none.pixels().length, 0);
    }

    @Test
    public void maxBatchesCapsTheEpochAndLoadingAheadGivesTheSameBatches() {
        SampleSource source = synthetic(10);
        InstanceBatches batches =
                new InstanceBatches(
                        source,
                        new JointAugmentation(SIZE, 0.75f, 1.25f, true),
                        SIZE,
                        3,
                        true,
                        0.1f,
                        5,
                        3);
        assertEquals(batches.size(), 3);
        assertEquals(validation(source, 3).size(), 4, "10 samples in batches of 3");
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<InstanceBatch> loaded = new ArrayList<>();
            batches.epoch(2, executor, 2).forEach(loaded::add);
            assertEquals(loaded.size(), 3);
            for (int b = 0; b < 3; b++) {
                assertEquals(loaded.get(b).boxes(), batches.batch(2, b).boxes());
            }
        } finally {
            executor.shutdownNow();
        }
        List<InstanceBatch> direct = new ArrayList<>();
        batches.epoch(2, null, 1).forEach(direct::add);
        assertEquals(direct.size(), 3);
    }

    @Test
    public void badFilesSurfaceAsTheirOwnErrorWhenLoadingAhead() {
        SampleSource broken =
                new ListSource(List.of()) {
                    @Override
                    public int size() {
                        return 4;
                    }

                    @Override
                    public Sample get(int index) {
                        throw new IllegalArgumentException("bad file " + index);
                    }
                };
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            var iterator = validation(broken, 2).epoch(0, executor, 2).iterator();
            IllegalArgumentException e =
                    expectThrows(IllegalArgumentException.class, iterator::next);
            assertTrue(e.getMessage().startsWith("bad file"), e.getMessage());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    public void badSettingsAreRejected() {
        SampleSource source = synthetic(2);
        assertThrows(
                IllegalArgumentException.class,
                () -> new InstanceBatches(source, null, SIZE, 0, false, 0, 1, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new InstanceBatches(source, null, SIZE, 2, false, 0.5f, 1, 0));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new InstanceBatches(
                                source,
                                new JointAugmentation(64, 1, 1, false),
                                SIZE,
                                2,
                                true,
                                0,
                                1,
                                0));
        assertFalse(validation(source, 2).classes().isEmpty());
    }

    /** A sample of {@code count} one-pixel instances of alternating classes. */
    private static Sample crowded(String id, int count) {
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] mask = new byte[SIZE * SIZE];
            mask[i % (SIZE * SIZE)] = 1;
            instances.add(Instance.ofMask(1 + i % 2, mask, SIZE));
        }
        return new Sample(
                id, SIZE, SIZE, new float[3 * SIZE * SIZE], new int[SIZE * SIZE], instances);
    }

    private static InstanceBatches capped(SampleSource source, long seed, int cap) {
        return new InstanceBatches(source, null, SIZE, 2, true, 0.1f, seed, 0)
                .optMaxRoisPerImage(cap);
    }

    /** The first mask pixel of each RoI of image b: which instances were kept. */
    private static List<Integer> kept(InstanceBatch batch, int b) {
        List<Integer> pixels = new ArrayList<>();
        for (int r = 0; r < batch.instances(); r++) {
            if (batch.batchIndices()[r] == b) {
                int p = 0;
                while (batch.masks()[r * SIZE * SIZE + p] == 0) {
                    p++;
                }
                pixels.add(p);
            }
        }
        return pixels;
    }

    @Test
    public void anImageWithMoreInstancesThanTheCapKeepsASeededSampleOfTheCap() {
        SampleSource source = new ListSource(List.of(crowded("many", 300), crowded("few", 3)));
        InstanceBatches batches = capped(source, 5, 40);
        InstanceBatch batch = batches.batch(0, 0);
        int many = batch.batchIndices()[0] == 0 && kept(batch, 0).size() == 40 ? 0 : 1;
        List<Integer> sample = kept(batch, many);
        assertEquals(sample.size(), 40, "the crowded image keeps the cap");
        assertEquals(kept(batch, 1 - many).size(), 3, "an image under the cap keeps everything");
        assertEquals(batch.instances(), 43);
        assertEquals(sample.stream().distinct().count(), 40L, "distinct instances");
        assertEquals(sample, sample.stream().sorted().toList(), "in their original order");
        assertTrue(sample.get(39) > 40, "drawn from all 300, not the first 40: " + sample);
        assertEquals(batches.cappedImages(), 1);
        // reproducible for the seed and the epoch, another sample for another seed or epoch
        InstanceBatch again = capped(source, 5, 40).batch(0, 0);
        assertEquals(again.boxes(), batch.boxes());
        assertEquals(again.classIds(), batch.classIds());
        assertEquals(again.masks(), batch.masks());
        InstanceBatch otherSeed = capped(source, 6, 40).batch(0, 0);
        InstanceBatch otherEpoch = capped(source, 5, 40).batch(1, 0);
        assertNotEquals(kept(otherSeed, kept(otherSeed, 0).size() == 40 ? 0 : 1), sample);
        assertNotEquals(kept(otherEpoch, kept(otherEpoch, 0).size() == 40 ? 0 : 1), sample);
        // without a cap every instance is kept
        assertEquals(
                new InstanceBatches(source, null, SIZE, 2, true, 0.1f, 5, 0)
                        .batch(0, 0)
                        .instances(),
                303);
        assertThrows(IllegalArgumentException.class, () -> capped(source, 5, 0));
    }

    @Test
    public void slicesHoldEveryInstanceOnceWithItsImage() {
        SampleSource source =
                new ListSource(List.of(crowded("a", 7), synthetic(1).get(0), crowded("b", 12)));
        InstanceBatch batch = validation(source, 3).batch(0, 0);
        int plane = SIZE * SIZE;
        for (int maxRois : new int[] {1, 5, 8, batch.instances()}) {
            List<InstanceBatch> slices = batch.slices(maxRois);
            int r = 0;
            for (InstanceBatch slice : slices) {
                assertTrue(slice.instances() <= maxRois && slice.instances() > 0);
                for (int s = 0; s < slice.instances(); s++, r++) {
                    assertEquals(slice.classIds()[s], batch.classIds()[r]);
                    assertEquals(
                            Arrays.copyOfRange(slice.boxes(), 4 * s, 4 * s + 4),
                            Arrays.copyOfRange(batch.boxes(), 4 * r, 4 * r + 4));
                    assertEquals(
                            Arrays.copyOfRange(slice.masks(), s * plane, (s + 1) * plane),
                            Arrays.copyOfRange(batch.masks(), r * plane, (r + 1) * plane));
                    int image = slice.batchIndices()[s];
                    int original = batch.batchIndices()[r];
                    assertEquals(
                            Arrays.copyOfRange(
                                    slice.pixels(), image * 3 * plane, (image + 1) * 3 * plane),
                            Arrays.copyOfRange(
                                    batch.pixels(),
                                    original * 3 * plane,
                                    (original + 1) * 3 * plane));
                }
                assertEquals(slice.images(), slice.batchIndices()[slice.instances() - 1] + 1);
            }
            assertEquals(r, batch.instances(), "every instance once, for " + maxRois);
        }
        assertEquals(batch.slices(batch.instances()), List.of(batch));
        assertThrows(IllegalArgumentException.class, () -> batch.slices(0));
    }

    /** A source over fixed samples. */
    private static class ListSource implements SampleSource {

        private final List<Sample> samples;

        ListSource(List<Sample> samples) {
            this.samples = samples;
        }

        @Override
        public List<String> classes() {
            return CLASSES;
        }

        @Override
        public int size() {
            return samples.size();
        }

        @Override
        public Sample get(int index) {
            return samples.get(index);
        }
    }
}
