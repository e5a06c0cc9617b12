package io.github.segloss.example.eval;

import io.github.segloss.example.data.Sample;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What an evaluation has counted: the confusion matrix of the labelled pixels, the images and
 * pixels scored, and the bad images skipped (their number, and the first {@value #KEPT_BAD_LINES}
 * lines naming them). Counts of disjoint parts of a dataset {@link #merge} exactly, in any order
 * and grouping, into the counts of the whole: a Spark partition's result.
 *
 * <p>Counts of a mask checkpoint ({@link #forInstances}) also hold its {@link InstanceScores}
 * (mask-AP and Boundary-AP matches, Boundary IoUs), merged with them; their confusion matrix stays
 * empty (the mask head predicts no class map). The semantic counts' size does not grow with the
 * images (the bad-image lines are capped); the instance scores' does (the matches of each image).
 */
public final class EvaluationCounts implements Serializable {

    /** The number of bad-image lines kept for the report; the count itself is exact. */
    public static final int KEPT_BAD_LINES = 100;

    private static final long serialVersionUID = 1L;

    private final int numClasses;
    private final long[][] matrix;
    private long images;
    private long pixels;
    private long badImages;
    private final ArrayList<String> badLines = new ArrayList<>();
    private InstanceScores instances;

    /**
     * Creates empty counts.
     *
     * @param numClasses the number of classes C, at least 1
     * @throws IllegalArgumentException if numClasses is below 1
     */
    public EvaluationCounts(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.matrix = new long[numClasses][numClasses];
    }

    /**
     * Creates empty counts of a mask checkpoint's evaluation.
     *
     * @param numClasses the number of classes C, the background included (C - 1 object classes), at
     *     least 2
     * @return the counts, with empty instance scores
     * @throws IllegalArgumentException if numClasses is below 2
     */
    public static EvaluationCounts forInstances(int numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException(
                    "numClasses must be >= 2 (the background and an object class), got "
                            + numClasses);
        }
        EvaluationCounts counts = new EvaluationCounts(numClasses);
        counts.instances = new InstanceScores(numClasses - 1);
        return counts;
    }

    /**
     * Counts one image of a mask checkpoint: the predicted mask of each ground-truth instance.
     *
     * @param index the image's index in the dataset
     * @param image its instances, object classes in {@code [0, C - 1)}
     * @throws IllegalArgumentException if these are no instance counts, or the image is bad
     */
    public void addInstances(int index, InstanceScores.Predicted image) {
        if (instances == null) {
            throw new IllegalArgumentException(
                    "these counts are of a semantic model; instance counts come from forInstances");
        }
        instances.addImage(index, image);
        images++;
        pixels += (long) image.height() * image.width();
    }

    /**
     * Returns the instance scores of a mask checkpoint's evaluation.
     *
     * @return the scores, or null for a semantic model's counts
     */
    public InstanceScores instances() {
        return instances;
    }

    /**
     * Counts one scored image.
     *
     * @param labels the image's labels, class ids in {@code [0, C)} or {@link Sample#IGNORE}
     * @param predicted the predicted class ids, as many as labels, in {@code [0, C)}
     * @throws IllegalArgumentException if the lengths differ or a value is out of range (nothing is
     *     counted then)
     */
    public void addImage(int[] labels, int[] predicted) {
        if (labels.length != predicted.length) {
            throw new IllegalArgumentException(
                    "predicted must have as many pixels as labels ("
                            + labels.length
                            + "), got "
                            + predicted.length);
        }
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            int guess = predicted[i];
            if ((label != Sample.IGNORE && (label < 0 || label >= numClasses))
                    || guess < 0
                    || guess >= numClasses) {
                throw new IllegalArgumentException(
                        "labels must be in [0, "
                                + numClasses
                                + ") or "
                                + Sample.IGNORE
                                + " and predictions in [0, "
                                + numClasses
                                + "), got label "
                                + label
                                + " predicted as "
                                + guess
                                + " at pixel "
                                + i);
            }
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != Sample.IGNORE) {
                matrix[labels[i]][predicted[i]]++;
            }
        }
        images++;
        pixels += labels.length;
    }

    /**
     * Counts one image predicted without labels (batch prediction of a folder of images).
     *
     * @param pixels its pixels
     * @throws IllegalArgumentException if pixels is below 1
     */
    public void addUnlabelledImage(long pixels) {
        if (pixels < 1) {
            throw new IllegalArgumentException("pixels must be >= 1, got " + pixels);
        }
        images++;
        this.pixels += pixels;
    }

    /**
     * Counts one bad image, skipped.
     *
     * @param line the line that named it and its problem
     */
    public void addBadImage(String line) {
        badImages++;
        if (badLines.size() < KEPT_BAD_LINES) {
            badLines.add(line);
        }
    }

    /**
     * Adds other counts of the same classes to these (a disjoint part of the data).
     *
     * @param other the other counts, unchanged
     * @return these counts
     * @throws IllegalArgumentException if the other counts have another number of classes, or both
     *     scored one image of a mask checkpoint
     */
    public EvaluationCounts merge(EvaluationCounts other) {
        if (other.numClasses != numClasses) {
            throw new IllegalArgumentException(
                    "other must count "
                            + numClasses
                            + " classes, got "
                            + other.numClasses
                            + " classes");
        }
        for (int i = 0; i < numClasses; i++) {
            for (int j = 0; j < numClasses; j++) {
                matrix[i][j] = Math.addExact(matrix[i][j], other.matrix[i][j]);
            }
        }
        if (other.instances != null) {
            if (instances == null) {
                // counts of samples skipped at opening know nothing of instances: they merge
                instances = new InstanceScores(other.instances.numClasses());
            }
            instances.merge(other.instances);
        }
        images += other.images;
        pixels += other.pixels;
        badImages += other.badImages;
        for (String line : other.badLines) {
            if (badLines.size() >= KEPT_BAD_LINES) {
                break;
            }
            badLines.add(line);
        }
        return this;
    }

    /**
     * Returns the number of classes C.
     *
     * @return C
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Returns a copy of the confusion matrix of the labelled pixels.
     *
     * @return C×C counts, {@code [trueClass][predictedClass]}
     */
    public long[][] confusionMatrix() {
        long[][] copy = new long[numClasses][];
        for (int i = 0; i < numClasses; i++) {
            copy[i] = matrix[i].clone();
        }
        return copy;
    }

    /**
     * Returns the number of images scored.
     *
     * @return the count
     */
    public long images() {
        return images;
    }

    /**
     * Returns the number of pixels of the images scored, ignored ones included.
     *
     * @return the count
     */
    public long pixels() {
        return pixels;
    }

    /**
     * Returns the number of bad images skipped.
     *
     * @return the count
     */
    public long badImages() {
        return badImages;
    }

    /**
     * Returns the first lines naming bad images, at most {@value #KEPT_BAD_LINES}.
     *
     * @return the lines
     */
    public List<String> badLines() {
        return Collections.unmodifiableList(badLines);
    }
}
