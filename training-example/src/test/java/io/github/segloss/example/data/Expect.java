package io.github.segloss.example.data;

import static org.testng.Assert.assertTrue;
import static org.testng.Assert.fail;

/** Assertions on the {@link IllegalArgumentException}s that bad input must raise. */
final class Expect {

    private Expect() {}

    /**
     * Asserts that the action throws an {@link IllegalArgumentException} whose message is one line
     * holding every fragment (the file, the field, the problem).
     *
     * @param action the call that must fail
     * @param fragments the texts the message must contain
     */
    static void illegalArgument(Runnable action, String... fragments) {
        try {
            action.run();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            assertTrue(!message.contains("\n"), "message \"" + message + "\" has several lines");
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
