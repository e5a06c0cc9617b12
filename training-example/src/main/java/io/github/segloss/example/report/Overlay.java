package io.github.segloss.example.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Images with their class maps blended in, and {@code predictions.png}, the grid that shows them
 * side by side.
 *
 * <p>Images are CHW float RGB in [0, 1]: {@code 3 * height * width} values, the red plane, then
 * green, then blue, each row by row. Values outside [0, 1] are clamped and NaN reads as 0. A class
 * pixel is blended toward its {@link Palette} colour: {@code (1 - alpha) * image + alpha * colour}
 * per channel in 0..255, rounded. Class 0 (background) and 255 (ignore) are not coloured: the image
 * shows through unchanged, so only the objects stand out.
 */
public final class Overlay {

    static {
        Headless.ensure();
    }

    /** The alpha of the overlays of {@link #writeGrid}. */
    public static final float GRID_ALPHA = 0.5f;

    /** The class that is not coloured because it is the background. */
    static final int BACKGROUND = 0;

    private static final String[] HEADERS = {"image", "ground truth", "prediction"};

    private Overlay() {}

    /**
     * Blends an image with the colours of its classes.
     *
     * @param image the image, CHW float RGB in [0, 1] ({@code 3 * height * width} values)
     * @param classIds the class ids, row by row ({@code height * width} values in [0, 255])
     * @param width the width in pixels, at least 1
     * @param height the height in pixels, at least 1
     * @param alpha the weight of the class colour, in [0, 1]
     * @return an RGB image of the given size
     * @throws IllegalArgumentException if a size is below 1, an array has the wrong length, a class
     *     id is outside [0, 255] or alpha is outside [0, 1]
     */
    public static BufferedImage blend(
            float[] image, int[] classIds, int width, int height, float alpha) {
        return blend(image, "image", classIds, "classIds", width, height, alpha);
    }

    /**
     * Writes {@link #blend} of an image and its class ids as a PNG file, atomically (a temporary
     * file renamed into place).
     *
     * @param file the file to write
     * @param image the image, CHW float RGB in [0, 1] ({@code 3 * height * width} values)
     * @param classIds the class ids, row by row ({@code height * width} values in [0, 255])
     * @param width the width in pixels, at least 1
     * @param height the height in pixels, at least 1
     * @param alpha the weight of the class colour, in [0, 1]
     * @throws IllegalArgumentException as {@link #blend}
     * @throws IOException if the file cannot be written
     */
    public static void writeBlend(
            Path file, float[] image, int[] classIds, int width, int height, float alpha)
            throws IOException {
        PngFiles.write(file, blend(image, classIds, width, height, alpha));
    }

    /**
     * Writes an image with its instances as a PNG file, atomically: each instance blended toward
     * its own {@link Palette} colour (instance id k takes the colour of class k) and outlined in
     * that colour at full strength. Outline pixels are the instance's pixels with a 4-neighbour in
     * the image of another id.
     *
     * @param file the file to write
     * @param image the image, CHW float RGB in [0, 1] ({@code 3 * height * width} values)
     * @param instanceIds the instance ids, row by row ({@code height * width} values in [0, 254], 0
     *     for the background)
     * @param width the width in pixels, at least 1
     * @param height the height in pixels, at least 1
     * @param alpha the weight of the colour inside the instances, in [0, 1]
     * @throws IllegalArgumentException as {@link #blend}
     * @throws IOException if the file cannot be written
     */
    public static void writeInstances(
            Path file, float[] image, int[] instanceIds, int width, int height, float alpha)
            throws IOException {
        BufferedImage out = blend(image, "image", instanceIds, "instanceIds", width, height, alpha);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int id = instanceIds[y * width + x];
                if (id != BACKGROUND
                        && id != Palette.IGNORE
                        && (differs(instanceIds, id, x - 1, y, width, height)
                                || differs(instanceIds, id, x + 1, y, width, height)
                                || differs(instanceIds, id, x, y - 1, width, height)
                                || differs(instanceIds, id, x, y + 1, width, height))) {
                    out.setRGB(x, y, Palette.rgb(id));
                }
            }
        }
        PngFiles.write(file, out);
    }

    /** Whether pixel (x, y) lies in the image and holds another id than {@code id}. */
    private static boolean differs(int[] ids, int id, int x, int y, int width, int height) {
        return x >= 0 && y >= 0 && x < width && y < height && ids[y * width + x] != id;
    }

    private static BufferedImage blend(
            float[] image,
            String imageName,
            int[] classIds,
            String classIdsName,
            int width,
            int height,
            float alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        BufferedImage out = image(image, imageName, width, height);
        Palette.requireClassIds(classIds, classIdsName, width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int id = classIds[y * width + x];
                if (id != BACKGROUND && id != Palette.IGNORE) {
                    out.setRGB(x, y, mix(out.getRGB(x, y), Palette.rgb(id), alpha));
                }
            }
        }
        return out;
    }

    /**
     * Converts an image to an RGB {@link BufferedImage}.
     *
     * @param image the image, CHW float RGB in [0, 1] ({@code 3 * height * width} values)
     * @param width the width in pixels, at least 1
     * @param height the height in pixels, at least 1
     * @return an RGB image of the given size
     * @throws IllegalArgumentException if a size is below 1 or image has the wrong length
     */
    public static BufferedImage image(float[] image, int width, int height) {
        return image(image, "image", width, height);
    }

    private static BufferedImage image(float[] image, String name, int width, int height) {
        Objects.requireNonNull(image, name);
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    "width and height must be >= 1, got " + width + " x " + height);
        }
        long plane = (long) width * height;
        if (image.length != 3 * plane) {
            throw new IllegalArgumentException(
                    name
                            + " must have 3 * height * width = "
                            + 3 * plane
                            + " values (CHW RGB), got "
                            + image.length);
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int size = (int) plane;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                int r = channel(image[i]);
                int g = channel(image[size + i]);
                int b = channel(image[2 * size + i]);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    /**
     * Writes {@code predictions.png} atomically: a header line ("image", "ground truth",
     * "prediction") over one row per sample of three cells, the image, the image blended with the
     * ground truth, and the image blended with the prediction ({@link #GRID_ALPHA}). Images
     * narrower than 96 pixels are enlarged by a whole factor so that the headers fit.
     *
     * @param file the file to write
     * @param images the images, CHW float RGB in [0, 1]
     * @param truths the ground-truth class ids of each image, row by row
     * @param predictions the predicted class ids of each image, row by row
     * @param width the width of every image, at least 1
     * @param height the height of every image, at least 1
     * @throws IllegalArgumentException if the lists are empty or of different sizes, or an element
     *     is not a valid image or class map of this size
     * @throws IOException if the file cannot be written
     */
    public static void writeGrid(
            Path file,
            List<float[]> images,
            List<int[]> truths,
            List<int[]> predictions,
            int width,
            int height)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(truths, "truths");
        Objects.requireNonNull(predictions, "predictions");
        if (truths.size() != images.size() || predictions.size() != images.size()) {
            throw new IllegalArgumentException(
                    "images, truths and predictions must have the same size, got "
                            + images.size()
                            + ", "
                            + truths.size()
                            + " and "
                            + predictions.size());
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("images must hold at least 1 sample, got 0");
        }
        GridLayout layout = GridLayout.of(images.size(), width, height);
        BufferedImage grid =
                new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, layout.width(), layout.height());
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            Text.prepare(g);
            g.setColor(Color.BLACK);
            for (int column = 0; column < GridLayout.COLUMNS; column++) {
                Text.drawCentred(
                        g,
                        HEADERS[column],
                        layout.cellX(column) + layout.cellWidth() / 2,
                        GridLayout.HEADER / 2);
            }
            for (int row = 0; row < images.size(); row++) {
                float[] image = images.get(row);
                String imageName = "images[" + row + "]";
                BufferedImage[] cells = {
                    image(image, imageName, width, height),
                    blend(
                            image,
                            imageName,
                            truths.get(row),
                            "truths[" + row + "]",
                            width,
                            height,
                            GRID_ALPHA),
                    blend(
                            image,
                            imageName,
                            predictions.get(row),
                            "predictions[" + row + "]",
                            width,
                            height,
                            GRID_ALPHA)
                };
                for (int column = 0; column < GridLayout.COLUMNS; column++) {
                    g.drawImage(
                            cells[column],
                            layout.cellX(column),
                            layout.cellY(row),
                            layout.cellWidth(),
                            layout.cellHeight(),
                            null);
                }
            }
        } finally {
            g.dispose();
        }
        PngFiles.write(file, grid);
    }

    private static int channel(float value) {
        if (!(value > 0)) {
            return 0;
        }
        return value >= 1 ? 255 : Math.round(value * 255);
    }

    private static int mix(int base, int colour, float alpha) {
        int mixed = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int from = (base >> shift) & 0xFF;
            int to = (colour >> shift) & 0xFF;
            mixed |= Math.round((1 - alpha) * from + alpha * to) << shift;
        }
        return mixed;
    }
}
