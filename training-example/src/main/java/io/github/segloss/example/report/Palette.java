package io.github.segloss.example.report;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * A fixed colour per class id, and class-id maps as PNG files.
 *
 * <p>The colours are Pascal VOC's colour map: the bits of the class id are dealt out, from the
 * lowest, to red, green and blue, filling each channel from its highest bit down. Class 0 is black,
 * 1 dark red (128, 0, 0), 2 dark green (0, 128, 0), 3 olive (128, 128, 0), ..., 15 person (192,
 * 128, 128); any two of the first 64 ids differ by at least 64 in some channel. Id 255, the ignore
 * label, is VOC's own "void" colour (224, 224, 192), a light warm grey, so the indexed PNGs written
 * here show exactly as VOC's {@code SegmentationClass} files do.
 *
 * <p>Class-id maps are stored as 8-bit PNGs whose pixel values are the class ids: either indexed,
 * with this palette (readable as a picture), or grey (value = class id, dark but tool-friendly).
 * {@link #readClassIdPng} reads both, and other indexed PNGs (such as VOC's), by index.
 */
public final class Palette {

    /** The ignore label; its colour is (224, 224, 192). */
    public static final int IGNORE = 255;

    static {
        Headless.ensure();
    }

    private static final int COLOURS = 256;
    private static final int[] RGB = vocColourMap();
    private static final IndexColorModel COLOR_MODEL = colorModel(RGB);

    private Palette() {}

    /**
     * The colour of a class.
     *
     * @param classId a class id in [0, 255]
     * @return the colour as {@code 0xRRGGBB}
     * @throws IllegalArgumentException if classId is outside [0, 255]
     */
    public static int rgb(int classId) {
        if (classId < 0 || classId >= COLOURS) {
            throw new IllegalArgumentException("classId must be in [0, 255], got " + classId);
        }
        return RGB[classId];
    }

    /**
     * Writes class ids as an indexed (palette) PNG with these colours, atomically.
     *
     * @param file the file to write
     * @param classIds the class ids, row by row ({@code height * width} values in [0, 255])
     * @param width the width in pixels, at least 1
     * @param height the height in pixels, at least 1
     * @throws IllegalArgumentException if a size is below 1, classIds has not width * height
     *     values, or a class id is outside [0, 255]
     * @throws IOException if the file cannot be written
     */
    public static void writeClassIdPng(Path file, int[] classIds, int width, int height)
            throws IOException {
        Objects.requireNonNull(file, "file");
        BufferedImage image =
                new BufferedImage(
                        width(width), height(height), BufferedImage.TYPE_BYTE_INDEXED, COLOR_MODEL);
        fill(image.getRaster(), classIds, width, height);
        PngFiles.write(file, image);
    }

    /**
     * Writes class ids as an 8-bit grey PNG whose values are the class ids, atomically.
     *
     * @param file the file to write
     * @param classIds the class ids, row by row ({@code height * width} values in [0, 255])
     * @param width the width in pixels, at least 1
     * @param height the height in pixels, at least 1
     * @throws IllegalArgumentException if a size is below 1, classIds has not width * height
     *     values, or a class id is outside [0, 255]
     * @throws IOException if the file cannot be written
     */
    public static void writeGreyClassIdPng(Path file, int[] classIds, int width, int height)
            throws IOException {
        Objects.requireNonNull(file, "file");
        BufferedImage image =
                new BufferedImage(width(width), height(height), BufferedImage.TYPE_BYTE_GRAY);
        fill(image.getRaster(), classIds, width, height);
        PngFiles.write(file, image);
    }

    /**
     * Reads the class ids of an indexed PNG (by palette index, whatever the colours) or of an 8-bit
     * (or lower) grey PNG (by value).
     *
     * @param file the file to read
     * @return the class ids, row by row ({@code height * width} values in [0, 255])
     * @throws IOException if the file cannot be read or is neither an indexed nor an 8-bit grey
     *     image
     */
    public static int[] readClassIdPng(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException(
                    file + ": expected a PNG image, got a file no ImageIO reader reads");
        }
        Raster raster = image.getRaster();
        ColorModel model = image.getColorModel();
        boolean indexed = model instanceof IndexColorModel;
        boolean grey =
                model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                        && model.getComponentSize(0) <= 8;
        if (raster.getNumBands() != 1 || !(indexed || grey)) {
            throw new IOException(
                    file
                            + ": expected an indexed or an 8-bit grey image, got "
                            + raster.getNumBands()
                            + " band(s) of "
                            + model.getComponentSize(0)
                            + " bits in colour space type "
                            + model.getColorSpace().getType());
        }
        return raster.getSamples(0, 0, image.getWidth(), image.getHeight(), 0, (int[]) null);
    }

    /** The palette as an {@link IndexColorModel} of 256 colours. */
    static IndexColorModel colorModel() {
        return COLOR_MODEL;
    }

    private static int width(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be >= 1, got " + width);
        }
        return width;
    }

    private static int height(int height) {
        if (height < 1) {
            throw new IllegalArgumentException("height must be >= 1, got " + height);
        }
        return height;
    }

    /** Checks the class ids of a width × height map: their count and their range. */
    static void requireClassIds(int[] classIds, String name, int width, int height) {
        Objects.requireNonNull(classIds, name);
        long expected = (long) width * height;
        if (classIds.length != expected) {
            throw new IllegalArgumentException(
                    name
                            + " must have width * height = "
                            + expected
                            + " values, got "
                            + classIds.length);
        }
        for (int i = 0; i < classIds.length; i++) {
            if (classIds[i] < 0 || classIds[i] >= COLOURS) {
                throw new IllegalArgumentException(
                        name + "[" + i + "] must be a class id in [0, 255], got " + classIds[i]);
            }
        }
    }

    private static void fill(WritableRaster raster, int[] classIds, int width, int height) {
        requireClassIds(classIds, "classIds", width, height);
        raster.setSamples(0, 0, width, height, 0, classIds);
    }

    /** Pascal VOC's bit-interleaved colour map (VOCdevkit {@code labelcolormap.m}). */
    private static int[] vocColourMap() {
        int[] colours = new int[COLOURS];
        for (int id = 0; id < COLOURS; id++) {
            int r = 0;
            int g = 0;
            int b = 0;
            int bits = id;
            for (int shift = 7; shift >= 0; shift--) {
                r |= (bits & 1) << shift;
                g |= ((bits >> 1) & 1) << shift;
                b |= ((bits >> 2) & 1) << shift;
                bits >>= 3;
            }
            colours[id] = (r << 16) | (g << 8) | b;
        }
        return colours;
    }

    private static IndexColorModel colorModel(int[] rgb) {
        byte[] r = new byte[COLOURS];
        byte[] g = new byte[COLOURS];
        byte[] b = new byte[COLOURS];
        for (int i = 0; i < COLOURS; i++) {
            r[i] = (byte) (rgb[i] >> 16);
            g[i] = (byte) (rgb[i] >> 8);
            b[i] = (byte) rgb[i];
        }
        return new IndexColorModel(8, COLOURS, r, g, b);
    }
}
