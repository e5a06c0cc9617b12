package io.github.segloss.example.train;

import ai.djl.training.tracker.Tracker;

/**
 * A learning-rate schedule continued after {@code offset} steps, so that a resumed run (whose new
 * optimizer counts its updates from 0 again) follows the schedule from where the first run stopped.
 */
final class ShiftedTracker implements Tracker {

    private final Tracker schedule;
    private final int offset;

    /**
     * Creates the shifted schedule.
     *
     * @param schedule the schedule of the whole run
     * @param offset the steps already taken, 0 or more
     */
    ShiftedTracker(Tracker schedule, int offset) {
        this.schedule = schedule;
        this.offset = Math.max(0, offset);
    }

    /** {@inheritDoc} */
    @Override
    public float getNewValue(int numUpdate) {
        return schedule.getNewValue(numUpdate + offset);
    }
}
