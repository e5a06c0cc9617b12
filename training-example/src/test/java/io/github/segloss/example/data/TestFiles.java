package io.github.segloss.example.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import javax.imageio.ImageIO;

/** Writes the small image, mask and text files of the test datasets. */
final class TestFiles {

    private TestFiles() {}

    /**
     * The Pascal VOC colour map: colours that are not their index, so reading a palette PNG by
     * colour instead of index would fail.
     *
     * @return the 256-entry palette
     */
    static IndexColorModel vocPalette() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            int c = i;
            int red = 0;
            int green = 0;
            int blue = 0;
            for (int j = 0; j < 8; j++) {
                red |= ((c) & 1) << (7 - j);
                green |= ((c >> 1) & 1) << (7 - j);
                blue |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            r[i] = (byte) red;
            g[i] = (byte) green;
            b[i] = (byte) blue;
        }
        r[255] = (byte) 224;
        g[255] = (byte) 224;
        b[255] = (byte) 192;
        return new IndexColorModel(8, 256, r, g, b);
    }

    /**
     * Writes an RGB image whose pixel (x, y) has colour {@code (10x, 10y, 7)}.
     *
     * @param file the file; its extension picks PNG or JPEG
     * @param width the width
     * @param height the height
     */
    static void rgb(Path file, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (10 * x) << 16 | (10 * y) << 8 | 7);
            }
        }
        String name = file.getFileName().toString();
        write(image, name.endsWith(".png") ? "png" : "jpg", file);
    }

    /**
     * Writes a palette PNG whose pixel indices are the given labels.
     *
     * @param file the file
     * @param width the width
     * @param labels the row-major indices
     */
    static void palette(Path file, int width, int[] labels) {
        BufferedImage image =
                new BufferedImage(
                        width,
                        labels.length / width,
                        BufferedImage.TYPE_BYTE_INDEXED,
                        vocPalette());
        image.getRaster().setSamples(0, 0, width, labels.length / width, 0, labels);
        write(image, "png", file);
    }

    /**
     * Writes an 8-bit grey PNG whose pixel values are the given labels.
     *
     * @param file the file
     * @param width the width
     * @param labels the row-major values
     */
    static void grey(Path file, int width, int[] labels) {
        BufferedImage image =
                new BufferedImage(width, labels.length / width, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        raster.setSamples(0, 0, width, labels.length / width, 0, labels);
        write(image, "png", file);
    }

    /**
     * Writes a text file, creating its folders.
     *
     * @param file the file
     * @param text the content
     */
    static void text(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes a folder tree (links are deleted, not followed).
     *
     * @param root the folder
     */
    static void delete(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(
                    root,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                                throws IOException {
                            Files.delete(file);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path dir, IOException e)
                                throws IOException {
                            Files.delete(dir);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(BufferedImage image, String format, Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
