/**
 * The reports of segloss-train: {@code metrics.csv} ({@link
 * io.github.segloss.example.report.MetricsCsv} of {@link
 * io.github.segloss.example.report.EpochMetrics}), {@code loss-curve.png} ({@link
 * io.github.segloss.example.report.LossCurve}), {@code predictions.png} ({@link
 * io.github.segloss.example.report.Overlay}), class-id PNGs ({@link
 * io.github.segloss.example.report.Palette}), {@code summary.json} ({@link
 * io.github.segloss.example.report.SummaryJson}) and the console {@link
 * io.github.segloss.example.report.ProgressBar}.
 *
 * <p>Every file is written atomically by {@link io.github.segloss.example.files.AtomicFiles}: a
 * reader (or a crash) sees the previous file or the new one, never half of one. Images are drawn
 * off-screen with Java SE only and need no display: the classes that draw set {@code
 * java.awt.headless=true} before their first use of AWT unless the property is already set (see
 * {@link io.github.segloss.example.report.Headless} for a program that touches AWT earlier). Bad
 * input raises an {@link java.lang.IllegalArgumentException} naming the argument, the expected and
 * the actual value.
 */
package io.github.segloss.example.report;
