package io.github.segloss.example.report;

/**
 * Puts AWT in headless mode, so that drawing and encoding images works on servers and CI runners
 * without a display (and opens no window or dock icon on a desktop). An explicit {@code
 * -Djava.awt.headless=...} is respected.
 *
 * <p>AWT reads the property once, the first time any AWT class asks (even {@code java.awt.Color}'s
 * static initialiser does), so it must be set before the first use of AWT anywhere in the JVM. The
 * report classes call {@link #ensure()} before their own first use; a program that may touch AWT
 * earlier (DJL's {@code BufferedImageFactory} reading the images, for one) calls it first thing in
 * {@code main}.
 */
public final class Headless {

    static final String PROPERTY = "java.awt.headless";

    private Headless() {}

    /** Sets {@code java.awt.headless=true} unless the property is already set. */
    public static void ensure() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }
}
