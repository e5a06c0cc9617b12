package io.github.segloss.example.eval;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.Test;

/** The counts of an evaluation: exact, mergeable, bounded. */
public class EvaluationCountsTest {

    @Test
    public void ignoredPixelsAreCountedAsPixelsButNotInTheMatrix() {
        EvaluationCounts counts = new EvaluationCounts(3);
        counts.addImage(new int[] {0, 1, 255, 2}, new int[] {0, 2, 1, 2});
        assertEquals(counts.confusionMatrix(), new long[][] {{1, 0, 0}, {0, 0, 1}, {0, 0, 1}});
        assertEquals(counts.images(), 1L);
        assertEquals(counts.pixels(), 4L);
    }

    @Test
    public void mergingPartsGivesTheCountsOfTheWhole() {
        EvaluationCounts whole = new EvaluationCounts(2);
        EvaluationCounts first = new EvaluationCounts(2);
        EvaluationCounts second = new EvaluationCounts(2);
        int[][] labels = {{0, 1}, {1, 1}, {0, 0}};
        int[][] predicted = {{1, 1}, {0, 1}, {0, 0}};
        for (int i = 0; i < 3; i++) {
            whole.addImage(labels[i], predicted[i]);
            (i == 0 ? first : second).addImage(labels[i], predicted[i]);
        }
        whole.addBadImage("a.png: corrupt");
        second.addBadImage("a.png: corrupt");
        EvaluationCounts merged = first.merge(second);
        assertEquals(merged.confusionMatrix(), whole.confusionMatrix());
        assertEquals(merged.images(), 3L);
        assertEquals(merged.pixels(), 6L);
        assertEquals(merged.badImages(), 1L);
        assertEquals(merged.badLines(), whole.badLines());
    }

    @Test
    public void badLinesAreCappedButCountedExactly() {
        EvaluationCounts counts = new EvaluationCounts(1);
        for (int i = 0; i < EvaluationCounts.KEPT_BAD_LINES + 5; i++) {
            counts.addBadImage("bad " + i);
        }
        EvaluationCounts other = new EvaluationCounts(1);
        other.addBadImage("one more");
        counts.merge(other);
        assertEquals(counts.badImages(), EvaluationCounts.KEPT_BAD_LINES + 6L);
        assertEquals(counts.badLines().size(), EvaluationCounts.KEPT_BAD_LINES);
    }

    @Test
    public void aLabelOutOfRangeIsRefusedAndNothingIsCounted() {
        EvaluationCounts counts = new EvaluationCounts(2);
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> counts.addImage(new int[] {0, 7}, new int[] {0, 1}));
        assertTrue(e.getMessage().contains("got label 7"), e.getMessage());
        assertEquals(counts.images(), 0L);
        assertEquals(counts.confusionMatrix(), new long[2][2]);
    }

    @Test
    public void countsOfOtherClassesDoNotMerge() {
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> new EvaluationCounts(2).merge(new EvaluationCounts(3)));
        assertEquals(e.getMessage(), "other must count 2 classes, got 3 classes");
    }

    @Test
    public void predictionsOfAnotherSizeAreRefused() {
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> new EvaluationCounts(2).addImage(new int[] {0, 1}, new int[] {0}));
        assertEquals(e.getMessage(), "predicted must have as many pixels as labels (2), got 1");
    }
}
