package io.github.segloss.enginetest.fuzz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The assertions of the fuzz cases. Invalid input must raise an {@link IllegalArgumentException}
 * that names the argument; valid input must give a finite 0-d value of the predictions' type within
 * a float32 tolerance of the reference, with a finite gradient (compared too where the reference
 * has one). Any other exception, NaN or infinity fails.
 */
public final class Check {

    private Check() {}

    /**
     * A value computed with the gradients of its inputs.
     *
     * @param result the computed array
     * @param grads the gradient of each input, as doubles
     */
    public record Evaluated(NDArray result, double[][] grads) {

        /**
         * Returns the 0-d result as a double.
         *
         * @return the value
         */
        public double value() {
            return result.toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /**
     * Requires the action to raise an {@link IllegalArgumentException} whose message contains every
     * fragment (the argument's name).
     *
     * @param action the call with invalid input
     * @param fragments the texts the message must hold
     */
    public static void illegalArgument(Runnable action, String... fragments) {
        try {
            action.run();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            for (String fragment : fragments) {
                if (!message.contains(fragment)) {
                    throw new AssertionError(
                            "IllegalArgumentException \""
                                    + message
                                    + "\" lacks \""
                                    + fragment
                                    + "\"");
                }
            }
            return;
        }
        throw new AssertionError(
                "invalid input was accepted: expected an IllegalArgumentException naming "
                        + String.join(", ", fragments));
    }

    /**
     * Computes a function under a gradient collector and reads the gradients of the inputs.
     *
     * @param c the case
     * @param function the function, usually a loss evaluation
     * @param inputs the arrays to differentiate (marked as requiring gradients here)
     * @return the result and the gradients
     */
    public static Evaluated withGradients(
            FuzzCase c, Supplier<NDArray> function, NDArray... inputs) {
        for (NDArray input : inputs) {
            input.setRequiresGradient(true);
        }
        NDArray result;
        try (GradientCollector collector = c.engine().newGradientCollector()) {
            result = function.get();
            requireScalar(result);
            collector.backward(result);
        }
        double[][] grads = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            grads[i] = inputs[i].getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        }
        return new Evaluated(result, grads);
    }

    private static void requireScalar(NDArray result) {
        if (!result.getShape().equals(new Shape())) {
            throw new AssertionError(
                    "the loss must be a 0-d scalar, got shape " + result.getShape());
        }
    }

    /**
     * Requires a finite 0-d result of the given type within the tolerance of a reference with a
     * float32 error bound: \( 10^{-4} + 10^{-4} |v| + 4 e \) (the project's value tolerance plus
     * four times the bound); a bound above 1% of the value marks the case loose.
     *
     * @param c the case
     * @param result the computed value
     * @param type the predictions' type, which the result must have
     * @param reference the reference with its error bound
     */
    public static void value(FuzzCase c, NDArray result, DataType type, Bounded reference) {
        double tolerance = 1e-4 + 1e-4 * Math.abs(reference.v()) + 4 * reference.e();
        if (4 * reference.e() > 1e-2 * (1 + Math.abs(reference.v()))) {
            c.markLoose();
        }
        valueWithin(result, type, reference.v(), tolerance);
    }

    /**
     * Requires a finite gradient within \( 10^{-5} + 10^{-3} |g| + 4 e \) of the reference per
     * element.
     *
     * @param what the input's name, for the message
     * @param grad the computed gradient
     * @param reference the reference gradient with error bounds
     */
    public static void gradient(String what, double[] grad, Bounded[] reference) {
        finite(what, grad);
        if (grad.length != reference.length) {
            throw new AssertionError(
                    "gradient of "
                            + what
                            + " has "
                            + grad.length
                            + " values, expected "
                            + reference.length);
        }
        for (int i = 0; i < grad.length; i++) {
            Bounded r = reference[i];
            close(
                    "gradient of " + what + "[" + i + "]",
                    grad[i],
                    r.v(),
                    1e-5 + 1e-3 * Math.abs(r.v()) + 4 * r.e());
        }
    }

    private static void valueWithin(
            NDArray result, DataType type, double reference, double tolerance) {
        requireScalar(result);
        if (result.getDataType() != type) {
            throw new AssertionError(
                    "the loss must have the predictions' type "
                            + type
                            + ", got "
                            + result.getDataType());
        }
        double actual = result.toType(DataType.FLOAT64, false).getDouble();
        close("value", actual, reference, tolerance);
    }

    /**
     * Requires a finite number within {@code tolerance} of the reference.
     *
     * @param what the quantity, for the message
     * @param actual the computed number
     * @param reference the reference
     * @param tolerance the largest accepted absolute error
     */
    public static void close(String what, double actual, double reference, double tolerance) {
        if (!Double.isFinite(actual)) {
            throw new AssertionError(what + " is " + actual + ", expected " + reference);
        }
        if (!(Math.abs(actual - reference) <= tolerance)) {
            throw new AssertionError(
                    String.format(
                            Locale.ROOT,
                            "%s = %.9g, expected %.9g (error %.3g over the tolerance %.3g)",
                            what,
                            actual,
                            reference,
                            Math.abs(actual - reference),
                            tolerance));
        }
    }

    /**
     * Requires every value of a gradient to be finite.
     *
     * @param what the input's name, for the message
     * @param grad the gradient
     */
    public static void finite(String what, double[] grad) {
        for (int i = 0; i < grad.length; i++) {
            if (!Double.isFinite(grad[i])) {
                throw new AssertionError("gradient of " + what + "[" + i + "] is " + grad[i]);
            }
        }
    }

    /**
     * Requires a finite gradient within a tolerance of the reference: {@code abs + rel * |ref| +
     * scaled * max|ref|} per element.
     *
     * @param what the input's name, for the message
     * @param grad the computed gradient
     * @param reference the reference gradient
     * @param abs the absolute tolerance
     * @param rel the tolerance relative to each element
     * @param scaled the tolerance relative to the largest element
     */
    public static void gradient(
            String what, double[] grad, double[] reference, double abs, double rel, double scaled) {
        finite(what, grad);
        if (grad.length != reference.length) {
            throw new AssertionError(
                    "gradient of "
                            + what
                            + " has "
                            + grad.length
                            + " values, expected "
                            + reference.length);
        }
        double largest = 0;
        for (double r : reference) {
            largest = Math.max(largest, Math.abs(r));
        }
        for (int i = 0; i < grad.length; i++) {
            double tolerance = abs + rel * Math.abs(reference[i]) + scaled * largest;
            close("gradient of " + what + "[" + i + "]", grad[i], reference[i], tolerance);
        }
    }

    /**
     * Requires every value of an array to be within a tolerance of the reference.
     *
     * @param what the array's name, for the message
     * @param actual the computed values
     * @param reference the reference values
     * @param abs the absolute tolerance
     * @param rel the tolerance relative to each element
     */
    public static void array(
            String what, double[] actual, double[] reference, double abs, double rel) {
        finite(what, actual);
        if (actual.length != reference.length) {
            throw new AssertionError(
                    what + " has " + actual.length + " values, expected " + reference.length);
        }
        for (int i = 0; i < actual.length; i++) {
            close(
                    what + "[" + i + "]",
                    actual[i],
                    reference[i],
                    abs + rel * Math.abs(reference[i]));
        }
    }
}
