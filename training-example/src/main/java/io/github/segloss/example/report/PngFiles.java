package io.github.segloss.example.report;

import io.github.segloss.example.files.AtomicFiles;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Writes images as PNG files, atomically, without ImageIO's temporary disk cache. */
final class PngFiles {

    static {
        Headless.ensure();
    }

    private PngFiles() {}

    /**
     * Writes an image as a PNG file atomically. Indexed images stay indexed, grey images grey.
     *
     * @throws IOException if no PNG writer is installed or the file cannot be written
     */
    static void write(Path file, RenderedImage image) throws IOException {
        AtomicFiles.write(
                file,
                out -> {
                    ImageWriter writer = pngWriter();
                    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                        writer.setOutput(stream);
                        writer.write(image);
                    } finally {
                        writer.dispose();
                    }
                });
    }

    private static ImageWriter pngWriter() throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("expected a PNG ImageWriter in javax.imageio, found none");
        }
        return writers.next();
    }
}
