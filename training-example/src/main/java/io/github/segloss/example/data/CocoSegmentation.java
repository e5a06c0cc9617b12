package io.github.segloss.example.data;

import java.util.List;

/** The segmentation of one COCO annotation: polygons or run-length encoding. */
sealed interface CocoSegmentation {

    /**
     * Rasterises the segmentation.
     *
     * @param height the image height
     * @param width the image width
     * @return the 0/1 mask, row-major
     */
    byte[] rasterize(int height, int width);

    /**
     * Polygons, filled each by the even-odd rule and united ({@link PolygonFill}).
     *
     * @param polygons the polygons, each {@code x0, y0, x1, y1, ...}
     */
    record Polygons(List<float[]> polygons) implements CocoSegmentation {

        /** {@inheritDoc} */
        @Override
        public byte[] rasterize(int height, int width) {
            byte[] mask = new byte[height * width];
            for (float[] polygon : polygons) {
                PolygonFill.fill(polygon, height, width, mask);
            }
            return mask;
        }
    }

    /**
     * Run-length encoding, compressed or not, already decoded to run lengths.
     *
     * @param height the height in the {@code size} field
     * @param width the width in the {@code size} field
     * @param runs the run lengths, column-major, 0s first
     * @param where the annotation, for messages
     */
    record Rle(int height, int width, long[] runs, String where) implements CocoSegmentation {

        /** {@inheritDoc} */
        @Override
        public byte[] rasterize(int height, int width) {
            return CocoRle.toMask(runs, height, width, where);
        }
    }
}
