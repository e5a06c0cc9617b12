package io.github.segloss.example.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Per-group learning rates ({@code --backbone-lr-scale}): the schedule's rate times the scale for
 * the backbone's parameters, the schedule's rate for the others. DJL's optimizers ask their
 * learning-rate tracker for each parameter by its id, so no optimizer wrapper is needed.
 */
final class BackboneLearningRate implements ParameterTracker {

    private final Tracker schedule;
    private final Set<String> backbone;
    private final float scale;

    private BackboneLearningRate(Tracker schedule, Set<String> backbone, float scale) {
        this.schedule = schedule;
        this.backbone = backbone;
        this.scale = scale;
    }

    /**
     * Returns the schedule with the backbone's rate scaled (the schedule itself for a scale of 1).
     *
     * @param net the model, its parameters created
     * @param schedule the learning-rate schedule of the run
     * @param scale the backbone's factor, 0 or more
     * @return the learning rates per parameter
     */
    static ParameterTracker of(Block net, Tracker schedule, float scale) {
        if (scale == 1f) {
            return schedule;
        }
        Set<String> ids =
                Backbone.parameters(net).stream()
                        .map(Parameter::getId)
                        .collect(Collectors.toUnmodifiableSet());
        return new BackboneLearningRate(schedule, ids, scale);
    }

    /** {@inheritDoc} */
    @Override
    public float getNewValue(String parameterId, int numUpdate) {
        float rate = schedule.getNewValue(numUpdate);
        return backbone.contains(parameterId) ? rate * scale : rate;
    }
}
