package io.github.segloss.example.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.util.List;
import org.testng.annotations.Test;

/** {@link Axis}: nice ranges, ticks and labels. */
public class AxisTest {

    @Test
    public void aRangeGetsNiceEndsAndTicks() {
        Axis axis = Axis.covering(0, 0.73, 5);

        assertEquals(axis.low(), 0.0);
        assertEquals(axis.high(), 0.8, 1e-12);
        assertEquals(axis.step(), 0.2, 1e-12);
        assertEquals(axis.ticks().size(), 5);
        assertEquals(axis.label(axis.ticks().get(3)), "0.6");
    }

    @Test
    public void anEmptyRangeIsWidened() {
        Axis zero = Axis.covering(0, 0, 5);
        Axis two = Axis.covering(2, 2, 5);

        assertEquals(List.of(zero.low(), zero.high()), List.of(0.0, 1.0));
        assertTrue(two.low() < 2 && two.high() > 2, two.toString());
    }

    @Test
    public void aRangeThatIsNotFiniteIsZeroToOne() {
        Axis axis = Axis.covering(0, Double.NEGATIVE_INFINITY, 5);

        assertEquals(List.of(axis.low(), axis.high()), List.of(0.0, 1.0));
    }

    @Test
    public void aSingleEpochHasOneTickInTheMiddle() {
        Axis axis = Axis.wholeNumbers(3, 3, 5);

        assertEquals(axis.ticks(), List.of(3.0));
        assertEquals(axis.fraction(3), 0.5);
        assertEquals(axis.label(3), "3");
    }

    @Test
    public void manyEpochsGetWholeTicksAtANiceStep() {
        Axis axis = Axis.wholeNumbers(1, 100, 6);

        assertEquals(axis.ticks(), List.of(20.0, 40.0, 60.0, 80.0, 100.0));
    }

    @Test
    public void fewEpochsGetATickEach() {
        assertEquals(Axis.wholeNumbers(1, 3, 8).ticks(), List.of(1.0, 2.0, 3.0));
    }
}
