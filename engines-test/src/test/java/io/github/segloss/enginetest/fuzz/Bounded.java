package io.github.segloss.enginetest.fuzz;

import java.util.List;

/**
 * A float64 value with a bound on the error that float32 arithmetic may make computing it: running
 * error analysis, so that each reference knows how well-conditioned its input is and the tolerance
 * of a case is tight where float32 can be exact and loose only where it cannot (a difference of
 * nearly equal sums, a tiny denominator, a comparison with a value within rounding of the
 * threshold).
 *
 * <p>Every operation adds the propagated input errors (first order, plus the product of errors) and
 * {@link #U} times the result: two float32 ulps, since the engines' {@code exp} and {@code log} are
 * within about one ulp. Sums of n terms add \( n U \sum |v_i| \), the bound of sequential float32
 * summation.
 *
 * @param v the value in float64
 * @param e the bound on the float32 error, >= 0 (infinite where nothing can be said)
 */
public record Bounded(double v, double e) {

    /** The rounding error of one float32 operation: two ulps of the result. */
    public static final double U = 0x1p-23;

    /** Exactly 0. */
    public static final Bounded ZERO = new Bounded(0, 0);

    /** Exactly 1. */
    public static final Bounded ONE = new Bounded(1, 0);

    /**
     * An input value, exact (the engine gets the same number).
     *
     * @param v the value
     * @return the bounded value
     */
    public static Bounded of(double v) {
        return new Bounded(v, 0);
    }

    /**
     * A constant that the library computes in float32 (e.g. {@code 1 - eps}): rounded once.
     *
     * @param v the value
     * @return the bounded value
     */
    public static Bounded rounded(double v) {
        return new Bounded(v, U * Math.abs(v));
    }

    private static Bounded result(double value, double propagated) {
        return new Bounded(value, propagated + U * Math.abs(value));
    }

    /**
     * Returns {@code this + o}.
     *
     * @param o the other term
     * @return the sum
     */
    public Bounded plus(Bounded o) {
        return result(v + o.v, e + o.e);
    }

    /**
     * Returns {@code this + c}.
     *
     * @param c a constant
     * @return the sum
     */
    public Bounded plus(double c) {
        return plus(of(c));
    }

    /**
     * Returns {@code this - o}.
     *
     * @param o the other term
     * @return the difference
     */
    public Bounded minus(Bounded o) {
        return result(v - o.v, e + o.e);
    }

    /**
     * Returns {@code -this} (exact).
     *
     * @return the negation
     */
    public Bounded neg() {
        return new Bounded(-v, e);
    }

    /**
     * Returns {@code this * o}.
     *
     * @param o the other factor
     * @return the product
     */
    public Bounded times(Bounded o) {
        return result(v * o.v, product(v, o.e) + product(o.v, e) + product(e, o.e));
    }

    /**
     * \( |a| \cdot b \) with \( 0 \cdot \infty = 0 \): an exact 0 times an unbounded error is an
     * exact 0 (the product of the errors covers a value near 0).
     */
    private static double product(double a, double b) {
        return a == 0 || b == 0 ? 0 : Math.abs(a) * b;
    }

    /**
     * Returns {@code this * c}.
     *
     * @param c a constant
     * @return the product
     */
    public Bounded times(double c) {
        return times(of(c));
    }

    /**
     * Returns {@code this / o}; unbounded when the divisor's error reaches its size.
     *
     * @param o the divisor, not 0
     * @return the quotient
     */
    public Bounded div(Bounded o) {
        double q = v / o.v;
        double room = Math.abs(o.v) - o.e;
        double propagated = room > 0 ? (e + product(q, o.e)) / room : Double.POSITIVE_INFINITY;
        return result(q, propagated);
    }

    /**
     * Returns \( e^{this} \).
     *
     * @return the exponential
     */
    public Bounded exp() {
        double r = Math.exp(v);
        return result(r, Math.exp(v + e) - r);
    }

    /**
     * Returns \( \ln(this) \); unbounded when the argument's error reaches its size.
     *
     * @return the logarithm
     */
    public Bounded log() {
        double r = Math.log(v);
        double propagated = v > e ? -Math.log1p(-e / v) : Double.POSITIVE_INFINITY;
        return result(r, propagated);
    }

    /**
     * Returns \( \log(1 + e^{x}) \) (softplus), with the error of its float32 form \( [x \gt 0]x +
     * \log(1 + e^{-|x|}) \): the sum \( 1 + e^{-|x|} \) rounds by up to half an ulp of 1, and its
     * logarithm by about one more.
     *
     * @return the softplus
     */
    public Bounded softplus() {
        double r = v > 30 ? v + Math.exp(-v) : Math.log1p(Math.exp(v));
        double slope = 1 / (1 + Math.exp(-v));
        return result(r, slope * e + 2e-7);
    }

    /**
     * Returns \( \sigma(this) \).
     *
     * @return the sigmoid
     */
    public Bounded sigmoid() {
        double r = 1 / (1 + Math.exp(-v));
        return result(r, r * (1 - r) * e);
    }

    /**
     * Returns {@code |this|}.
     *
     * @return the absolute value
     */
    public Bounded abs() {
        return new Bounded(Math.abs(v), e);
    }

    /**
     * Returns the larger of the two.
     *
     * @param o the other value
     * @return the maximum
     */
    public Bounded max(Bounded o) {
        return new Bounded(Math.max(v, o.v), Math.max(e, o.e));
    }

    /**
     * Returns the larger of this and a constant.
     *
     * @param c the constant
     * @return the maximum
     */
    public Bounded max(double c) {
        return max(of(c));
    }

    /**
     * Returns the smaller of the two.
     *
     * @param o the other value
     * @return the minimum
     */
    public Bounded min(Bounded o) {
        return new Bounded(Math.min(v, o.v), Math.max(e, o.e));
    }

    /**
     * Returns {@code this} clamped to {@code [low, high]}.
     *
     * @param low the lower bound
     * @param high the upper bound
     * @return the clamped value
     */
    public Bounded clamp(double low, double high) {
        return max(low).min(of(high));
    }

    /**
     * Returns \( this^\gamma \) for a non-negative value (0 for a negative one), with \( 0^0 = 1
     * \); the error is the largest change over the value's error interval.
     *
     * @param gamma the exponent, >= 0
     * @return the power
     */
    public Bounded pow(double gamma) {
        if (gamma == 0) {
            return ONE;
        }
        if (gamma == 1) {
            return this;
        }
        double base = Math.max(v, 0);
        double r = Math.pow(base, gamma);
        double high = Math.pow(base + e, gamma);
        double low = Math.pow(Math.max(0, base - e), gamma);
        return result(r, Math.max(high - r, r - low));
    }

    /**
     * Tells whether the comparison with {@code o} may go either way in float32.
     *
     * @param o the other value
     * @return true if the error intervals overlap
     */
    public boolean near(Bounded o) {
        return Math.abs(v - o.v) <= e + o.e;
    }

    /**
     * The value of a branch whose condition may go either way: this value, with an error that
     * covers the other branch's value too.
     *
     * @param other the other branch
     * @return the value with the widened error
     */
    public Bounded orElse(Bounded other) {
        return new Bounded(v, Math.max(e, other.e + Math.abs(v - other.v)));
    }

    /**
     * Sums values as float32 summation may: \( \sum e_i + n U \sum |v_i| \).
     *
     * @param terms the terms
     * @return the sum, exactly 0 for none
     */
    public static Bounded sum(List<Bounded> terms) {
        double value = 0;
        double error = 0;
        double magnitude = 0;
        for (Bounded t : terms) {
            value += t.v;
            error += t.e;
            magnitude += Math.abs(t.v);
        }
        return new Bounded(value, error + terms.size() * U * magnitude);
    }
}
