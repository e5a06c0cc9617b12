package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertSame;
import static org.testng.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.testng.annotations.Test;

/** Joint augmentation: sizes, label sets, exact flips, padding, boxes, and plain resizing. */
public class JointAugmentationTest {

    private static final int H = 10;
    private static final int W = 12;

    /**
     * A 10 x 12 sample: distinct image values, labels 0/1/2 in vertical bands, a big instance in
     * the middle and a small one in the top-left corner.
     */
    private static Sample sample(int height, int width) {
        int plane = height * width;
        float[] image = new float[3 * plane];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i % 97) / 96f;
        }
        int[] semantic = new int[plane];
        byte[] big = new byte[plane];
        byte[] corner = new byte[plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                semantic[y * width + x] = x * 3 / width;
                if (y >= 2 && y < height - 2 && x >= 2 && x < width - 2) {
                    big[y * width + x] = 1;
                }
            }
        }
        corner[0] = 1;
        return new Sample(
                "s",
                height,
                width,
                image,
                semantic,
                List.of(Instance.ofMask(1, big, width), Instance.ofMask(2, corner, width)));
    }

    @Test
    public void outputHasTheRequestedSquareSize() {
        JointAugmentation augmentation = new JointAugmentation(16, 0.5f, 2f, true);
        for (int seed = 0; seed < 20; seed++) {
            Sample out = augmentation.apply(sample(H, W), new Random(seed));
            assertEquals(out.height(), 16);
            assertEquals(out.width(), 16);
            assertEquals(out.image().length, 3 * 256);
            assertEquals(out.semantic().length, 256);
            assertEquals(out.id(), "s");
        }
    }

    @Test
    public void nearestResamplingKeepsLabelsInTheLabelSet() {
        JointAugmentation augmentation = new JointAugmentation(16, 0.3f, 3f, true);
        for (int seed = 0; seed < 30; seed++) {
            Sample out = augmentation.apply(sample(H, W), new Random(seed));
            for (int label : out.semantic()) {
                assertTrue(Set.of(0, 1, 2, 255).contains(label), "label " + label);
            }
            for (Instance instance : out.instances()) {
                for (byte v : instance.mask()) {
                    assertTrue(v == 0 || v == 1, "mask value " + v);
                }
            }
        }
    }

    @Test
    public void scaleOneOfAnImageOfTheOutputSizeIsTheIdentity() {
        Sample in = sample(16, 16);
        Sample out = new JointAugmentation(16, 1, 1, false).apply(in, new Random(1));
        assertEquals(out.image(), in.image());
        assertEquals(out.semantic(), in.semantic());
        assertEquals(out.instances().size(), 2);
        assertEquals(out.instances().get(1).mask(), in.instances().get(1).mask());
    }

    @Test
    public void flipMirrorsImageLabelsMasksAndBoxesExactly() {
        int s = 16;
        int flipped = 0;
        for (int seed = 0; seed < 20; seed++) {
            Sample plain =
                    new JointAugmentation(s, 0.6f, 1.8f, false)
                            .apply(sample(H, W), new Random(seed));
            Sample maybe =
                    new JointAugmentation(s, 0.6f, 1.8f, true)
                            .apply(sample(H, W), new Random(seed));
            if (Arrays.equals(plain.semantic(), maybe.semantic())
                    && Arrays.equals(plain.image(), maybe.image())) {
                continue;
            }
            flipped++;
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    int o = y * s + x;
                    int m = y * s + (s - 1 - x);
                    assertEquals(maybe.semantic()[o], plain.semantic()[m]);
                    for (int c = 0; c < 3; c++) {
                        assertEquals(maybe.image()[c * s * s + o], plain.image()[c * s * s + m]);
                    }
                }
            }
            assertEquals(maybe.instances().size(), plain.instances().size());
            for (int k = 0; k < plain.instances().size(); k++) {
                float[] b = plain.instances().get(k).box();
                assertEquals(
                        maybe.instances().get(k).box(),
                        new float[] {s - b[2], b[1], s - b[0], b[3]});
            }
        }
        assertTrue(flipped > 3 && flipped < 17, flipped + " of 20 flipped");
    }

    @Test
    public void zoomingOutPadsLabelsWith255AndTheImageWithZero() {
        // Scale 0.5 of 20: the longer side 12 becomes 10, so 10 x 12 becomes 8 x 10 in 20 x 20.
        Sample out =
                new JointAugmentation(20, 0.5f, 0.5f, false).apply(sample(H, W), new Random(4));
        int padded = 0;
        for (int i = 0; i < 400; i++) {
            if (out.semantic()[i] == Sample.IGNORE) {
                padded++;
                for (int c = 0; c < 3; c++) {
                    assertEquals(out.image()[c * 400 + i], 0f);
                }
                for (Instance instance : out.instances()) {
                    assertEquals(instance.mask()[i], 0);
                }
            }
        }
        assertEquals(padded, 400 - 8 * 10);
    }

    @Test
    public void zoomingInCropsWithoutPadding() {
        JointAugmentation augmentation = new JointAugmentation(8, 1.5f, 2f, true);
        for (int seed = 0; seed < 10; seed++) {
            for (int label : augmentation.apply(sample(H, W), new Random(seed)).semantic()) {
                assertTrue(label != Sample.IGNORE);
            }
        }
    }

    @Test
    public void boxesAreRecomputedFromTheTransformedMasks() {
        JointAugmentation augmentation = new JointAugmentation(16, 0.5f, 2f, true);
        for (int seed = 0; seed < 20; seed++) {
            for (Instance instance :
                    augmentation.apply(sample(H, W), new Random(seed)).instances()) {
                assertNotNull(MaskBoxes.box(instance.mask(), 16));
                assertEquals(instance.box(), MaskBoxes.box(instance.mask(), 16));
            }
        }
    }

    @Test
    public void instancesCroppedAwayAreDropped() {
        JointAugmentation augmentation = new JointAugmentation(8, 2.5f, 3f, false);
        int dropped = 0;
        for (int seed = 0; seed < 20; seed++) {
            if (augmentation.apply(sample(H, W), new Random(seed)).instances().size() < 2) {
                dropped++;
            }
        }
        assertTrue(dropped > 0, "the corner instance was never cropped away");
    }

    @Test
    public void resizeToInterpolatesTheImageBilinearlyAndLabelsByNearest() {
        float[] image = new float[3 * 4];
        image[1] = 1; // channel 0: row 0 is 0, 1; row 1 is 0, 0
        Sample in = new Sample("r", 2, 2, image, new int[] {1, 2, 3, 4}, List.of());
        Sample out = JointAugmentation.resizeTo(in, 4);
        float[] row0 = Arrays.copyOfRange(out.image(), 0, 4);
        assertEquals(row0, new float[] {0, 0.25f, 0.75f, 1});
        assertEquals(out.semantic(), new int[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
    }

    @Test
    public void resizeToLeavesASampleOfThatSizeAsItIs() {
        Sample in = sample(8, 8);
        assertSame(JointAugmentation.resizeTo(in, 8), in);
    }

    @Test
    public void badScalesAreRejected() {
        Expect.illegalArgument(
                () -> new JointAugmentation(8, 2f, 1f, false), "minScale 2.0", "maxScale 1.0");
        Expect.illegalArgument(
                () -> new JointAugmentation(0, 1f, 1f, false), "outputSize", "got 0");
    }
}
