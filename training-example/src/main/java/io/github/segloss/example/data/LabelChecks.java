package io.github.segloss.example.data;

import java.nio.file.Path;

/** Checks decoded label masks against their image and the class list. */
final class LabelChecks {

    private LabelChecks() {}

    /**
     * Checks that a mask has the size of its image.
     *
     * @param mask the mask file, named in the message
     * @param labels the decoded mask
     * @param image the decoded image
     * @throws IllegalArgumentException if the sizes differ
     */
    static void requireSameSize(Path mask, ImageFiles.Labels labels, ImageFiles.Rgb image) {
        if (labels.height() != image.height() || labels.width() != image.width()) {
            throw new IllegalArgumentException(
                    mask
                            + ": mask is "
                            + labels.width()
                            + "x"
                            + labels.height()
                            + " (width x height), its image is "
                            + image.width()
                            + "x"
                            + image.height());
        }
    }

    /**
     * Checks that every label is a class id of the class list or {@link Sample#IGNORE}.
     *
     * @param mask the mask file, named in the message
     * @param labels the decoded mask
     * @param classes the number of classes
     * @throws IllegalArgumentException at the first label that is neither
     */
    static void requireClassIds(Path mask, ImageFiles.Labels labels, int classes) {
        int[] values = labels.values();
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            if (v != Sample.IGNORE && (v < 0 || v >= classes)) {
                throw new IllegalArgumentException(
                        mask
                                + ": class id "
                                + v
                                + " at x="
                                + (i % labels.width())
                                + ", y="
                                + (i / labels.width())
                                + " is beyond the class list: expected 0.."
                                + (classes - 1)
                                + " or 255 (ignore)");
            }
        }
    }
}
