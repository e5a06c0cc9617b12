package io.github.segloss.example.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.testng.annotations.Test;

/** {@link LossCurve}: loss-curve.png at the requested size, with its lines, for any epochs. */
public class LossCurveTest {

    private static final List<Color> LINES =
            List.of(
                    LossCurve.TRAIN.get(0),
                    LossCurve.TRAIN.get(1),
                    LossCurve.TRAIN.get(2),
                    LossCurve.VALIDATION,
                    LossCurve.MEAN_IOU);

    /** The pixels of a colour inside the plot area of the chart of these epochs. */
    private static int inPlot(List<EpochMetrics> epochs, Color colour) {
        LineChart chart = LossCurve.chart(epochs, 640, 400);
        BufferedImage image = chart.draw();
        Rectangle plot = chart.plotArea();
        return Images.count(
                image.getSubimage(plot.x, plot.y, plot.width, plot.height),
                colour.getRGB() & 0xFFFFFF);
    }

    @Test
    public void writesAPngOfTheRequestedSize() throws IOException {
        Path file = TempFolders.create().resolve("loss-curve.png");

        LossCurve.write(file, Epochs.first(12), 640, 400);

        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(image.getWidth(), 640);
        assertEquals(image.getHeight(), 400);
        assertTrue(Images.countOther(image, 0xFFFFFF) > 1000, "most of it is not white");
    }

    @Test
    public void everyLineIsDrawnInThePlot() {
        for (Color colour : LINES) {
            assertTrue(inPlot(Epochs.first(12), colour) > 20, colour.toString());
        }
    }

    @Test
    public void oneEpochShowsADotPerLine() throws IOException {
        Path file = TempFolders.create().resolve("loss-curve.png");

        LossCurve.write(file, Epochs.first(1), 640, 400);

        assertEquals(ImageIO.read(file.toFile()).getWidth(), 640);
        for (Color colour : LINES) {
            assertTrue(inPlot(Epochs.first(1), colour) > 0, colour.toString());
        }
    }

    @Test
    public void nanValuesAreSkipped() throws IOException {
        Path file = TempFolders.create().resolve("loss-curve.png");
        List<EpochMetrics> epochs = new ArrayList<>(Epochs.first(5));
        epochs.set(2, Epochs.withNaN(3));

        LossCurve.write(file, epochs, 640, 400);

        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(image.getHeight(), 400);
        for (Color colour : LINES) {
            assertTrue(inPlot(epochs, colour) > 0, colour.toString());
        }
    }

    @Test
    public void aLineWithoutAnyValueIsLeftOutLegendIncluded() {
        List<EpochMetrics> epochs = List.of(Epochs.withNaN(1), Epochs.withNaN(2));

        BufferedImage image = LossCurve.chart(epochs, 640, 400).draw();

        assertEquals(Images.count(image, LossCurve.VALIDATION.getRGB() & 0xFFFFFF), 0);
        assertEquals(Images.count(image, LossCurve.MEAN_IOU.getRGB() & 0xFFFFFF), 0);
        assertTrue(Images.count(image, LossCurve.TRAIN.get(0).getRGB() & 0xFFFFFF) > 0);
    }

    @Test
    public void onlyNaNOrNoEpochsGiveTheEmptyAxes() throws IOException {
        EpochMetrics empty =
                new EpochMetrics(
                        1,
                        Map.of("loss", Double.NaN),
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        new double[0],
                        Double.NaN,
                        Double.NaN);
        Path folder = TempFolders.create();

        LossCurve.write(folder.resolve("nan.png"), List.of(empty), 640, 400);
        LossCurve.write(folder.resolve("none.png"), List.of(), 640, 400);

        for (String name : List.of("nan.png", "none.png")) {
            BufferedImage image = ImageIO.read(folder.resolve(name).toFile());
            assertEquals(image.getWidth(), 640);
            assertTrue(Images.countOther(image, 0xFFFFFF) > 100, name + " has axes");
            for (Color colour : LINES) {
                assertEquals(Images.count(image, colour.getRGB() & 0xFFFFFF), 0, name);
            }
        }
    }

    @Test
    public void epochsAreDrawnInOrderOfTheirNumber() {
        List<EpochMetrics> reversed = new ArrayList<>(Epochs.first(6));
        Collections.reverse(reversed);

        BufferedImage sorted = LossCurve.chart(Epochs.first(6), 640, 400).draw();
        BufferedImage fromReversed = LossCurve.chart(reversed, 640, 400).draw();

        assertEquals(
                fromReversed.getRGB(0, 0, 640, 400, null, 0, 640),
                sorted.getRGB(0, 0, 640, 400, null, 0, 640));
    }

    @Test
    public void aTooSmallImageIsRejected() throws IOException {
        Path file = TempFolders.create().resolve("loss-curve.png");

        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> LossCurve.write(file, Epochs.first(2), 100, 400));

        assertEquals(e.getMessage(), "width x height must be at least 320 x 240, got 100 x 400");
    }

    @Test
    public void drawingRunsHeadless() {
        LossCurve.chart(Epochs.first(2), 320, 240).draw();

        assertTrue(GraphicsEnvironment.isHeadless());
    }
}
