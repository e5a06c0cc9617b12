package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.testng.annotations.Test;

/** The synthetic shapes: determinism, consistency of targets, class sets and defaults. */
public class SyntheticSourceTest {

    private static final List<String> ALL =
            List.of("background", "circle", "square", "triangle", "ellipse", "star");

    private static SampleSource shapes(long seed) {
        return DataSources.synthetic(40, 48, ALL, seed);
    }

    private static void assertSameSample(Sample a, Sample b) {
        assertEquals(a.id(), b.id());
        assertEquals(a.image(), b.image());
        assertEquals(a.semantic(), b.semantic());
        assertEquals(a.instances().size(), b.instances().size());
        for (int i = 0; i < a.instances().size(); i++) {
            assertEquals(a.instances().get(i).classIndex(), b.instances().get(i).classIndex());
            assertEquals(a.instances().get(i).box(), b.instances().get(i).box());
            assertEquals(a.instances().get(i).mask(), b.instances().get(i).mask());
        }
    }

    @Test
    public void sameSeedGivesIdenticalSamplesInAnyOrder() {
        SampleSource a = shapes(3);
        SampleSource b = shapes(3);
        for (int i = a.size() - 1; i >= 0; i--) {
            assertSameSample(a.get(i), b.get(i));
        }
        assertSameSample(a.get(7), a.get(7));
    }

    @Test
    public void differentSeedGivesDifferentImages() {
        assertFalse(Arrays.equals(shapes(3).get(0).image(), shapes(4).get(0).image()));
    }

    @Test
    public void samplesHaveTheRequestedSizeAndImageRange() {
        Sample sample = shapes(1).get(0);
        assertEquals(sample.height(), 48);
        assertEquals(sample.width(), 48);
        for (float v : sample.image()) {
            assertTrue(v >= 0 && v <= 1, "value " + v);
        }
    }

    @Test
    public void everyImageHasOneToFourObjects() {
        SampleSource source = shapes(2);
        for (int i = 0; i < source.size(); i++) {
            int n = source.get(i).instances().size();
            assertTrue(n >= 1 && n <= 4, "sample " + i + " has " + n + " objects");
        }
    }

    @Test
    public void instancePixelsCarryTheirClassInTheSemanticMaskAndDoNotOverlap() {
        SampleSource source = shapes(5);
        for (int i = 0; i < source.size(); i++) {
            Sample sample = source.get(i);
            int[] owner = new int[sample.semantic().length];
            for (Instance instance : sample.instances()) {
                for (int p = 0; p < owner.length; p++) {
                    if (instance.mask()[p] != 0) {
                        assertEquals(sample.semantic()[p], instance.classIndex(), "pixel " + p);
                        assertEquals(owner[p], 0, "pixel " + p + " in two instances");
                        owner[p] = 1;
                    }
                }
            }
            for (int p = 0; p < owner.length; p++) {
                if (owner[p] == 0) {
                    assertEquals(sample.semantic()[p], 0, "sample " + i + " pixel " + p);
                }
            }
        }
    }

    @Test
    public void boxesAreTheTightBoxesOfTheMasks() {
        for (Instance instance : shapes(6).get(0).instances()) {
            assertEquals(instance.box(), MaskBoxes.box(instance.mask(), 48));
        }
    }

    @Test
    public void everyShapeClassAppears() {
        Set<Integer> seen = new HashSet<>();
        SampleSource source = shapes(7);
        for (int i = 0; i < source.size(); i++) {
            for (int label : source.get(i).semantic()) {
                seen.add(label);
            }
        }
        assertEquals(seen, Set.of(0, 1, 2, 3, 4, 5));
    }

    @Test
    public void shapeKindsFollowTheClassNamesNotTheirPositions() {
        SampleSource stars = DataSources.synthetic(5, 32, List.of("background", "star"), 9);
        SampleSource circles = DataSources.synthetic(5, 32, List.of("background", "circle"), 9);
        assertNotEquals(stars.get(0).semantic(), circles.get(0).semantic());
        assertEquals(stars.classes(), List.of("background", "star"));
    }

    @Test
    public void circlesFillTheirDiscAndStarsLessThanHalfOfTheirBox() {
        SampleSource circles = DataSources.synthetic(1, 64, List.of("background", "circle"), 1);
        SampleSource stars = DataSources.synthetic(1, 64, List.of("background", "star"), 1);
        Instance circle = circles.get(0).instances().get(circles.get(0).instances().size() - 1);
        Instance star = stars.get(0).instances().get(stars.get(0).instances().size() - 1);
        assertTrue(fill(circle) > 0.7, "circle fills " + fill(circle));
        assertTrue(fill(star) < 0.5, "star fills " + fill(star));
    }

    private static double fill(Instance instance) {
        float[] b = instance.box();
        int area = 0;
        for (byte v : instance.mask()) {
            area += v;
        }
        return area / ((b[2] - b[0]) * (b[3] - b[1]));
    }

    @Test
    public void defaultSyntheticSplitsAreFourClassesOfSixtyFourPixelImages() {
        SampleSource train = DataSources.open("synthetic", null, "train", 0, 1);
        SampleSource val = DataSources.open("synthetic", null, "val", 0, 1);
        assertEquals(train.classes(), List.of("background", "circle", "square", "triangle"));
        assertEquals(train.size(), 200);
        assertEquals(val.size(), 50);
        assertEquals(train.get(0).height(), 64);
        assertFalse(Arrays.equals(train.get(0).image(), val.get(0).image()));
    }

    @Test
    public void unknownShapeIsRejected() {
        Expect.illegalArgument(
                () -> DataSources.synthetic(1, 32, List.of("background", "hexagon"), 0),
                "\"hexagon\"",
                "circle");
    }

    @Test
    public void backgroundMustComeFirst() {
        Expect.illegalArgument(
                () -> DataSources.synthetic(1, 32, List.of("circle", "background"), 0),
                "\"background\" followed by");
    }

    @Test
    public void tinyImagesAreRejected() {
        Expect.illegalArgument(
                () -> DataSources.synthetic(1, 8, List.of("background", "circle"), 0),
                "size",
                "at least 16",
                "got 8");
    }
}
