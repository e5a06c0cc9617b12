package io.github.segloss.example.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes images and label masks with Java SE's ImageIO (PNG, JPEG, BMP, GIF), refusing hostile
 * files with a message that names the file and the problem:
 *
 * <ul>
 *   <li>an empty (0-byte) file, or one that is no image of these formats;
 *   <li>an image whose header declares more than {@code maxPixels} pixels (width × height): the
 *       header alone is read, so a decompression bomb allocates nothing;
 *   <li>a truncated or corrupt file: the decoder's errors, and also its warnings (ImageIO decodes a
 *       truncated JPEG with a warning only, filling the missing part with grey).
 * </ul>
 */
public final class ImageFiles {

    private ImageFiles() {}

    /**
     * An RGB image as CHW floats in [0, 1].
     *
     * @param height the height
     * @param width the width
     * @param chw the values, row-major per channel
     */
    public record Rgb(int height, int width, float[] chw) {}

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
     * @param maxPixels the largest width × height decoded
     * @return the image
     * @throws IllegalArgumentException if the file cannot be read or decoded, or is too large
     */
    public static Rgb readRgb(Path file, long maxPixels) {
        BufferedImage image = decode(file, "image", maxPixels);
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
     * @param maxPixels the largest width × height decoded
     * @return the labels
     * @throws IllegalArgumentException if the file cannot be decoded, is too large, or is not a
     *     palette or grey image
     */
    static Labels readLabels(Path file, long maxPixels) {
        BufferedImage image = decode(file, "mask", maxPixels);
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

    private static BufferedImage decode(Path file, String role, long maxPixels) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    file + ": cannot read " + role + ": " + ErrorText.reason(e), e);
        }
        if (bytes == 0) {
            throw new IllegalArgumentException(file + ": " + role + " file is empty (0 bytes)");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException(
                        file + ": cannot decode " + role + ": not a PNG, JPEG, BMP or GIF image");
            }
            ImageReader reader = readers.next();
            try {
                return read(reader, in, file, role, maxPixels);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    file + ": cannot read " + role + ": " + ErrorText.reason(e), e);
        }
    }

    /** Reads the header, checks the size, then decodes, failing on any decoder warning. */
    private static BufferedImage read(
            ImageReader reader, ImageInputStream in, Path file, String role, long maxPixels) {
        String format =
                reader.getOriginatingProvider().getFormatNames()[0].toUpperCase(Locale.ROOT);
        long width;
        long height;
        try {
            reader.setInput(in, true, true);
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            throw damaged(file, format, role, e);
        }
        requirePixels(file, role, width, height, maxPixels);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image;
        try {
            image = reader.read(0);
        } catch (IOException | RuntimeException e) {
            throw damaged(file, format, role, e);
        }
        if (!warnings.isEmpty()) {
            throw new IllegalArgumentException(
                    file
                            + ": "
                            + damage(format, role, null, warnings)
                            + " ("
                            + String.join("; ", warnings)
                            + ")");
        }
        return image;
    }

    private static void requirePixels(
            Path file, String role, long width, long height, long maxPixels) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    file + ": " + role + " declares an empty size " + width + "x" + height);
        }
        if (width * height > maxPixels) {
            throw new IllegalArgumentException(
                    file
                            + ": "
                            + role
                            + " declares "
                            + width
                            + "x"
                            + height
                            + " = "
                            + width * height
                            + " pixels, above the limit of "
                            + maxPixels
                            + " (--max-image-pixels); refused before decoding");
        }
    }

    private static IllegalArgumentException damaged(
            Path file, String format, String role, Exception error) {
        return new IllegalArgumentException(
                file + ": " + damage(format, role, error, List.of()) + " (" + causes(error) + ")",
                error);
    }

    /** "truncated PNG image" when the data ends early, else "corrupt PNG image". */
    private static String damage(
            String format, String role, Throwable error, List<String> warnings) {
        boolean truncated = false;
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            truncated |= t instanceof EOFException;
        }
        for (String warning : warnings) {
            String text = warning.toLowerCase(Locale.ROOT);
            truncated |= text.contains("truncated") || text.contains("premature end");
        }
        return (truncated ? "truncated " : "corrupt ") + format + " " + role;
    }

    /** The messages of an exception and its causes, joined: what the decoder said. */
    private static String causes(Throwable error) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = error; t != null && parts.size() < 4; t = t.getCause()) {
            String part =
                    t instanceof EOFException && t.getMessage() == null
                            ? "unexpected end of file"
                            : ErrorText.reason(t);
            if (!parts.contains(part)) {
                parts.add(part);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return String.join(": ", parts);
    }
}
