package io.github.segloss.example.report;

import java.awt.GraphicsEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a fresh JVM by {@link HeadlessTest}: draws every report image without touching AWT first,
 * then prints whether AWT is headless.
 */
public final class HeadlessProbe {

    private HeadlessProbe() {}

    /**
     * Writes the images into a temporary folder and prints {@code headless=<true|false>}.
     *
     * @param args unused
     * @throws Exception if an image cannot be drawn or written
     */
    public static void main(String[] args) throws Exception {
        Path folder = Files.createTempDirectory("segloss-headless-");
        try {
            LossCurve.write(folder.resolve("loss-curve.png"), Epochs.first(3), 320, 240);
            Palette.writeClassIdPng(folder.resolve("ids.png"), new int[] {0, 1, 2, 255}, 2, 2);
            Overlay.writeGrid(
                    folder.resolve("predictions.png"),
                    List.of(Images.gradient(4, 4)),
                    List.of(new int[16]),
                    List.of(new int[16]),
                    4,
                    4);
            System.out.println("headless=" + GraphicsEnvironment.isHeadless());
        } finally {
            for (String name : List.of("loss-curve.png", "ids.png", "predictions.png")) {
                Files.deleteIfExists(folder.resolve(name));
            }
            Files.delete(folder);
        }
    }
}
