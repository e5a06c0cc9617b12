package io.github.segloss.example.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a line chart over whole-number x values: a title, a left axis fitted to its series, an
 * right axis with a fixed range, grid lines, ticks, axis labels, the lines (broken where a value is
 * missing, with a dot on each point when there are few) and a legend under the chart. Series
 * without any finite point are left out, legend included.
 */
final class LineChart {

    static {
        Headless.ensure();
    }

    /** The smallest chart that has room for its labels. */
    static final int MIN_WIDTH = 320;

    /** The smallest chart that has room for its labels. */
    static final int MIN_HEIGHT = 240;

    /** Up to this many points per series, each point gets a dot; beyond it only lone points do. */
    static final int DOTS_UP_TO = 40;

    private static final int GAP = 6;
    private static final int MIN_TICK_SPACING = 40;
    private static final int TICK = 4;
    private static final int DOT_RADIUS = 3;
    private static final int INSET = 8;
    private static final int SWATCH = 24;
    private static final int LEGEND_SPACING = 16;
    private static final Color GRID = new Color(0xE6E6E6);
    private static final Color INK = new Color(0x333333);

    private final int width;
    private final int height;
    private final String title;
    private final String xLabel;
    private final String leftLabel;
    private final String rightLabel;
    private final double rightMin;
    private final double rightMax;
    private final List<Series> series;
    private Rectangle plot;

    /**
     * A chart to draw.
     *
     * @param width the image width, at least {@link #MIN_WIDTH}
     * @param height the image height, at least {@link #MIN_HEIGHT}
     * @param title the title above the chart
     * @param xLabel the label under the x axis
     * @param leftLabel the label of the left axis
     * @param rightLabel the label of the right axis
     * @param rightMin the value at the bottom of the right axis
     * @param rightMax the value at the top of the right axis
     * @param series the lines, drawn in this order
     */
    LineChart(
            int width,
            int height,
            String title,
            String xLabel,
            String leftLabel,
            String rightLabel,
            double rightMin,
            double rightMax,
            List<Series> series) {
        if (width < MIN_WIDTH || height < MIN_HEIGHT) {
            throw new IllegalArgumentException(
                    "width x height must be at least "
                            + MIN_WIDTH
                            + " x "
                            + MIN_HEIGHT
                            + ", got "
                            + width
                            + " x "
                            + height);
        }
        this.width = width;
        this.height = height;
        this.title = title;
        this.xLabel = xLabel;
        this.leftLabel = leftLabel;
        this.rightLabel = rightLabel;
        this.rightMin = rightMin;
        this.rightMax = rightMax;
        this.series = series.stream().filter(Series::hasPoints).toList();
    }

    /** Draws the chart on a new RGB image. */
    BufferedImage draw() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            Text.prepare(g);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            draw(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The plot area (inside the axes) of the last {@link #draw}; null before. */
    Rectangle plotArea() {
        return plot == null ? null : new Rectangle(plot);
    }

    private void draw(Graphics2D g) {
        // Tick labels set the margins, the margins the plot's size, and that the number of ticks:
        // lay out once with a guess of the ticks, then again with ticks that fit the plot.
        Axis left = leftAxis(Math.max(2, height / 60));
        Axis right = Axis.covering(rightMin, rightMax, Math.max(2, height / 60));
        List<List<Series>> legendRows = layOut(g, left, right);
        left = leftAxis(1 + plot.height / MIN_TICK_SPACING);
        right = Axis.covering(rightMin, rightMax, 1 + plot.height / MIN_TICK_SPACING);
        legendRows = layOut(g, left, right);
        Axis x = xAxis(Math.max(2, plot.width / 60));

        g.setColor(Color.BLACK);
        Text.drawCentred(g, title, width / 2, GAP + Text.LINE_HEIGHT / 2);
        drawGrid(g, x, left);
        drawAxes(g, x, left, right);
        Graphics2D clipped = (Graphics2D) g.create();
        try {
            clipped.clip(
                    new Rectangle(
                            plot.x - INSET,
                            plot.y - INSET,
                            plot.width + 2 * INSET,
                            plot.height + 2 * INSET));
            for (Series s : series) {
                drawSeries(clipped, s, x, s.rightAxis() ? right : left);
            }
        } finally {
            clipped.dispose();
        }
        drawLegend(g, legendRows, plot.y + plot.height + TICK + 2 * Text.LINE_HEIGHT + GAP);
    }

    /** Sets {@link #plot} from the margins the axes need, and returns the legend's rows. */
    private List<List<Series>> layOut(Graphics2D g, Axis left, Axis right) {
        int leftMargin = GAP + Text.LINE_HEIGHT + GAP + labelWidth(g, left) + TICK + GAP;
        int rightMargin = GAP + Text.LINE_HEIGHT + GAP + labelWidth(g, right) + TICK + GAP;
        int plotWidth = Math.max(1, width - leftMargin - rightMargin);
        List<List<Series>> legendRows = legendRows(g, plotWidth);
        int top = GAP + Text.LINE_HEIGHT + GAP;
        int bottom = TICK + 2 * Text.LINE_HEIGHT + GAP + legendRows.size() * Text.LINE_HEIGHT + GAP;
        plot = new Rectangle(leftMargin, top, plotWidth, Math.max(1, height - top - bottom));
        return legendRows;
    }

    private Axis leftAxis(int maxTicks) {
        double min = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            if (!s.rightAxis()) {
                for (double y : s.y()) {
                    if (Double.isFinite(y)) {
                        min = Math.min(min, y);
                        max = Math.max(max, y);
                    }
                }
            }
        }
        return Axis.covering(min, max, Math.min(8, maxTicks));
    }

    private Axis xAxis(int maxTicks) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.y()[i])) {
                    min = Math.min(min, s.x()[i]);
                    max = Math.max(max, s.x()[i]);
                }
            }
        }
        if (min > max) {
            return Axis.wholeNumbers(0, 1, maxTicks);
        }
        return Axis.wholeNumbers(min, max, maxTicks);
    }

    private static int labelWidth(Graphics2D g, Axis axis) {
        int widest = 0;
        for (double tick : axis.ticks()) {
            widest = Math.max(widest, Text.width(g, axis.label(tick)));
        }
        return widest;
    }

    private double px(Axis x, double value) {
        return plot.x + INSET + x.fraction(value) * (plot.width - 2.0 * INSET);
    }

    private double py(Axis y, double value) {
        return plot.y + plot.height - y.fraction(value) * plot.height;
    }

    private void drawGrid(Graphics2D g, Axis x, Axis left) {
        g.setColor(GRID);
        g.setStroke(new BasicStroke(1f));
        for (double tick : left.ticks()) {
            g.draw(new Line2D.Double(plot.x, py(left, tick), plot.x + plot.width, py(left, tick)));
        }
        for (double tick : x.ticks()) {
            g.draw(new Line2D.Double(px(x, tick), plot.y, px(x, tick), plot.y + plot.height));
        }
    }

    private void drawAxes(Graphics2D g, Axis x, Axis left, Axis right) {
        int rightEdge = plot.x + plot.width;
        int bottom = plot.y + plot.height;
        g.setColor(INK);
        g.setStroke(new BasicStroke(1f));
        g.drawLine(plot.x, plot.y, plot.x, bottom);
        g.drawLine(rightEdge, plot.y, rightEdge, bottom);
        g.drawLine(plot.x, bottom, rightEdge, bottom);
        for (double tick : left.ticks()) {
            int y = (int) Math.round(py(left, tick));
            g.drawLine(plot.x - TICK, y, plot.x, y);
            String label = left.label(tick);
            Text.draw(g, label, plot.x - TICK - 2 - Text.width(g, label), y);
        }
        for (double tick : right.ticks()) {
            int y = (int) Math.round(py(right, tick));
            g.drawLine(rightEdge, y, rightEdge + TICK, y);
            Text.draw(g, right.label(tick), rightEdge + TICK + 2, y);
        }
        for (double tick : x.ticks()) {
            int px = (int) Math.round(px(x, tick));
            g.drawLine(px, bottom, px, bottom + TICK);
            Text.drawCentred(g, x.label(tick), px, bottom + TICK + Text.LINE_HEIGHT / 2);
        }
        int middle = plot.y + plot.height / 2;
        Text.drawCentred(
                g, xLabel, plot.x + plot.width / 2, bottom + TICK + Text.LINE_HEIGHT * 3 / 2);
        Text.drawVertical(g, leftLabel, GAP + Text.LINE_HEIGHT / 2, middle);
        Text.drawVertical(g, rightLabel, width - GAP - Text.LINE_HEIGHT / 2, middle);
    }

    private void drawSeries(Graphics2D g, Series s, Axis x, Axis y) {
        g.setColor(s.colour());
        g.setStroke(stroke(s));
        Path2D.Double line = new Path2D.Double();
        boolean penDown = false;
        int[] xs = s.x();
        double[] ys = s.y();
        for (int i = 0; i < xs.length; i++) {
            if (!Double.isFinite(ys[i])) {
                penDown = false;
            } else if (penDown) {
                line.lineTo(px(x, xs[i]), py(y, ys[i]));
            } else {
                line.moveTo(px(x, xs[i]), py(y, ys[i]));
                penDown = true;
            }
        }
        g.draw(line);
        for (int i = 0; i < xs.length; i++) {
            if (Double.isFinite(ys[i]) && (xs.length <= DOTS_UP_TO || alone(ys, i))) {
                g.fill(
                        new Ellipse2D.Double(
                                px(x, xs[i]) - DOT_RADIUS,
                                py(y, ys[i]) - DOT_RADIUS,
                                2 * DOT_RADIUS,
                                2 * DOT_RADIUS));
            }
        }
    }

    private static boolean alone(double[] ys, int i) {
        boolean before = i > 0 && Double.isFinite(ys[i - 1]);
        boolean after = i + 1 < ys.length && Double.isFinite(ys[i + 1]);
        return !before && !after;
    }

    private static Stroke stroke(Series s) {
        if (s.dashed()) {
            return new BasicStroke(
                    s.width(),
                    BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_ROUND,
                    10f,
                    new float[] {6f, 4f},
                    0f);
        }
        return new BasicStroke(s.width(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /** Splits the legend's entries into rows that fit the plot's width. */
    private List<List<Series>> legendRows(Graphics2D g, int rowWidth) {
        List<List<Series>> rows = new ArrayList<>();
        List<Series> row = new ArrayList<>();
        int used = 0;
        for (Series s : series) {
            int entry = entryWidth(g, s);
            if (!row.isEmpty() && used + LEGEND_SPACING + entry > rowWidth) {
                rows.add(row);
                row = new ArrayList<>();
                used = 0;
            }
            used += (row.isEmpty() ? 0 : LEGEND_SPACING) + entry;
            row.add(s);
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        return rows;
    }

    private static int entryWidth(Graphics2D g, Series s) {
        return SWATCH + GAP + Text.width(g, s.name());
    }

    private void drawLegend(Graphics2D g, List<List<Series>> rows, int top) {
        for (int r = 0; r < rows.size(); r++) {
            List<Series> row = rows.get(r);
            int rowWidth = -LEGEND_SPACING;
            for (Series s : row) {
                rowWidth += LEGEND_SPACING + entryWidth(g, s);
            }
            int x = plot.x + (plot.width - rowWidth) / 2;
            int y = top + r * Text.LINE_HEIGHT + Text.LINE_HEIGHT / 2;
            for (Series s : row) {
                g.setColor(s.colour());
                g.setStroke(stroke(s));
                g.draw(new Line2D.Double(x, y, x + SWATCH, y));
                g.setColor(INK);
                Text.draw(g, s.name(), x + SWATCH + GAP, y);
                x += entryWidth(g, s) + LEGEND_SPACING;
            }
        }
    }
}
