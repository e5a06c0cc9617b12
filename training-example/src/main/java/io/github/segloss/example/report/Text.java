package io.github.segloss.example.report;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws the labels of the report images. A Java runtime without fonts (a slim container without
 * fontconfig or any font file) fails on the first text it measures or draws; the images are then
 * drawn without their labels, after one warning, rather than not at all.
 */
final class Text {

    static {
        Headless.ensure();
    }

    /** The font of every label. */
    static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    /** The height of a line of text, in pixels, whether fonts work or not. */
    static final int LINE_HEIGHT = 16;

    private static final int FALLBACK_CHAR_WIDTH = 7;
    private static final Logger LOG = LoggerFactory.getLogger(Text.class);
    private static volatile boolean fontsWork = true;

    private Text() {}

    /** Sets the label font and text anti-aliasing on a graphics context. */
    static void prepare(Graphics2D g) {
        g.setFont(FONT);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    }

    /** The width of a text in pixels (an estimate when fonts do not work). */
    static int width(Graphics2D g, String text) {
        if (fontsWork) {
            try {
                return g.getFontMetrics().stringWidth(text);
            } catch (RuntimeException | Error e) {
                disable(e);
            }
        }
        return FALLBACK_CHAR_WIDTH * text.length();
    }

    /** Draws a text with its left end at x and its line's vertical centre at centreY. */
    static void draw(Graphics2D g, String text, int x, int centreY) {
        if (fontsWork) {
            try {
                FontMetrics metrics = g.getFontMetrics();
                int baseline = centreY + (metrics.getAscent() - metrics.getDescent()) / 2;
                g.drawString(text, x, baseline);
            } catch (RuntimeException | Error e) {
                disable(e);
            }
        }
    }

    /** Draws a text centred horizontally on centreX, its line's vertical centre at centreY. */
    static void drawCentred(Graphics2D g, String text, int centreX, int centreY) {
        draw(g, text, centreX - width(g, text) / 2, centreY);
    }

    /** Draws a text rotated a quarter turn anticlockwise, centred on (centreX, centreY). */
    static void drawVertical(Graphics2D g, String text, int centreX, int centreY) {
        Graphics2D rotated = (Graphics2D) g.create();
        try {
            rotated.translate(centreX, centreY);
            rotated.rotate(-Math.PI / 2);
            drawCentred(rotated, text, 0, 0);
        } finally {
            rotated.dispose();
        }
    }

    private static void disable(Throwable e) {
        if (e instanceof VirtualMachineError && !(e instanceof InternalError)) {
            throw (VirtualMachineError) e;
        }
        if (fontsWork) {
            fontsWork = false;
            LOG.warn("Fonts do not work in this Java runtime; report images have no labels", e);
        }
    }
}
