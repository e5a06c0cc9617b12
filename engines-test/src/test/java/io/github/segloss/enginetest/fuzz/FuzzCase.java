package io.github.segloss.enginetest.fuzz;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One fuzz case: its seed, its random source (every draw comes from it, so the seed alone
 * reproduces the case), the manager its arrays belong to, and a description of what was drawn that
 * failure messages quote.
 */
public final class FuzzCase {

    private final String suite;
    private final long seed;
    private final String engine;
    private final NDManager manager;
    private final SplittableRandom random;
    private final StringBuilder description = new StringBuilder();
    private String invalidArgument;
    private boolean loose;

    /**
     * Creates a case.
     *
     * @param suite the suite's name
     * @param seed the case seed
     * @param engine the engine's name
     * @param manager the case's manager, closed by the runner
     */
    FuzzCase(String suite, long seed, String engine, NDManager manager) {
        this.suite = suite;
        this.seed = seed;
        this.engine = engine;
        this.manager = manager;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Returns the case's id for {@code -Dsegloss.fuzz.case}: {@code suite/seed} with the seed in
     * hex.
     *
     * @return the id
     */
    public String id() {
        return suite + "/" + Long.toHexString(seed);
    }

    /**
     * Returns the engine.
     *
     * @return the engine
     */
    public Engine engine() {
        return Engine.getEngine(engine);
    }

    /**
     * Returns the case's manager.
     *
     * @return the manager
     */
    public NDManager manager() {
        return manager;
    }

    /**
     * Records a drawn setting in the description.
     *
     * @param key the setting
     * @param value its value
     * @return this case
     */
    public FuzzCase describe(String key, Object value) {
        if (description.length() > 0) {
            description.append(", ");
        }
        description.append(key).append('=').append(value);
        return this;
    }

    /**
     * Returns the description of what was drawn.
     *
     * @return the description
     */
    public String description() {
        return description.toString();
    }

    /**
     * Marks the case's input as invalid: it must raise an {@link IllegalArgumentException} whose
     * message names the argument. The first mark counts (the input is checked in order).
     *
     * @param argument the argument's name, which the message must contain
     * @param why what is invalid, for the description
     */
    public void markInvalid(String argument, String why) {
        if (invalidArgument == null) {
            invalidArgument = argument;
        }
        describe("invalid " + argument, why);
    }

    /**
     * Tells whether the input was marked invalid.
     *
     * @return true for invalid input
     */
    public boolean isInvalid() {
        return invalidArgument != null;
    }

    /**
     * Returns the name of the invalid argument, which the exception's message must contain.
     *
     * @return the argument's name, null for valid input
     */
    public String invalidArgument() {
        return invalidArgument;
    }

    /** Records that the float32 error bound of the reference left a wide tolerance. */
    public void markLoose() {
        loose = true;
    }

    /**
     * Tells whether the case was only loosely compared (its input is ill-conditioned in float32).
     *
     * @return true if loose
     */
    public boolean isLoose() {
        return loose;
    }

    /**
     * Draws an int in {@code [low, high]}.
     *
     * @param low the smallest value
     * @param high the largest value
     * @return the draw
     */
    public int intIn(int low, int high) {
        return random.nextInt(low, high + 1);
    }

    /**
     * Draws true with probability {@code p}.
     *
     * @param p the probability
     * @return the draw
     */
    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /**
     * Draws a double in {@code [low, high)}.
     *
     * @param low the lower bound
     * @param high the upper bound
     * @return the draw
     */
    public double uniform(double low, double high) {
        return low + (high - low) * random.nextDouble();
    }

    /**
     * Draws one of the options, each equally likely.
     *
     * @param options the options
     * @param <T> their type
     * @return the draw
     */
    @SafeVarargs
    public final <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    /**
     * Draws one of the options, each equally likely.
     *
     * @param options the options
     * @param <T> their type
     * @return the draw
     */
    public <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }
}
