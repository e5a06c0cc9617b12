package io.github.segloss.example.data;

import java.util.List;
import java.util.Map;

/**
 * What the data layer keeps of a COCO instances file: its images, its categories as a contiguous
 * class list, and the annotations of each image.
 *
 * @param images the images, in file order
 * @param classes "background" followed by the category names in ascending category id
 * @param classOfCategory the class index of each category id
 * @param annotations the annotations of each image, aligned with {@code images}, in file order
 */
record CocoIndex(
        List<Image> images,
        List<String> classes,
        Map<Long, Integer> classOfCategory,
        List<List<Annotation>> annotations) {

    /**
     * One entry of {@code images}.
     *
     * @param id the image id
     * @param fileName the file name, relative to the split's image folder
     * @param height the height the annotations are drawn at
     * @param width the width the annotations are drawn at
     * @param where its place in the file, e.g. {@code images[3]}, for messages
     */
    record Image(long id, String fileName, int height, int width, String where) {}

    /**
     * One entry of {@code annotations}.
     *
     * @param classIndex the contiguous class index of its category
     * @param crowd whether {@code iscrowd} is set
     * @param segmentation the segmentation
     */
    record Annotation(int classIndex, boolean crowd, CocoSegmentation segmentation) {}
}
