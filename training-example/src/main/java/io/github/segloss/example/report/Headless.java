package io.github.segloss.example.report;

/**
 * Puts AWT in headless mode before the report classes first use it, so that drawing and encoding
 * images works on servers and CI runners without a display (and opens no window or dock icon on a
 * desktop). An explicit {@code -Djava.awt.headless=...} is respected.
 */
final class Headless {

    static final String PROPERTY = "java.awt.headless";

    private Headless() {}

    /** Sets {@code java.awt.headless=true} unless the property is already set. */
    static void ensure() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }
}
