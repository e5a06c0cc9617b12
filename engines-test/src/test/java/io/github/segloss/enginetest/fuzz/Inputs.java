package io.github.segloss.enginetest.fuzz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared generator of the fuzz cases: shapes (ranks 2 to 5, empty batches, empty axes), logits
 * from 1e-6 to 1e4 in several patterns, and labels of every accepted type with values in range,
 * ignored, or broken in one of the ways a user can break them. Every draw is recorded in the case's
 * description.
 */
public final class Inputs {

    /** Marks "no ignore index" (the losses' {@code ValueChecks.NO_IGNORE}). */
    public static final int NO_IGNORE = Integer.MIN_VALUE;

    /** The types class-index labels may have. */
    private static final DataType[] LABEL_TYPES = {
        DataType.INT64,
        DataType.INT32,
        DataType.FLOAT32,
        DataType.FLOAT64,
        DataType.UINT8,
        DataType.INT8
    };

    /** Largest number of pixels per image, to keep cases fast. */
    private static final int MAX_PIXELS = 40;

    private Inputs() {}

    /**
     * Labels drawn for a case (whether they are invalid is recorded in the case).
     *
     * @param values the values as the engine gets them
     * @param type the labels' type
     */
    public record Labels(HostArray values, DataType type) {

        /**
         * Creates the labels on the engine.
         *
         * @param manager the manager
         * @return the labels
         */
        public NDArray create(NDManager manager) {
            return values.create(manager, type);
        }
    }

    /**
     * Draws the shape of logits {@code (N, C, d1..dk)}: rank in [minRank, maxRank], N in 0..3 (0
     * rarely), C in [minClasses, maxClasses], spatial axes of 1 to 6 (rarely 0) with at most 40
     * pixels per image.
     *
     * @param c the case
     * @param minRank the smallest rank, >= 2
     * @param maxRank the largest rank
     * @param minClasses the fewest classes
     * @param maxClasses the most classes
     * @return the shape
     */
    public static Shape logitShape(
            FuzzCase c, int minRank, int maxRank, int minClasses, int maxClasses) {
        int rank = c.intIn(minRank, maxRank);
        long[] dims = new long[rank];
        dims[0] = c.chance(0.06) ? 0 : c.intIn(1, 3);
        dims[1] = c.intIn(minClasses, maxClasses);
        int pixels = 1;
        for (int axis = 2; axis < rank; axis++) {
            int largest = Math.max(1, Math.min(6, MAX_PIXELS / pixels));
            dims[axis] = c.chance(0.02) ? 0 : c.intIn(1, largest);
            pixels *= (int) Math.max(1, dims[axis]);
        }
        return new Shape(dims);
    }

    /**
     * Draws the float type of the predictions: float32, sometimes float64.
     *
     * @param c the case
     * @return the type
     */
    public static DataType floatType(FuzzCase c) {
        DataType type = c.chance(0.1) ? DataType.FLOAT64 : DataType.FLOAT32;
        c.describe("predictionType", type);
        return type;
    }

    /**
     * Draws logits of a shape: a scale from 1e-6 to 1e4 and a pattern (uniform, signs only, a few
     * tied levels, one constant, or small values with a few ±1e4 spikes), rounded to the type.
     *
     * @param c the case
     * @param shape the shape
     * @param type the type the logits are created in
     * @return the logits
     */
    public static HostArray logits(FuzzCase c, Shape shape, DataType type) {
        double scale = c.pick(1e-6, 1e-3, 0.1, 1.0, 1.0, 3.0, 10.0, 50.0, 1e3, 1e4);
        String pattern =
                c.pick("uniform", "uniform", "uniform", "signs", "levels", "constant", "spikes");
        double constant = scale * c.uniform(-1, 1);
        double[] values = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] =
                    switch (pattern) {
                        case "uniform" -> scale * c.uniform(-1, 1);
                        case "signs" -> scale * c.pick(-1, 0, 1);
                        case "levels" -> scale * c.pick(-1.0, -0.5, 0.0, 0.5, 1.0);
                        case "constant" -> constant;
                        default -> c.chance(0.1) ? c.pick(-1e4, 1e4) : c.uniform(-2, 2);
                    };
        }
        c.describe("logits", pattern + " x " + scale + " " + shape);
        return new HostArray(values, shape).roundedTo(type);
    }

    /**
     * Draws probabilities of a shape: a softmax over axis 1 of random logits (MULTICLASS), or
     * independent values in [0, 1] with some exact 0s and 1s.
     *
     * @param c the case
     * @param shape the shape {@code (N, C, ...)}
     * @param softmax whether each pixel's values sum to 1 over axis 1
     * @param type the type the probabilities are created in
     * @return the probabilities
     */
    public static HostArray probabilities(FuzzCase c, Shape shape, boolean softmax, DataType type) {
        double[] values = new double[Math.toIntExact(shape.size())];
        long n = shape.get(0);
        long classes = shape.get(1);
        long pixels = classes == 0 || n == 0 ? 0 : values.length / (n * classes);
        double temperature = c.pick(0.01, 1.0, 5.0);
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < pixels; s++) {
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    int at = (int) ((b * classes + k) * pixels + s);
                    values[at] =
                            softmax
                                    ? Math.exp(c.uniform(-1, 1) / temperature)
                                    : c.pick(0.0, 1.0, c.uniform(0, 1), c.uniform(0, 1));
                    sum += values[at];
                }
                if (softmax) {
                    for (int k = 0; k < classes; k++) {
                        values[(int) ((b * classes + k) * pixels + s)] /= sum;
                    }
                }
            }
        }
        c.describe("probabilities", (softmax ? "softmax" : "independent") + " " + shape);
        return new HostArray(values, shape).roundedTo(type);
    }

    /**
     * Draws an ignore index: none (when allowed), 255, -1, -100 or a class of [0, C).
     *
     * @param c the case
     * @param classes the number of classes C
     * @param allowNone whether the loss may have no ignore index
     * @return the ignore index or {@link #NO_IGNORE}
     */
    public static int ignoreIndex(FuzzCase c, int classes, boolean allowNone) {
        List<Integer> options =
                new ArrayList<>(List.of(255, 255, -1, -100, c.intIn(0, Math.max(0, classes - 1))));
        if (allowNone) {
            options.add(NO_IGNORE);
            options.add(NO_IGNORE);
        }
        int ignore = c.pick(options);
        c.describe("ignoreIndex", ignore == NO_IGNORE ? "none" : ignore);
        return ignore;
    }

    /**
     * Draws class-index labels for logits {@code (N, C, d1..dk)}: shape {@code (N, d1..dk)} or
     * {@code (N, 1, d1..dk)}, each pixel a class or (with a drawn share) the ignore index, of a
     * drawn type that holds them; with probability {@code invalidChance} they are broken: a value
     * out of range, negative, fractional, huge or non-finite, a wrong shape, or boolean.
     *
     * @param c the case
     * @param logitShape the logits' shape
     * @param ignoreIndex the ignore index or {@link #NO_IGNORE}
     * @param invalidChance the probability of invalid labels
     * @return the labels
     */
    public static Labels classLabels(
            FuzzCase c, Shape logitShape, int ignoreIndex, double invalidChance) {
        return classLabels(c, logitShape, ignoreIndex, invalidChance, logitShape.get(1));
    }

    /**
     * Draws class-index labels as {@link #classLabels(FuzzCase, Shape, int, double)} does, where
     * every whole number in {@code [0, limit)} is a valid label (out-of-range values start there).
     *
     * @param c the case
     * @param logitShape the logits' shape
     * @param ignoreIndex the ignore index or {@link #NO_IGNORE}
     * @param invalidChance the probability of invalid labels
     * @param limit the first label value that is out of range
     * @return the labels
     */
    public static Labels classLabels(
            FuzzCase c, Shape logitShape, int ignoreIndex, double invalidChance, long limit) {
        int classes = (int) logitShape.get(1);
        Shape spatial = logitShape.slice(2);
        boolean keepAxis = c.chance(0.3);
        Shape shape =
                keepAxis
                        ? new Shape(logitShape.get(0), 1).addAll(spatial)
                        : logitShape.slice(0, 1).addAll(spatial);
        double ignoreShare = ignoreIndex == NO_IGNORE ? 0 : c.pick(0.0, 0.0, 0.2, 0.5, 1.0);
        double[] values = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = c.chance(ignoreShare) ? ignoreIndex : c.intIn(0, classes - 1);
        }
        c.describe("labels", shape + (ignoreShare > 0 ? " ignored " + ignoreShare : ""));
        if (c.isInvalid() || !c.chance(invalidChance)) {
            return typed(c, new HostArray(values, shape));
        }
        Shape squeezed = logitShape.slice(0, 1).addAll(spatial);
        Shape kept = new Shape(logitShape.get(0), 1).addAll(spatial);
        // not the logits' shape either: a metric reads predictions of the labels' shape as class
        // ids
        return broken(c, values, shape, limit, ignoreIndex, squeezed, kept, logitShape);
    }

    /**
     * Draws 0/1 labels (with some ignored) of a shape, for BINARY and MULTILABEL targets, broken
     * with probability {@code invalidChance} (a 2, a negative, a fraction, NaN, a wrong shape or
     * boolean).
     *
     * @param c the case
     * @param shape the labels' shape
     * @param logitShape the logits' shape, for shape errors
     * @param ignoreIndex the ignore index or {@link #NO_IGNORE}
     * @param invalidChance the probability of invalid labels
     * @return the labels
     */
    public static Labels binaryLabels(
            FuzzCase c, Shape shape, Shape logitShape, int ignoreIndex, double invalidChance) {
        double ignoreShare = ignoreIndex == NO_IGNORE ? 0 : c.pick(0.0, 0.0, 0.2, 0.5, 1.0);
        double positive = c.pick(0.0, 0.3, 0.5, 1.0);
        double[] values = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = c.chance(ignoreShare) ? ignoreIndex : c.chance(positive) ? 1 : 0;
        }
        c.describe(
                "labels",
                shape
                        + " positive "
                        + positive
                        + (ignoreShare > 0 ? " ignored " + ignoreShare : ""));
        if (c.isInvalid() || !c.chance(invalidChance)) {
            return typed(c, new HostArray(values, shape));
        }
        Shape squeezed = logitShape.slice(0, 1).addAll(logitShape.slice(2));
        return broken(c, values, shape, 2, ignoreIndex, logitShape, squeezed);
    }

    /**
     * Draws soft targets in [0, 1] (fractions, exact 0 and 1, some ignored) of a shape, for the
     * binary cross-entropy and the mask loss, broken with probability {@code invalidChance} (above
     * 1, below 0, NaN or infinite, a wrong shape or boolean).
     *
     * @param c the case
     * @param shape the targets' shape
     * @param ignoreIndex the ignore value or {@link #NO_IGNORE}
     * @param invalidChance the probability of invalid targets
     * @return the targets
     */
    public static Labels softTargets(
            FuzzCase c, Shape shape, int ignoreIndex, double invalidChance) {
        return softTargets(c, shape, ignoreIndex, invalidChance, true);
    }

    /**
     * Draws soft targets as {@link #softTargets(FuzzCase, Shape, int, double)} does, in a float
     * type only unless {@code integerTypes}.
     *
     * @param c the case
     * @param shape the targets' shape
     * @param ignoreIndex the ignore value or {@link #NO_IGNORE}
     * @param invalidChance the probability of invalid targets
     * @param integerTypes whether hard targets may come as integers
     * @return the targets
     */
    public static Labels softTargets(
            FuzzCase c, Shape shape, int ignoreIndex, double invalidChance, boolean integerTypes) {
        double ignoreShare = ignoreIndex == NO_IGNORE ? 0 : c.pick(0.0, 0.2, 1.0);
        boolean hard = c.chance(0.3);
        double[] values = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] =
                    c.chance(ignoreShare)
                            ? ignoreIndex
                            : hard
                                    ? c.pick(0, 1)
                                    : c.pick(0.0, 1.0, c.uniform(0, 1), c.uniform(0, 1));
        }
        c.describe(
                "targets",
                shape
                        + (hard ? " hard" : " soft")
                        + (ignoreShare > 0 ? " ignored " + ignoreShare : ""));
        if (!c.isInvalid() && c.chance(invalidChance)) {
            if (values.length == 0 || c.chance(0.2)) {
                Shape wrong = wrongShape(c, shape);
                c.markInvalid("targets", "shape " + wrong);
                return new Labels(
                        new HostArray(new double[(int) wrong.size()], wrong), DataType.FLOAT32);
            }
            double bad =
                    c.pick(
                            1.5,
                            -0.25,
                            2.0,
                            -1.0,
                            1.0000001,
                            Double.NaN,
                            Double.POSITIVE_INFINITY,
                            Double.NEGATIVE_INFINITY);
            if (bad == ignoreIndex) {
                bad = 3.5;
            }
            values[c.intIn(0, values.length - 1)] = bad;
            c.markInvalid("targets", "value " + bad);
            DataType type = c.pick(DataType.FLOAT32, DataType.FLOAT64);
            HostArray host = new HostArray(values, shape).roundedTo(type);
            c.describe("targetType", type);
            return new Labels(host, type);
        }
        HostArray host = new HostArray(values, shape);
        List<DataType> types =
                new ArrayList<>(List.of(DataType.FLOAT32, DataType.FLOAT32, DataType.FLOAT64));
        for (DataType t : new DataType[] {DataType.INT32, DataType.INT64, DataType.UINT8}) {
            if (integerTypes && host.fits(t)) {
                types.add(t);
            }
        }
        DataType type = c.pick(types);
        c.describe("targetType", type);
        return new Labels(host.roundedTo(type), type);
    }

    /**
     * Draws one weight per class: 0, 0.5, 1, 2 or a fraction up to 5, sometimes all 0; unless the
     * case is invalid already, sometimes one weight too many or too few (invalid).
     *
     * @param c the case
     * @param classes the number of classes
     * @param name the setting's name
     * @return the weights
     */
    public static float[] classWeights(FuzzCase c, int classes, String name) {
        int count = classes;
        if (!c.isInvalid() && c.chance(0.1)) {
            count = classes + (classes > 1 && c.chance(0.5) ? -1 : 1);
            c.markInvalid(name, count + " weights for " + classes + " classes");
        }
        boolean zero = c.chance(0.1);
        float[] weights = new float[count];
        for (int k = 0; k < count; k++) {
            weights[k] = zero ? 0f : c.pick(0f, 0.5f, 1f, 2f, (float) c.uniform(0, 5));
        }
        c.describe(name, java.util.Arrays.toString(weights));
        return weights;
    }

    /**
     * The input of a segmentation-mode loss (focal, Dice family, Lovász): predictions, labels as
     * the mode takes them, and their host targets (null for invalid input).
     *
     * @param mode "BINARY", "MULTICLASS" or "MULTILABEL"
     * @param shape the predictions' shape {@code (N, C, d1..dk)}
     * @param type the predictions' type
     * @param predictions the logits or probabilities
     * @param labels the labels
     * @param ignore the ignore index or {@link #NO_IGNORE}
     * @param targets the host targets, null when the input is invalid
     */
    public record Segmentation(
            String mode,
            Shape shape,
            DataType type,
            HostArray predictions,
            Labels labels,
            int ignore,
            Targets targets) {

        /**
         * Returns N.
         *
         * @return the batch size
         */
        public int n() {
            return (int) shape.get(0);
        }

        /**
         * Returns C.
         *
         * @return the number of classes
         */
        public int classes() {
            return (int) shape.get(1);
        }
    }

    /**
     * Draws the input of a segmentation-mode loss: BINARY logits have one channel (rarely two,
     * which is invalid), MULTICLASS labels are class indices, BINARY labels 0/1 of the logits'
     * shape with or without the channel axis, MULTILABEL labels 0/1 of the logits' shape. Logits
     * (or probabilities, a softmax in MULTICLASS mode) are drawn as {@link #logits}, or with
     * probability 0.15 as confident predictions that match the labels (±3, ±30 or ±1e4).
     *
     * @param c the case
     * @param mode the mode
     * @param fromLogits whether the predictions are logits
     * @param invalidChance the probability of invalid labels
     * @return the input
     */
    public static Segmentation segmentation(
            FuzzCase c, String mode, boolean fromLogits, double invalidChance) {
        c.describe("mode", mode);
        boolean binary = mode.equals("BINARY");
        boolean multiclass = mode.equals("MULTICLASS");
        Shape shape = logitShape(c, 2, 5, 1, binary ? 1 : 5);
        if (binary && c.chance(0.04)) {
            long[] dims = shape.getShape().clone();
            dims[1] = 2;
            shape = new Shape(dims);
            c.markInvalid("logits", "2 channels in BINARY mode");
        }
        int n = (int) shape.get(0);
        int classes = (int) shape.get(1);
        int pixels = n * classes == 0 ? 0 : (int) (shape.size() / (n * classes));
        DataType type = floatType(c);
        int ignore = ignoreIndex(c, multiclass ? classes : 2, true);
        Labels labels;
        if (multiclass) {
            labels = classLabels(c, shape, ignore, invalidChance);
        } else {
            Shape squeezed = shape.slice(0, 1).addAll(shape.slice(2));
            Shape labelShape = binary && c.chance(0.5) ? squeezed : shape;
            labels = binaryLabels(c, labelShape, shape, ignore, invalidChance);
        }
        Targets targets =
                c.isInvalid()
                        ? null
                        : Targets.of(mode, labels.values().values(), n, classes, pixels, ignore);
        HostArray predictions;
        if (!fromLogits) {
            predictions = probabilities(c, shape, multiclass, type);
        } else if (targets != null && c.chance(0.15)) {
            double scale = c.pick(3.0, 30.0, 1e4);
            double[] values = new double[targets.target().length];
            for (int i = 0; i < values.length; i++) {
                values[i] =
                        targets.valid()[i]
                                ? (targets.target()[i] > 0 ? scale : -scale)
                                : scale * c.uniform(-1, 1);
            }
            c.describe("logits", "matching the labels x " + scale + " " + shape);
            predictions = new HostArray(values, shape).roundedTo(type);
        } else {
            predictions = logits(c, shape, type);
        }
        return new Segmentation(mode, shape, type, predictions, labels, ignore, targets);
    }

    /**
     * Draws the classes an overlap loss averages over: all (null), or a random non-empty subset,
     * sometimes with a class beyond C (invalid unless the case is invalid already).
     *
     * @param c the case
     * @param classes C
     * @return the selected classes or null
     */
    public static int[] selectedClasses(FuzzCase c, int classes) {
        if (!c.chance(0.3)) {
            return null;
        }
        java.util.List<Integer> chosen = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            if (c.chance(0.6)) {
                chosen.add(k);
            }
        }
        if (!c.isInvalid() && c.chance(0.1)) {
            chosen.add(classes + c.intIn(0, 3));
            c.markInvalid("classes", "a class beyond " + classes);
        }
        if (chosen.isEmpty()) {
            chosen.add(c.intIn(0, classes - 1));
        }
        int[] selected = chosen.stream().mapToInt(Integer::intValue).toArray();
        c.describe("classes", java.util.Arrays.toString(selected));
        return selected;
    }

    /**
     * The input of a Mask R-CNN mask head.
     *
     * @param shape the logits' shape (R, K, M, M)
     * @param type the logits' type
     * @param logits the mask logits
     * @param classIds the class of each RoI (R)
     * @param targets the targets (R, M, M)
     * @param agnostic whether the head is class agnostic
     */
    public record MaskInput(
            Shape shape,
            DataType type,
            HostArray logits,
            Labels classIds,
            Labels targets,
            boolean agnostic) {}

    /**
     * Draws a mask-head input: R in 0..4 (0 often), K in 1..4 (1 when class agnostic, rarely 2,
     * which is invalid), M in 1..6 (0 rarely); class ids of an integer or float type, sometimes out
     * of range, negative or fractional (invalid where they are read); targets in [0, 1] of a float
     * type, sometimes out of range or of an integer type (invalid).
     *
     * @param c the case
     * @param mayBreak whether the input may be invalid
     * @param agnostic whether the head is class agnostic, or null to draw it
     * @return the input
     */
    public static MaskInput maskInput(FuzzCase c, boolean mayBreak, Boolean agnostic) {
        boolean classAgnostic = agnostic != null ? agnostic : c.chance(0.3);
        boolean breaks = mayBreak && !c.isInvalid();
        int rois = c.chance(0.15) ? 0 : c.intIn(1, 4);
        int classes = classAgnostic ? 1 : c.intIn(1, 4);
        if (breaks && classAgnostic && c.chance(0.05)) {
            classes = 2;
            c.markInvalid("maskLogits", "2 channels for a class-agnostic head");
        }
        int m = c.chance(0.03) ? 0 : c.intIn(1, 6);
        Shape shape = new Shape(rois, classes, m, m);
        c.describe("agnostic", classAgnostic);
        DataType type = floatType(c);
        HostArray logits = logits(c, shape, type);
        double[] ids = new double[rois];
        for (int r = 0; r < rois; r++) {
            ids[r] = c.intIn(0, classes - 1);
        }
        if (breaks && !c.isInvalid() && rois > 0 && c.chance(0.1)) {
            double bad = c.pick((double) classes, -1.0, 0.5, 1000.0);
            ids[c.intIn(0, rois - 1)] = bad;
            if (!classAgnostic) {
                c.markInvalid("classIds", "value " + bad);
            }
        }
        HostArray idArray = new HostArray(ids, new Shape(rois));
        List<DataType> idTypes = new ArrayList<>(List.of(DataType.FLOAT32));
        for (DataType t : new DataType[] {DataType.INT64, DataType.INT32, DataType.UINT8}) {
            if (idArray.fits(t)) {
                idTypes.add(t);
            }
        }
        DataType idType = c.pick(idTypes);
        c.describe("classIds", idType);
        Labels classIds = new Labels(idArray.roundedTo(idType), idType);
        Labels targets = softTargets(c, new Shape(rois, m, m), NO_IGNORE, breaks ? 0.15 : 0, false);
        if (breaks && !c.isInvalid() && c.chance(0.05)) {
            targets = new Labels(targets.values().roundedTo(DataType.INT32), DataType.INT32);
            c.markInvalid("targets", "int32 type");
        }
        return new MaskInput(shape, type, logits, classIds, targets, classAgnostic);
    }

    /** Breaks valid labels in one drawn way and marks the case invalid. */
    private static Labels broken(
            FuzzCase c, double[] values, Shape shape, long limit, int ignoreIndex, Shape... valid) {
        int classes = (int) Math.min(limit, 1000);
        String kind =
                c.pick(
                        "outOfRange",
                        "negative",
                        "fractional",
                        "huge",
                        "nonFinite",
                        "shape",
                        "boolean");
        if (values.length == 0 && !kind.equals("boolean")) {
            kind = "shape";
        }
        if (kind.equals("shape")) {
            Shape wrong = wrongShape(c, shape, valid);
            c.markInvalid("labels", "shape " + wrong);
            HostArray host = new HostArray(new double[(int) wrong.size()], wrong);
            return typed(c, host);
        }
        if (kind.equals("boolean")) {
            c.markInvalid("labels", "boolean");
            return new Labels(
                    new HostArray(values, shape).roundedTo(DataType.BOOLEAN), DataType.BOOLEAN);
        }
        double bad =
                switch (kind) {
                    case "outOfRange" ->
                            limit > 1000
                                    ? c.pick(2147483647.0, 4294967296.0, 1e10)
                                    : c.pick(
                                            classes, classes + 1, classes + 7, 127, 128, 255, 1000);
                    case "negative" -> c.pick(-1, -1, -2, -128, -129, -1000);
                    case "fractional" ->
                            c.pick(
                                    0.5,
                                    classes - 0.5,
                                    c.intIn(0, classes - 1) + 0.25,
                                    -0.5,
                                    ignoreIndex + 0.5);
                    case "huge" ->
                            c.pick(
                                    1e10,
                                    4294967297.0,
                                    2147483648.0,
                                    -1e10,
                                    1e30,
                                    9.3e18,
                                    -2147483649.0);
                    default ->
                            c.pick(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
                };
        if (bad == ignoreIndex) {
            bad = bad < 0 ? bad - 1 : bad + 1;
        }
        int count = c.chance(0.7) ? 1 : c.intIn(1, values.length);
        for (int k = 0; k < count; k++) {
            values[c.intIn(0, values.length - 1)] = bad;
        }
        c.markInvalid("labels", "value " + bad + " (" + kind + ")");
        return typed(c, new HostArray(values, shape));
    }

    /**
     * A shape that differs from {@code shape} and from every other valid shape: one axis longer,
     * one axis less, or one more.
     */
    private static Shape wrongShape(FuzzCase c, Shape shape, Shape... valid) {
        List<Shape> accepted = new ArrayList<>(List.of(valid));
        accepted.add(shape);
        for (int attempt = 0; ; attempt++) {
            long[] dims = shape.getShape().clone();
            int choice = c.intIn(0, 2);
            Shape wrong;
            if (choice == 0 && dims.length > 0) {
                dims[c.intIn(0, dims.length - 1)] += 1;
                wrong = new Shape(dims);
            } else if (choice == 1 && dims.length > 1) {
                wrong = shape.slice(0, dims.length - 1);
            } else {
                wrong = shape.add(2 + attempt);
            }
            if (!accepted.contains(wrong)) {
                return wrong;
            }
        }
    }

    /**
     * Gives labels a drawn type that holds them: float64 and float32 always (float32 rounds the
     * huge invalid values, which stay invalid), the integer types where every value fits.
     */
    private static Labels typed(FuzzCase c, HostArray host) {
        List<DataType> types = new ArrayList<>();
        for (DataType type : LABEL_TYPES) {
            boolean floating = type == DataType.FLOAT32 || type == DataType.FLOAT64;
            if (floating || host.fits(type)) {
                types.add(type);
            }
        }
        DataType type = c.pick(types);
        c.describe("labelType", type);
        return new Labels(host.roundedTo(type), type);
    }
}
