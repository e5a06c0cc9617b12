package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.testng.annotations.Test;

/** pycocotools' compressed RLE strings and column-major run lengths. */
public class CocoRleTest {

    /**
     * Encodes run lengths as pycocotools' {@code rleToString} does, written from its description:
     * from the fourth count on, store the difference from the count two places before; emit 5 bits
     * per character (value + 48), low bits first, with 0x20 on all but the last character, which
     * ends once the rest is the sign extension of its bit 0x10.
     */
    static String encode(long[] runs) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < runs.length; i++) {
            long x = i > 2 ? runs[i] - runs[i - 2] : runs[i];
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                s.append((char) (c + 48));
            }
        }
        return s.toString();
    }

    @Test
    public void smallCountsAreOneCharacterEach() {
        // Runs 2, 3, 1 are stored as they are; 4 and 2 as 4 - 3 = 1 and 2 - 1 = 1.
        assertEquals(CocoRle.decodeString("23111", "t"), new long[] {2, 3, 1, 4, 2});
    }

    @Test
    public void negativeDifferenceIsSignExtended() {
        // Run 1 after runs 1, 5, 2 is stored as 1 - 5 = -4: 5 bits 11100 = 28, char 28 + 48 = 'L'.
        assertEquals(CocoRle.decodeString("152L1", "t"), new long[] {1, 5, 2, 1, 3});
    }

    @Test
    public void countsFromSixteenTakeTwoCharacters() {
        // 17 = 10001: low 5 bits 17 with continuation 0x20 -> 49 + 48 = 'a', then 0 -> '0'.
        // 20 = 10100: 20 | 0x20 = 52 -> 'd', then '0'.
        assertEquals(CocoRle.decodeString("a03d0", "t"), new long[] {17, 3, 20});
    }

    @Test
    public void runsFillTheMaskColumnByColumn() {
        // 3 x 4 mask, runs 1, 5, 2, 1, 3 over column-major positions: ones at 1..5 and 8.
        byte[] mask = CocoRle.toMask(new long[] {1, 5, 2, 1, 3}, 3, 4, "t");
        assertEquals(
                mask,
                new byte[] {
                    0, 1, 0, 0,
                    1, 1, 0, 0,
                    1, 1, 1, 0,
                });
    }

    @Test
    public void decodingInvertsEncodingOfRandomMasks() {
        Random random = new Random(5);
        for (int trial = 0; trial < 50; trial++) {
            List<Long> runs = new ArrayList<>();
            int runCount = 1 + random.nextInt(12);
            for (int i = 0; i < runCount; i++) {
                runs.add((long) (i == 0 ? random.nextInt(3) : 1 + random.nextInt(5000)));
            }
            long[] expected = runs.stream().mapToLong(Long::longValue).toArray();
            assertEquals(CocoRle.decodeString(encode(expected), "t"), expected);
        }
    }

    @Test
    public void characterOutsideTheAlphabetIsRejected() {
        Expect.illegalArgument(
                () -> CocoRle.decodeString("12 3", "f.json: ann"),
                "f.json: ann",
                "character ' ' at 2");
    }

    @Test
    public void stringEndingInsideACountIsRejected() {
        Expect.illegalArgument(
                () -> CocoRle.decodeString("1a", "f.json: ann"), "ends inside a count");
    }

    @Test
    public void runsThatMissTheMaskSizeAreRejected() {
        Expect.illegalArgument(
                () -> CocoRle.toMask(new long[] {3, 4}, 3, 4, "f.json: ann"),
                "f.json: ann",
                "add up to 7",
                "= 12");
    }
}
