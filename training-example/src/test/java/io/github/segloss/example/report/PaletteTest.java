package io.github.segloss.example.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.testng.annotations.Test;

/** {@link Palette}: VOC colours, class-id PNGs written and read back by index or value. */
public class PaletteTest {

    /** Every class id once, then 255 again, on a 16 × 17 map. */
    private static int[] allIds() {
        int[] ids = new int[16 * 17];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i < 256 ? i : 255;
        }
        return ids;
    }

    @Test
    public void theFirst21ColoursAreDistinctAndFarApart() {
        Set<Integer> colours = new HashSet<>();
        for (int a = 0; a < 21; a++) {
            colours.add(Palette.rgb(a));
            for (int b = 0; b < a; b++) {
                int ca = Palette.rgb(a);
                int cb = Palette.rgb(b);
                int farthest = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    farthest =
                            Math.max(
                                    farthest,
                                    Math.abs(((ca >> shift) & 0xFF) - ((cb >> shift) & 0xFF)));
                }
                assertTrue(farthest >= 64, "classes " + a + " and " + b);
            }
        }
        assertEquals(colours.size(), 21);
    }

    @Test
    public void theColoursAreThoseOfPascalVoc() {
        assertEquals(Palette.rgb(0), 0x000000);
        assertEquals(Palette.rgb(1), 0x800000);
        assertEquals(Palette.rgb(2), 0x008000);
        assertEquals(Palette.rgb(15), 0xC08080); // person
        assertEquals(Palette.rgb(20), 0x004080); // tv/monitor
        assertEquals(Palette.rgb(Palette.IGNORE), 0xE0E0C0); // void
    }

    @Test
    public void aClassIdOutsideTheByteIsRejected() {
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> Palette.rgb(256));

        assertEquals(e.getMessage(), "classId must be in [0, 255], got 256");
    }

    @Test
    public void indexedPngRoundTripsEveryIdIncluding255() throws IOException {
        Path file = TempFolders.create().resolve("ids.png");
        int[] ids = allIds();

        Palette.writeClassIdPng(file, ids, 16, 17);

        assertEquals(Palette.readClassIdPng(file), ids);
    }

    @Test
    public void indexedPngIsAPaletteImageShowingTheClassColours() throws IOException {
        Path file = TempFolders.create().resolve("ids.png");

        Palette.writeClassIdPng(file, allIds(), 16, 17);

        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(image.getWidth(), 16);
        assertEquals(image.getHeight(), 17);
        assertTrue(image.getColorModel() instanceof IndexColorModel);
        assertEquals(image.getRGB(15, 0) & 0xFFFFFF, Palette.rgb(15));
        assertEquals(image.getRGB(15, 16) & 0xFFFFFF, Palette.rgb(255));
    }

    @Test
    public void greyPngRoundTripsEveryIdIncluding255() throws IOException {
        Path file = TempFolders.create().resolve("ids.png");
        int[] ids = allIds();

        Palette.writeGreyClassIdPng(file, ids, 16, 17);

        assertEquals(ImageIO.read(file.toFile()).getType(), BufferedImage.TYPE_BYTE_GRAY);
        assertEquals(Palette.readClassIdPng(file), ids);
    }

    @Test
    public void anRgbPngIsNotReadAsClassIds() throws IOException {
        Path file = TempFolders.create().resolve("rgb.png");
        PngFiles.write(file, new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB));

        IOException e = expectThrows(IOException.class, () -> Palette.readClassIdPng(file));

        assertTrue(
                e.getMessage().contains("expected an indexed or an 8-bit grey image, got 3 band"),
                e.getMessage());
    }

    @Test
    public void aClassIdOutsideTheByteIsNotWritten() throws IOException {
        Path folder = TempFolders.create();

        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                Palette.writeClassIdPng(
                                        folder.resolve("ids.png"), new int[] {0, 1, 300, 2}, 2, 2));

        assertEquals(e.getMessage(), "classIds[2] must be a class id in [0, 255], got 300");
        assertEquals(TempFolders.names(folder), List.of());
    }

    @Test
    public void classIdsOfTheWrongCountAreRejected() throws IOException {
        Path file = TempFolders.create().resolve("ids.png");

        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> Palette.writeGreyClassIdPng(file, new int[5], 2, 2));

        assertEquals(e.getMessage(), "classIds must have width * height = 4 values, got 5");
    }
}
