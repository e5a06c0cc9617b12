package io.github.segloss.enginetest;

import static org.testng.Assert.assertTrue;
import static org.testng.Assert.fail;

/** Assertions on the {@link IllegalArgumentException}s that bad input must raise. */
public final class Expect {

    private Expect() {}

    /**
     * Asserts that the action throws an {@link IllegalArgumentException} whose message holds every
     * fragment (the argument's name, the expected and the actual shape or value).
     *
     * @param action the call that must fail
     * @param fragments the texts the message must contain
     */
    public static void illegalArgument(Runnable action, String... fragments) {
        try {
            action.run();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            for (String fragment : fragments) {
                assertTrue(
                        message.contains(fragment),
                        "message \"" + message + "\" lacks \"" + fragment + "\"");
            }
            return;
        } catch (RuntimeException e) {
            fail("expected IllegalArgumentException, got " + e, e);
        }
        fail("expected IllegalArgumentException with " + String.join(", ", fragments));
    }
}
