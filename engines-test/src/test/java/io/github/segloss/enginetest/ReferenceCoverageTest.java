package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.testng.annotations.Test;

/**
 * Every reference case is run by exactly one test class: each kind of case that {@link
 * ReferenceCaseRunner} runs belongs to one {@link ReferenceCaseTest} subclass (named after the
 * loss, or {@link TargetsTest} for the target functions), and every other case is a metric case of
 * {@link MetricConformanceTest}. Engine independent: it only reads the reference files.
 */
public class ReferenceCoverageTest {

    /**
     * The metric kinds, run by {@link MetricConformanceTest}, SegmentationReport's, run by {@link
     * SegmentationReportTest}, and BoundaryIoU's, run by {@link BoundaryIoUTest}.
     */
    private static final Set<String> METRICS =
            Set.of(
                    "MeanIoU",
                    "MaskRcnnMaskMetrics",
                    "SegmentationReport",
                    "SurfaceDistance",
                    "SurfaceDice",
                    "BoundaryIoU",
                    "BoundaryIoUPair",
                    "MaskAveragePrecision",
                    "MaskAveragePrecisionFuzz");

    /** Every class that runs reference cases; the engine name only labels the instance. */
    private static List<ReferenceCaseTest> owners() {
        String engine = Engines.NAMES[0];
        return List.of(
                new PixelCrossEntropyLossTest(engine),
                new DeepSupervisionLossTest(engine),
                new MaskRcnnMaskLossTest(engine),
                new MaskedL2LossTest(engine),
                new DiceLossTest(engine),
                new JaccardLossTest(engine),
                new TverskyLossTest(engine),
                new FocalLossTest(engine),
                new LovaszLossTest(engine),
                new OhemCrossEntropyLossTest(engine),
                new BinaryCrossEntropyLossTest(engine),
                new WeightedSumLossTest(engine),
                new PointSampledMaskLossTest(engine),
                new TargetsTest(engine),
                new GeneralizedDiceLossTest(engine),
                new MccLossTest(engine),
                new DistanceMapsTest(engine),
                new BoundaryLossTest(engine),
                new HausdorffDTLossTest(engine),
                new SemanticPredictionsTest(engine),
                new InstanceMasksTest(engine));
    }

    @Test
    public void everyKindHasExactlyOneTestClass() {
        Map<String, String> ownerOf = new HashMap<>();
        for (ReferenceCaseTest test : owners()) {
            for (String kind : test.kinds()) {
                String before = ownerOf.put(kind, test.getClass().getSimpleName());
                assertEquals(before, null, kind + " is run by two classes");
            }
        }
        assertEquals(ownerOf.keySet(), ReferenceCaseRunner.KINDS);
    }

    @Test
    public void everyReferenceCaseIsRun() {
        for (ReferenceCase c : ReferenceCase.loadAll()) {
            assertTrue(
                    ReferenceCaseRunner.KINDS.contains(c.loss()) || METRICS.contains(c.loss()),
                    c.name() + " of " + c.file() + ": no test class runs kind " + c.loss());
        }
    }
}
