package io.github.segloss.example.train;

import ai.djl.training.tracker.PolynomialDecayTracker;
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

    /**
     * PSPNet's "poly" schedule, \( lr \cdot (1 - step / steps)^{0.9} \) down to \( 10^{-3} lr \),
     * continued after the steps a resumed run already took.
     *
     * @param learningRate the base learning rate
     * @param steps the steps of the whole run
     * @param done the steps taken before this run
     * @return the schedule
     */
    static Tracker poly(float learningRate, int steps, int done) {
        return new ShiftedTracker(
                PolynomialDecayTracker.builder()
                        .setBaseValue(learningRate)
                        .setEndLearningRate(learningRate * 1e-3f)
                        .setDecaySteps(Math.max(1, steps))
                        .optPower(0.9f)
                        .build(),
                done);
    }

    /** {@inheritDoc} */
    @Override
    public float getNewValue(int numUpdate) {
        return schedule.getNewValue(numUpdate + offset);
    }
}
