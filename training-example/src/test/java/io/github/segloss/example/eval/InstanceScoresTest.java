package io.github.segloss.example.eval;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.segloss.metric.MaskAveragePrecision;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.testng.annotations.Test;

/** The instance scores of a mask checkpoint: merged in any order, they are those of one pass. */
public class InstanceScoresTest {

    private static final int SIDE = 8;

    /** A square mask of side 4 at the given corner. */
    private static boolean[] square(int x0, int y0) {
        boolean[] mask = new boolean[SIDE * SIDE];
        for (int y = y0; y < y0 + 4; y++) {
            for (int x = x0; x < x0 + 4; x++) {
                mask[y * SIDE + x] = true;
            }
        }
        return mask;
    }

    /**
     * Image 0: its prediction hits its ground truth; image 1: its prediction misses. Both score
     * 0.5, so COCOeval's ranking of the two (a tie) follows the images' order.
     */
    private static void addImage(EvaluationCounts counts, int index) {
        boolean[] truth = square(0, 0);
        boolean[] predicted = index == 0 ? square(0, 0) : square(4, 4);
        counts.addInstances(
                index,
                new InstanceScores.Predicted(
                        SIDE,
                        SIDE,
                        new boolean[][] {predicted},
                        new double[] {0.5},
                        new int[] {0},
                        new boolean[][] {truth}));
    }

    private static JsonObject report(EvaluationCounts counts) {
        return MetricsJson.of(List.of("background", "a"), counts);
    }

    /**
     * A crowd region is a ground truth with iscrowd: image 1's prediction misses its object but
     * lies in a crowd region of its class, so COCOeval ignores it instead of counting a false
     * positive, and the AP is that of COCOeval fed with the crowd flag.
     */
    @Test
    public void aDetectionInACrowdRegionIsIgnoredNotAFalsePositive() {
        EvaluationCounts withCrowd = EvaluationCounts.forInstances(2);
        EvaluationCounts withoutCrowd = EvaluationCounts.forInstances(2);
        MaskAveragePrecision reference = new MaskAveragePrecision(1);
        for (int index = 0; index < 2; index++) {
            boolean[] truth = square(0, 0);
            boolean[] predicted = index == 0 ? square(0, 0) : square(4, 4);
            boolean[][] crowds = index == 0 ? new boolean[0][] : new boolean[][] {square(4, 4)};
            int[] crowdClasses = index == 0 ? new int[0] : new int[] {0};
            double[] scores = {index == 0 ? 0.5 : 0.9};
            withCrowd.addInstances(
                    index,
                    new InstanceScores.Predicted(
                            SIDE,
                            SIDE,
                            new boolean[][] {predicted},
                            scores,
                            new int[] {0},
                            new boolean[][] {truth},
                            crowds,
                            crowdClasses));
            withoutCrowd.addInstances(
                    index,
                    new InstanceScores.Predicted(
                            SIDE,
                            SIDE,
                            new boolean[][] {predicted},
                            scores,
                            new int[] {0},
                            new boolean[][] {truth}));
            boolean[][] groundTruths =
                    index == 0 ? new boolean[][] {truth} : new boolean[][] {truth, square(4, 4)};
            reference.addImage(
                    SIDE,
                    SIDE,
                    new boolean[][] {predicted},
                    scores,
                    new int[] {0},
                    groundTruths,
                    index == 0 ? new int[] {0} : new int[] {0, 0},
                    index == 0 ? new boolean[] {false} : new boolean[] {false, true});
        }
        double ap = report(withCrowd).get("AP").getAsDouble();
        double apWithoutCrowd = report(withoutCrowd).get("AP").getAsDouble();
        assertEquals(ap, reference.evaluate().ap(), 0.0);
        assertTrue(
                ap > apWithoutCrowd,
                "the miss is ignored in the crowd region: " + ap + " > " + apWithoutCrowd);
        expectThrows(
                IllegalArgumentException.class,
                () ->
                        withCrowd.addInstances(
                                2,
                                new InstanceScores.Predicted(
                                        SIDE,
                                        SIDE,
                                        new boolean[0][],
                                        new double[0],
                                        new int[0],
                                        new boolean[0][],
                                        new boolean[][] {square(0, 0)},
                                        new int[0])));
    }

    @Test
    public void partsMergedInAnyOrderGiveTheNumbersOfOnePass() throws Exception {
        EvaluationCounts whole = EvaluationCounts.forInstances(2);
        addImage(whole, 0);
        addImage(whole, 1);
        EvaluationCounts first = EvaluationCounts.forInstances(2);
        addImage(first, 0);
        EvaluationCounts second = EvaluationCounts.forInstances(2);
        addImage(second, 1);
        // the later image first, both sent through Java serialization as Spark does
        EvaluationCounts merged = roundTrip(second).merge(roundTrip(first));
        assertEquals(report(merged), report(whole));
        assertEquals(merged.images(), 2L);
        assertEquals(merged.pixels(), 2L * SIDE * SIDE);
        double ap = report(whole).get("AP").getAsDouble();
        assertTrue(ap > 0 && ap < 1, "one hit and one miss: " + ap);
        EvaluationCounts reversed = EvaluationCounts.forInstances(2);
        addImage(reversed, 1);
        addImage(reversed, 0);
        assertEquals(report(reversed), report(whole), "added out of order, evaluated in order");
        // the order matters to COCOeval: the images appended the other way give another AP
        MaskAveragePrecision appended = new MaskAveragePrecision(1);
        for (int index : new int[] {1, 0}) {
            boolean[] truth = square(0, 0);
            appended.addImage(
                    SIDE,
                    SIDE,
                    new boolean[][] {index == 0 ? square(0, 0) : square(4, 4)},
                    new double[] {0.5},
                    new int[] {0},
                    new boolean[][] {truth},
                    new int[] {0},
                    new boolean[1]);
        }
        assertNotEquals(appended.evaluate().ap(), ap, "the tie ranked the other way");
    }

    @Test
    public void metricsJsonNamesTheCocoStatsAndGivesNullForAnUndefinedClass() {
        EvaluationCounts counts = EvaluationCounts.forInstances(3);
        addImage(counts, 0);
        JsonObject json = MetricsJson.of(List.of("background", "a", "b"), counts);
        for (String name : MetricsJson.COCO_STATS) {
            assertTrue(json.has(name), name);
            assertTrue(json.getAsJsonObject("boundary").has(name), "boundary " + name);
        }
        assertEquals(json.get("AP").getAsDouble(), 1.0, 1e-12, "the only prediction hits");
        assertEquals(json.get("meanBoundaryIoU").getAsDouble(), 1.0, 0.0);
        JsonArray classes = json.getAsJsonArray("classes");
        assertEquals(classes.get(0).getAsJsonObject().get("name").getAsString(), "a");
        assertTrue(classes.get(1).getAsJsonObject().get("ap").isJsonNull(), "b has no truth");
        assertTrue(!json.has("mIoU"), "a mask checkpoint has no class map to score");
    }

    @Test
    public void anImageScoredTwiceIsRefused() {
        EvaluationCounts first = EvaluationCounts.forInstances(2);
        addImage(first, 0);
        EvaluationCounts again = EvaluationCounts.forInstances(2);
        addImage(again, 0);
        String message =
                expectThrows(IllegalArgumentException.class, () -> first.merge(again)).getMessage();
        assertTrue(message.contains("image 0"), message);
        message =
                expectThrows(IllegalArgumentException.class, () -> addImage(first, 0)).getMessage();
        assertTrue(message.contains("image 0"), message);
    }

    @Test
    public void semanticCountsTakeNoInstancesAndSkippedCountsMergeIntoInstanceCounts() {
        EvaluationCounts semantic = new EvaluationCounts(2);
        String message =
                expectThrows(IllegalArgumentException.class, () -> addImage(semantic, 0))
                        .getMessage();
        assertTrue(message.contains("forInstances"), message);
        semantic.addBadImage("x.png: corrupt");
        EvaluationCounts counts = EvaluationCounts.forInstances(2);
        addImage(counts, 0);
        counts.merge(semantic);
        assertEquals(counts.badImages(), 1L);
        assertEquals(counts.instances().images(), 1);
        expectThrows(IllegalArgumentException.class, () -> EvaluationCounts.forInstances(1));
    }

    private static EvaluationCounts roundTrip(EvaluationCounts counts) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(counts);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (EvaluationCounts) in.readObject();
        }
    }
}
