package io.github.segloss.example.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Decodes images and label masks with Java SE's ImageIO (PNG, JPEG, BMP, GIF). */
final class ImageFiles {

    private ImageFiles() {}

    /**
     * An RGB image as CHW floats in [0, 1].
     *
     * @param height the height
     * @param width the width
     * @param chw the values, row-major per channel
     */
    record Rgb(int height, int width, float[] chw) {}

    /**
     * A label mask: one integer per pixel.
     *
     * @param height the height
     * @param width the width
     * @param values the labels, row-major
     */
    record Labels(int height, int width, int[] values) {}

    /**
     * Reads an image as RGB. Grey images are read by value (not through the grey colour space,
     * whose conversion to sRGB would brighten them) and copied to the three channels; alpha is
     * dropped.
     *
     * @param file the image file
     * @return the image
     * @throws IllegalArgumentException if the file cannot be read or decoded
     */
    static Rgb readRgb(Path file) {
        BufferedImage image = decode(file, "image");
        int height = image.getHeight();
        int width = image.getWidth();
        int plane = height * width;
        float[] chw = new float[3 * plane];
        if (isGrey(image)) {
            Raster raster = image.getRaster();
            int[] grey = raster.getSamples(0, 0, width, height, 0, (int[]) null);
            float max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
            for (int i = 0; i < plane; i++) {
                float v = grey[i] / max;
                chw[i] = v;
                chw[plane + i] = v;
                chw[2 * plane + i] = v;
            }
        } else {
            int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
            for (int i = 0; i < plane; i++) {
                int p = argb[i];
                chw[i] = ((p >> 16) & 0xFF) / 255f;
                chw[plane + i] = ((p >> 8) & 0xFF) / 255f;
                chw[2 * plane + i] = (p & 0xFF) / 255f;
            }
        }
        return new Rgb(height, width, chw);
    }

    /**
     * Reads a label mask: a palette (indexed) image is read by palette index, a single-channel grey
     * image by value. Colour images are refused, since their colours are not class ids.
     *
     * @param file the mask file
     * @return the labels
     * @throws IllegalArgumentException if the file cannot be decoded or is not a palette or grey
     *     image
     */
    static Labels readLabels(Path file) {
        BufferedImage image = decode(file, "mask");
        boolean indexed = image.getColorModel() instanceof IndexColorModel;
        if (!indexed && !isGrey(image)) {
            throw new IllegalArgumentException(
                    file
                            + ": a mask must be a palette or grey PNG of class ids, got a "
                            + image.getColorModel().getNumComponents()
                            + "-channel colour image");
        }
        int height = image.getHeight();
        int width = image.getWidth();
        int[] values = image.getRaster().getSamples(0, 0, width, height, 0, (int[]) null);
        return new Labels(height, width, values);
    }

    private static boolean isGrey(BufferedImage image) {
        return !(image.getColorModel() instanceof IndexColorModel)
                && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    private static BufferedImage decode(Path file, String role) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    file + ": cannot decode " + role + ": " + ErrorText.reason(e), e);
        }
        if (image == null) {
            throw new IllegalArgumentException(
                    file + ": cannot decode " + role + ": not a PNG, JPEG, BMP or GIF image");
        }
        return image;
    }
}
