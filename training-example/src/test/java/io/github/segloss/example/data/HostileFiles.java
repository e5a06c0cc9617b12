package io.github.segloss.example.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/**
 * Crafts hostile image files for the tests, byte by byte from the PNG and JPEG specifications:
 * empty files, files cut inside their pixel data, corrupt compressed data, and headers declaring a
 * huge size over a tiny body (decompression bombs).
 */
final class HostileFiles {

    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A
    };

    private HostileFiles() {}

    /**
     * Writes a zero-byte file.
     *
     * @param file the file
     */
    static void empty(Path file) {
        write(file, new byte[0]);
    }

    /**
     * Writes text that no image reader recognises.
     *
     * @param file the file
     */
    static void notAnImage(Path file) {
        write(file, "this is not an image, only text".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Writes a noisy RGB image (noise keeps the compressed pixel data long, so a cut lands in it).
     *
     * @param format "png" or "jpg"
     * @param width the width
     * @param height the height
     * @return the encoded file
     */
    static byte[] noisy(String format, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(width * 31L + height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, bytes)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Writes the first part of a PNG, cut in the middle of its first {@code IDAT} chunk's data.
     *
     * @param file the file
     * @param png a whole PNG file
     */
    static void truncatedPng(Path file, byte[] png) {
        int idat = indexOf(png, "IDAT".getBytes(StandardCharsets.US_ASCII));
        int length = ByteBuffer.wrap(png, idat - 4, 4).getInt();
        write(file, Arrays.copyOf(png, idat + 4 + length / 2));
    }

    /**
     * Writes the first part of a JPEG, cut halfway through its entropy-coded scan (after the SOS
     * marker {@code FF DA}), so the header is whole and the pixel data ends early.
     *
     * @param file the file
     * @param jpeg a whole JPEG file
     */
    static void truncatedJpeg(Path file, byte[] jpeg) {
        int sos = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xDA});
        write(file, Arrays.copyOf(jpeg, sos + (jpeg.length - sos) / 2));
    }

    /**
     * Writes a PNG whose compressed pixel data is damaged (bytes inverted in the middle of the
     * first {@code IDAT} chunk), so zlib's check fails; the file is whole.
     *
     * @param file the file
     * @param png a whole PNG file
     */
    static void corruptPng(Path file, byte[] png) {
        byte[] bytes = png.clone();
        int idat = indexOf(bytes, "IDAT".getBytes(StandardCharsets.US_ASCII));
        int length = ByteBuffer.wrap(bytes, idat - 4, 4).getInt();
        for (int i = idat + 4 + length / 3; i < idat + 4 + length / 3 + 16; i++) {
            bytes[i] ^= (byte) 0x5A;
        }
        write(file, bytes);
    }

    /**
     * Writes a PNG decompression bomb: an {@code IHDR} declaring {@code width x height} 8-bit RGB
     * pixels, then one tiny {@code IDAT} (the zlib stream of 1 KB of zeros) and {@code IEND}. The
     * file has about a hundred bytes; decoding it would allocate {@code 3 * width * height} bytes.
     *
     * @param file the file
     * @param width the declared width
     * @param height the declared height
     */
    static void pngBomb(Path file, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PNG_SIGNATURE);
        ByteBuffer header = ByteBuffer.allocate(13);
        header.putInt(width).putInt(height);
        header.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", header.array());
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(new byte[1024]);
        deflater.finish();
        byte[] buffer = new byte[256];
        int compressed = deflater.deflate(buffer);
        deflater.end();
        chunk(out, "IDAT", Arrays.copyOf(buffer, compressed));
        chunk(out, "IEND", new byte[0]);
        write(file, out.toByteArray());
    }

    /**
     * Writes a JPEG decompression bomb: a small JPEG whose baseline frame header ({@code SOF0},
     * {@code FF C0}) is patched to declare {@code width x height}.
     *
     * @param file the file
     * @param width the declared width, at most 65535
     * @param height the declared height, at most 65535
     */
    static void jpegBomb(Path file, int width, int height) {
        byte[] jpeg = noisy("jpg", 16, 16);
        int sof = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC0});
        // FF C0, length (2), precision (1), height (2), width (2)
        jpeg[sof + 5] = (byte) (height >> 8);
        jpeg[sof + 6] = (byte) height;
        jpeg[sof + 7] = (byte) (width >> 8);
        jpeg[sof + 8] = (byte) width;
        write(file, jpeg);
    }

    /**
     * Writes bytes, creating the file's folders.
     *
     * @param file the file
     * @param bytes the content
     */
    static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static int indexOf(byte[] bytes, byte[] pattern) {
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        throw new IllegalStateException("pattern not found");
    }
}
