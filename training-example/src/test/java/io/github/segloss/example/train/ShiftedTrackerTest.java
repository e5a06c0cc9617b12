package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;

import ai.djl.training.tracker.Tracker;
import org.testng.annotations.Test;

/** {@link ShiftedTracker}: a resumed run continues the learning-rate schedule. */
public class ShiftedTrackerTest {

    @Test
    public void continuesTheScheduleAfterTheStepsAlreadyTaken() {
        Tracker schedule = step -> 1f / (1 + step);
        Tracker resumed = new ShiftedTracker(schedule, 10);
        assertEquals(resumed.getNewValue(0), schedule.getNewValue(10));
        assertEquals(resumed.getNewValue(5), schedule.getNewValue(15));
        assertEquals(new ShiftedTracker(schedule, -3).getNewValue(2), schedule.getNewValue(2));
    }
}
