package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.testng.ITest;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/** {@link SemanticDataset} batches through DJL on each engine. */
public class SemanticDatasetTest implements ITest {

    private static final List<String> CLASSES = List.of("background", "circle", "square");

    private final String engine;
    private NDManager manager;

    /**
     * Creates the test for one engine.
     *
     * @param engine the engine name
     */
    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public SemanticDatasetTest(String engine) {
        this.engine = engine;
    }

    /** {@inheritDoc} */
    @Override
    public String getTestName() {
        return engine;
    }

    @BeforeMethod
    void openManager() {
        manager = NDManager.newBaseManager(engine);
        assertEquals(manager.getEngine().getEngineName(), engine);
    }

    @AfterMethod(alwaysRun = true)
    void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    private static SemanticDataset.Builder dataset(int count) {
        return SemanticDataset.builder()
                .setSource(DataSources.synthetic(count, 24, CLASSES, 11))
                .optAugmentation(new JointAugmentation(16, 0.5f, 1.5f, true))
                .optSeed(5);
    }

    /** All batches of one epoch as (data values, label values, indices). */
    private List<Object[]> epoch(SemanticDataset dataset) throws Exception {
        List<Object[]> batches = new ArrayList<>();
        for (Batch batch : dataset.getData(manager)) {
            batches.add(
                    new Object[] {
                        batch.getData().head().toFloatArray(),
                        batch.getLabels().head().toIntArray(),
                        batch.getIndices()
                    });
            batch.close();
        }
        return batches;
    }

    private static void assertSameBatches(List<Object[]> a, List<Object[]> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals((float[]) a.get(i)[0], (float[]) b.get(i)[0]);
            assertEquals((int[]) a.get(i)[1], (int[]) b.get(i)[1]);
            assertEquals(a.get(i)[2], b.get(i)[2]);
        }
    }

    @Test
    public void batchesStackFloatImagesAndInt32Labels() throws Exception {
        SemanticDataset dataset = dataset(10).setSampling(4, false).build();
        List<Shape> data = new ArrayList<>();
        for (Batch batch : dataset.getData(manager)) {
            NDList images = batch.getData();
            NDList labels = batch.getLabels();
            data.add(images.head().getShape());
            assertEquals(images.head().getDataType(), DataType.FLOAT32);
            assertEquals(labels.head().getDataType(), DataType.INT32);
            assertEquals(labels.head().getShape(), new Shape(batch.getSize(), 16, 16));
            batch.close();
        }
        assertEquals(
                data,
                List.of(new Shape(4, 3, 16, 16), new Shape(4, 3, 16, 16), new Shape(2, 3, 16, 16)));
    }

    @Test
    public void recordHoldsTheAugmentedSampleOfTheCurrentEpoch() throws Exception {
        SemanticDataset dataset = dataset(6).setSampling(2, false).build();
        Record record = dataset.get(manager, 3);
        Sample expected = dataset.sample(3, 0);
        assertEquals(record.getData().head().getShape(), new Shape(3, 16, 16));
        assertEquals(record.getData().head().toFloatArray(), expected.image());
        assertEquals(record.getLabels().head().toIntArray(), expected.semantic());
    }

    @Test
    public void withoutAugmentationSamplesAreResized() throws Exception {
        SemanticDataset dataset =
                SemanticDataset.builder()
                        .setSource(DataSources.synthetic(3, 24, CLASSES, 11))
                        .optOutputSize(12)
                        .setSampling(3, false)
                        .build();
        Record record = dataset.get(manager, 1);
        Sample expected = JointAugmentation.resizeTo(dataset.sample(1, 0), 12);
        assertEquals(record.getLabels().head().getShape(), new Shape(12, 12));
        assertEquals(record.getLabels().head().toIntArray(), expected.semantic());
    }

    @Test
    public void parallelLoadingGivesTheBatchesOfSequentialLoading() throws Exception {
        List<Object[]> sequential = epoch(dataset(9).setSampling(2, true).build());
        ExecutorService executor = Executors.newFixedThreadPool(3);
        try {
            SemanticDataset parallel =
                    dataset(9)
                            .setSampling(2, true)
                            .optPrefetchNumber(3)
                            .optExecutor(executor)
                            .build();
            assertSameBatches(epoch(parallel), sequential);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    public void sameSeedRepeatsEveryEpochAndEpochsDiffer() throws Exception {
        SemanticDataset a = dataset(6).setSampling(3, true).build();
        SemanticDataset b = dataset(6).setSampling(3, true).build();
        List<Object[]> a0 = epoch(a);
        List<Object[]> a1 = epoch(a);
        assertSameBatches(epoch(b), a0);
        assertSameBatches(epoch(b), a1);
        assertEquals(a.epoch(), 1);
        assertFalse(Arrays.equals((float[]) a0.get(0)[0], (float[]) a1.get(0)[0]));
    }

    @Test
    public void setEpochReplaysTheShuffleAndAugmentationOfAnEpoch() throws Exception {
        SemanticDataset dataset = dataset(6).setSampling(2, true).build();
        epoch(dataset);
        List<Object[]> second = epoch(dataset);
        SemanticDataset resumed = dataset(6).setSampling(2, true).build();
        resumed.setEpoch(1);
        assertSameBatches(epoch(resumed), second);
    }

    @Test
    public void limitCapsTheSizeButNotTheAvailableSamples() throws Exception {
        SemanticDataset dataset = dataset(10).setSampling(4, false).optLimit(5).build();
        assertEquals(dataset.size(), 5);
        int seen = 0;
        for (Batch batch : dataset.getData(manager)) {
            seen += batch.getSize();
            batch.close();
        }
        assertEquals(seen, 5);
    }
}
