package io.github.segloss.example.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A linear chart axis from {@code low} to {@code high} with a tick every {@code step}, all "nice"
 * numbers (1, 2 or 5 times a power of ten), after Heckbert's "Nice numbers for graph labels"
 * (Graphics Gems, 1990).
 *
 * @param low the value at the start of the axis
 * @param high the value at the end of the axis, above low
 * @param step the distance between ticks, above 0
 * @param first the first tick, at or above low
 */
record Axis(double low, double high, double step, double first) {

    /** The base of the tick steps' powers. */
    private static final double DECIMAL = 10;

    /**
     * An axis whose ends are ticks and cover [min, max], with at most about {@code maxTicks} ticks.
     * An empty range (min == max) is widened: [0, 1] around 0, else by half the value's magnitude
     * on each side, and min or max that is not finite gives [0, 1].
     */
    static Axis covering(double min, double max, int maxTicks) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            return covering(0, 1, maxTicks);
        }
        if (min == max) {
            double half = min == 0 ? 1 : Math.abs(min) / 2;
            return covering(min == 0 ? 0 : min - half, max + half, maxTicks);
        }
        double step = nice((max - min) / Math.max(1, maxTicks - 1));
        double low = Math.floor(min / step) * step;
        double high = Math.ceil(max / step) * step;
        return new Axis(low, high, step, low);
    }

    /**
     * An axis of whole numbers (epochs) over [min, max] whose ticks are whole multiples of a nice
     * step, at most about {@code maxTicks} of them. A single value gets half a unit either side.
     */
    static Axis wholeNumbers(int min, int max, int maxTicks) {
        if (min == max) {
            return new Axis(min - 0.5, max + 0.5, 1, min);
        }
        double step = Math.max(1, nice((double) (max - min) / Math.max(1, maxTicks - 1)));
        return new Axis(min, max, step, Math.ceil(min / step) * step);
    }

    /** The tick values, from {@link #first} to at most {@link #high}. */
    List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        int count = (int) Math.floor((high - first) / step + 1e-9);
        for (int i = 0; i <= count; i++) {
            double tick = first + i * step;
            ticks.add(Math.abs(tick) < step * 1e-9 ? 0.0 : tick);
        }
        return ticks;
    }

    /** Where a value lies on the axis: 0 at low, 1 at high. */
    double fraction(double value) {
        return (value - low) / (high - low);
    }

    /** A tick's label, with as many decimals as the step needs. */
    String label(double tick) {
        int decimals = (int) Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
        return String.format(Locale.ROOT, "%." + decimals + "f", tick);
    }

    /** The nice number (1, 2 or 5 times a power of ten) closest to a positive value. */
    private static double nice(double value) {
        double power = Math.pow(DECIMAL, Math.floor(Math.log10(value)));
        double fraction = value / power;
        double nice;
        if (fraction < 1.5) {
            nice = 1;
        } else if (fraction < 3) {
            nice = 2;
        } else if (fraction < 7) {
            nice = 5;
        } else {
            nice = 10;
        }
        return nice * power;
    }
}
