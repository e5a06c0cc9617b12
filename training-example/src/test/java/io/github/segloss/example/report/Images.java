package io.github.segloss.example.report;

import java.awt.image.BufferedImage;

/** Made-up images and pixel checks for the image tests. */
final class Images {

    private Images() {}

    /** A CHW image of one colour. */
    static float[] uniform(int width, int height, float r, float g, float b) {
        int plane = width * height;
        float[] image = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            image[i] = r;
            image[plane + i] = g;
            image[2 * plane + i] = b;
        }
        return image;
    }

    /** A CHW image whose red rises left to right, green top to bottom, blue constant. */
    static float[] gradient(int width, int height) {
        int plane = width * height;
        float[] image = new float[3 * plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                image[i] = x / (float) Math.max(1, width - 1);
                image[plane + i] = y / (float) Math.max(1, height - 1);
                image[2 * plane + i] = 0.25f;
            }
        }
        return image;
    }

    /** Class ids: {@code id} inside the rectangle [x0, x1) × [y0, y1), 0 elsewhere. */
    static int[] box(int width, int height, int x0, int y0, int x1, int y1, int id) {
        int[] ids = new int[width * height];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                ids[y * width + x] = id;
            }
        }
        return ids;
    }

    /** How many pixels have exactly this colour. */
    static int count(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }

    /** How many pixels differ from this colour. */
    static int countOther(BufferedImage image, int rgb) {
        return image.getWidth() * image.getHeight() - count(image, rgb);
    }
}
