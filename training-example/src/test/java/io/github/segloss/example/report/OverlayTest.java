package io.github.segloss.example.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.testng.annotations.Test;

/** {@link Overlay}: images, blends and the predictions grid. */
public class OverlayTest {

    private static final int W = 20;
    private static final int H = 10;

    private static int channel(int rgb, int shift) {
        return (rgb >> shift) & 0xFF;
    }

    @Test
    public void imageConvertsChwFloatsToRgb() {
        float[] image = Images.uniform(2, 1, 1f, 0.5f, 0f);

        BufferedImage out = Overlay.image(image, 2, 1);

        assertEquals(out.getRGB(1, 0) & 0xFFFFFF, (255 << 16) | (128 << 8));
    }

    @Test
    public void imageClampsValuesAndReadsNaNAsZero() {
        float[] image = Images.uniform(1, 1, 2f, -1f, Float.NaN);

        BufferedImage out = Overlay.image(image, 1, 1);

        assertEquals(out.getRGB(0, 0) & 0xFFFFFF, 0xFF0000);
    }

    @Test
    public void backgroundAndIgnoredPixelsKeepTheImageColour() {
        float[] image = Images.gradient(W, H);
        int[] ids = Images.box(W, H, 5, 2, 10, 6, 3);
        ids[0] = Palette.IGNORE;

        BufferedImage plain = Overlay.image(image, W, H);
        BufferedImage blended = Overlay.blend(image, ids, W, H, 0.5f);

        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                if (ids[y * W + x] == 0 || ids[y * W + x] == Palette.IGNORE) {
                    assertEquals(blended.getRGB(x, y), plain.getRGB(x, y), "(" + x + "," + y + ")");
                }
            }
        }
    }

    @Test
    public void classPixelsMoveTowardTheClassColourByAlpha() {
        float[] image = Images.gradient(W, H);
        int[] ids = Images.box(W, H, 5, 2, 10, 6, 15);
        float alpha = 0.3f;

        BufferedImage plain = Overlay.image(image, W, H);
        BufferedImage blended = Overlay.blend(image, ids, W, H, alpha);

        int colour = Palette.rgb(15);
        for (int y = 2; y < 6; y++) {
            for (int x = 5; x < 10; x++) {
                for (int shift = 0; shift <= 16; shift += 8) {
                    double from = channel(plain.getRGB(x, y), shift);
                    double expected = from + alpha * (channel(colour, shift) - from);
                    assertEquals(
                            channel(blended.getRGB(x, y), shift),
                            expected,
                            0.5 + 1e-9,
                            "(" + x + "," + y + ") shift " + shift);
                }
            }
        }
    }

    @Test
    public void alphaOneGivesTheClassColourAndZeroTheImage() {
        float[] image = Images.uniform(1, 1, 0.2f, 0.4f, 0.6f);
        int[] ids = {7};

        assertEquals(Overlay.blend(image, ids, 1, 1, 1f).getRGB(0, 0) & 0xFFFFFF, Palette.rgb(7));
        assertEquals(
                Overlay.blend(image, ids, 1, 1, 0f).getRGB(0, 0),
                Overlay.image(image, 1, 1).getRGB(0, 0));
    }

    @Test
    public void alphaOutsideZeroToOneIsRejected() {
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> Overlay.blend(new float[3], new int[1], 1, 1, 1.5f));

        assertEquals(e.getMessage(), "alpha must be in [0, 1], got 1.5");
    }

    @Test
    public void anImageOfTheWrongLengthIsRejected() {
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class, () -> Overlay.image(new float[5], 2, 1));

        assertEquals(
                e.getMessage(), "image must have 3 * height * width = 6 values (CHW RGB), got 5");
    }

    @Test
    public void gridDecodesAtItsLaidOutSizeWithOneRowPerSample() throws IOException {
        Path file = TempFolders.create().resolve("predictions.png");
        int samples = 3;
        List<float[]> images =
                List.of(Images.gradient(W, H), Images.gradient(W, H), Images.gradient(W, H));
        List<int[]> truths =
                List.of(Images.box(W, H, 1, 1, 5, 5, 1), new int[W * H], new int[W * H]);
        List<int[]> predictions = List.of(new int[W * H], new int[W * H], new int[W * H]);

        Overlay.writeGrid(file, images, truths, predictions, W, H);

        BufferedImage grid = ImageIO.read(file.toFile());
        GridLayout layout = GridLayout.of(samples, W, H);
        assertEquals(grid.getWidth(), layout.width());
        assertEquals(grid.getHeight(), layout.height());
        assertTrue(layout.cellY(samples - 1) + layout.cellHeight() <= layout.height());
    }

    @Test
    public void gridShowsImageTruthAndPredictionSideBySide() throws IOException {
        Path file = TempFolders.create().resolve("predictions.png");
        float[] image = Images.uniform(W, H, 1f, 1f, 1f);
        int[] truth = Images.box(W, H, 0, 0, W, H, 1);
        int[] prediction = Images.box(W, H, 0, 0, W, H, 2);

        Overlay.writeGrid(file, List.of(image), List.of(truth), List.of(prediction), W, H);

        BufferedImage grid = ImageIO.read(file.toFile());
        GridLayout layout = GridLayout.of(1, W, H);
        int y = layout.cellY(0) + layout.cellHeight() / 2;
        int middle = layout.cellWidth() / 2;
        int white = 0xFFFFFF;
        int truthColour = Overlay.blend(image, truth, W, H, Overlay.GRID_ALPHA).getRGB(0, 0);
        int predictionColour =
                Overlay.blend(image, prediction, W, H, Overlay.GRID_ALPHA).getRGB(0, 0);
        assertEquals(grid.getRGB(layout.cellX(0) + middle, y) & 0xFFFFFF, white);
        assertEquals(grid.getRGB(layout.cellX(1) + middle, y), truthColour);
        assertEquals(grid.getRGB(layout.cellX(2) + middle, y), predictionColour);
    }

    @Test
    public void gridHasAHeaderLine() throws IOException {
        Path file = TempFolders.create().resolve("predictions.png");
        float[] image = Images.gradient(W, H);

        Overlay.writeGrid(
                file, List.of(image), List.of(new int[W * H]), List.of(new int[W * H]), W, H);

        BufferedImage header =
                ImageIO.read(file.toFile())
                        .getSubimage(0, 0, GridLayout.of(1, W, H).width(), GridLayout.HEADER);
        assertTrue(Images.countOther(header, 0xFFFFFF) > 20, "the header has text");
    }

    @Test
    public void smallImagesAreEnlargedByAWholeFactor() {
        GridLayout layout = GridLayout.of(2, 20, 10);

        assertEquals(layout.scale(), 5);
        assertEquals(layout.cellWidth(), 100);
        assertEquals(layout.cellHeight(), 50);
        assertEquals(GridLayout.of(1, 200, 100).scale(), 1);
    }

    @Test
    public void gridListsOfDifferentSizesAreRejected() throws IOException {
        Path folder = TempFolders.create();

        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                Overlay.writeGrid(
                                        folder.resolve("predictions.png"),
                                        List.of(new float[3]),
                                        List.of(new int[1], new int[1]),
                                        List.of(new int[1]),
                                        1,
                                        1));

        assertEquals(
                e.getMessage(),
                "images, truths and predictions must have the same size, got 1, 2 and 1");
        assertEquals(TempFolders.names(folder), List.of());
    }

    @Test
    public void anEmptyGridIsRejected() throws IOException {
        Path file = TempFolders.create().resolve("predictions.png");

        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> Overlay.writeGrid(file, List.of(), List.of(), List.of(), 4, 4));

        assertEquals(e.getMessage(), "images must hold at least 1 sample, got 0");
    }

    @Test
    public void aBadPredictionIsNamedByItsRow() throws IOException {
        Path file = TempFolders.create().resolve("predictions.png");

        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                Overlay.writeGrid(
                                        file,
                                        List.of(new float[3], new float[3]),
                                        List.of(new int[1], new int[1]),
                                        List.of(new int[1], new int[] {-1}),
                                        1,
                                        1));

        assertEquals(e.getMessage(), "predictions[1][0] must be a class id in [0, 255], got -1");
    }

    @Test
    public void instancesAreBlendedInsideAndOutlinedInTheirOwnColour() throws IOException {
        float[] image = Images.gradient(W, H);
        int[] ids = Images.box(W, H, 2, 2, 8, 7, 1);
        // a second instance touching the first: each is outlined where they meet
        for (int y = 2; y < 7; y++) {
            for (int x = 8; x < 12; x++) {
                ids[y * W + x] = 2;
            }
        }
        Path file = TempFolders.create().resolve("instances.png");
        Overlay.writeInstances(file, image, ids, W, H, 0.5f);
        BufferedImage out = ImageIO.read(file.toFile());
        BufferedImage blended = Overlay.blend(image, ids, W, H, 0.5f);
        assertEquals(out.getRGB(2, 2) & 0xFFFFFF, Palette.rgb(1), "corner of instance 1");
        assertEquals(out.getRGB(7, 4) & 0xFFFFFF, Palette.rgb(1), "instance 1 beside instance 2");
        assertEquals(out.getRGB(8, 4) & 0xFFFFFF, Palette.rgb(2), "instance 2 beside instance 1");
        assertEquals(out.getRGB(4, 4), blended.getRGB(4, 4), "inside: blended");
        assertEquals(out.getRGB(0, 0), blended.getRGB(0, 0), "background: the image");
        assertTrue(Palette.rgb(1) != Palette.rgb(2), "instances have their own colours");
    }
}
