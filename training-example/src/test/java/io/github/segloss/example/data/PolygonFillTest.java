package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;

import org.testng.annotations.Test;

/** Even-odd polygon fill at pixel centres. */
public class PolygonFillTest {

    private static byte[] fill(int height, int width, float[]... polygons) {
        byte[] mask = new byte[height * width];
        for (float[] polygon : polygons) {
            PolygonFill.fill(polygon, height, width, mask);
        }
        return mask;
    }

    @Test
    public void rectangleWithWholeCornersCoversExactlyItsArea() {
        byte[] mask = fill(5, 6, new float[] {1, 1, 4, 1, 4, 3, 1, 3});
        assertEquals(
                mask,
                new byte[] {
                    0, 0, 0, 0, 0, 0,
                    0, 1, 1, 1, 0, 0,
                    0, 1, 1, 1, 0, 0,
                    0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0,
                });
    }

    @Test
    public void pixelIsInsideWhenItsCentreIs() {
        // A triangle through (0, 0), (4, 0), (0, 4): centre (x + 0.5, y + 0.5) inside iff x + y <
        // 3.
        byte[] mask = fill(4, 4, new float[] {0, 0, 4, 0, 0, 4});
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(mask[y * 4 + x], x + y < 3 ? 1 : 0, "x=" + x + ", y=" + y);
            }
        }
    }

    @Test
    public void polygonsOfOneAnnotationAreUnited() {
        byte[] mask =
                fill(
                        2,
                        4,
                        new float[] {0, 0, 2, 0, 2, 2, 0, 2},
                        new float[] {1, 0, 4, 0, 4, 1, 1, 1});
        assertEquals(mask, new byte[] {1, 1, 1, 1, 1, 1, 0, 0});
    }

    @Test
    public void selfOverlappingLoopFollowsTheEvenOddRule() {
        // Outer square 0..4 then inner square 1..3 traced in one ring via a zero-width bridge:
        // the inner square is crossed twice and stays empty.
        float[] ring = {0, 0, 4, 0, 4, 4, 0, 4, 0, 0, 1, 1, 1, 3, 3, 3, 3, 1, 1, 1};
        byte[] mask = fill(4, 4, ring);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                boolean hole = x >= 1 && x < 3 && y >= 1 && y < 3;
                assertEquals(mask[y * 4 + x], hole ? 0 : 1, "x=" + x + ", y=" + y);
            }
        }
    }

    @Test
    public void verticesOutsideTheImageAreClipped() {
        byte[] mask = fill(2, 2, new float[] {-5, -5, 9, -5, 9, 9, -5, 9});
        assertEquals(mask, new byte[] {1, 1, 1, 1});
    }

    @Test
    public void fewerThanThreeVerticesFillNothing() {
        assertEquals(fill(2, 2, new float[] {0, 0, 2, 2}), new byte[4]);
    }
}
