package io.github.segloss.example.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/** Opens the {@link SampleSource} of a dataset format. */
public final class DataSources {

    /** The default synthetic classes. */
    public static final List<String> SYNTHETIC_CLASSES =
            List.of("background", "circle", "square", "triangle");

    /** The default number of synthetic training images. */
    public static final int SYNTHETIC_TRAIN_COUNT = 200;

    /** The default number of synthetic validation images. */
    public static final int SYNTHETIC_VAL_COUNT = 50;

    /** The default side of synthetic images. */
    public static final int SYNTHETIC_SIZE = 64;

    /** The formats {@link #open} reads. */
    public static final List<String> FORMATS = List.of("synthetic", "folder", "voc", "coco");

    private static final Pattern SPLIT_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private DataSources() {}

    /**
     * Opens one split of a dataset.
     *
     * <ul>
     *   <li>"synthetic": no files (root is ignored); {@link #SYNTHETIC_CLASSES}, {@value
     *       #SYNTHETIC_TRAIN_COUNT} train or {@value #SYNTHETIC_VAL_COUNT} val images of {@value
     *       #SYNTHETIC_SIZE}×{@value #SYNTHETIC_SIZE}; val is drawn from a seed derived from {@code
     *       seed}, so the two splits differ.
     *   <li>"folder": {@code images/}, {@code masks/}, {@code classes.txt}, optional {@code
     *       train.txt}/{@code val.txt}, else a split by {@code valFraction} and {@code seed}.
     *   <li>"voc": the Pascal VOC 2012 layout; split names a list in {@code
     *       ImageSets/Segmentation}.
     *   <li>"coco": {@code annotations/instances_<name>.json} with images in {@code <name>/}.
     * </ul>
     *
     * @param format "synthetic", "folder", "voc" or "coco"
     * @param root the dataset folder (null for synthetic)
     * @param split "train" or "val" (voc and coco also take other list or file names)
     * @param valFraction the validation fraction in [0, 1) of the folder format without lists
     * @param seed the seed of the synthetic images and of the folder split
     * @return the source
     * @throws IllegalArgumentException if an argument is invalid or the dataset is missing or bad
     *     (the message names the file and the problem)
     */
    public static SampleSource open(
            String format, Path root, String split, double valFraction, long seed) {
        return open(format, root, split, valFraction, seed, DataChecks.strict());
    }

    /**
     * Opens one split of a dataset, as {@link #open(String, Path, String, double, long)} does, with
     * the given checks: the pixel limit of the images, and whether bad samples stop the run or are
     * skipped and counted. When skipping, bad samples are left out of the split as it opens (a
     * missing or refused file, a bad annotation) and, when they fail to load, replaced by their
     * next good neighbour ({@link SkippingSource}).
     *
     * @param format "synthetic", "folder", "voc" or "coco"
     * @param root the dataset folder (null for synthetic)
     * @param split "train" or "val" (voc and coco also take other list or file names)
     * @param valFraction the validation fraction in [0, 1) of the folder format without lists
     * @param seed the seed of the synthetic images and of the folder split
     * @param checks the checks of the run (unused for synthetic data)
     * @return the source
     * @throws IllegalArgumentException if an argument is invalid, the dataset is missing or bad as
     *     a whole, or a sample is bad and not skipped (the message names the file and the problem)
     */
    public static SampleSource open(
            String format,
            Path root,
            String split,
            double valFraction,
            long seed,
            DataChecks checks) {
        String name = format == null ? "" : format.toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(name)) {
            throw new IllegalArgumentException(
                    "format must be one of " + FORMATS + ", got " + format);
        }
        if (split == null || !SPLIT_NAME.matcher(split).matches()) {
            throw new IllegalArgumentException(
                    "split must be a plain name such as train or val, got " + split);
        }
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("valFraction must be in [0, 1), got " + valFraction);
        }
        if (name.equals("synthetic") || name.equals("folder")) {
            requireTrainOrVal(name, split);
        }
        return switch (name) {
            case "synthetic" ->
                    split.equals("train")
                            ? synthetic(
                                    SYNTHETIC_TRAIN_COUNT, SYNTHETIC_SIZE, SYNTHETIC_CLASSES, seed)
                            : synthetic(
                                    SYNTHETIC_VAL_COUNT,
                                    SYNTHETIC_SIZE,
                                    SYNTHETIC_CLASSES,
                                    Seeds.mix(seed, 0x7A1L));
            case "folder" -> {
                FolderSource source =
                        FolderSource.open(
                                DatasetRoot.of(root, name), split, valFraction, seed, checks);
                yield skipping(source, i -> source.imageFile(i).toString(), checks);
            }
            case "voc" -> {
                VocSource source = VocSource.open(DatasetRoot.of(root, name), split, checks);
                yield skipping(source, i -> source.imageFile(i).toString(), checks);
            }
            default -> {
                CocoSource source = CocoSource.open(DatasetRoot.of(root, name), split, checks);
                yield skipping(source, i -> source.imageFile(i).toString(), checks);
            }
        };
    }

    /**
     * Opens one split of a labelled dataset for evaluation: every sample is seen once. Bad samples
     * found as the split opens (an image without its mask, a bad annotation) are reported to the
     * checks (skipped and logged if they skip, else thrown); a sample that fails to decode later
     * makes {@link SampleSource#get} throw, and is never replaced by a neighbour as in training.
     *
     * @param format "folder", "voc" or "coco"
     * @param root the dataset folder
     * @param split "train" or "val" (voc and coco also take other list or file names)
     * @param valFraction the validation fraction of the folder format without lists
     * @param seed the seed of the folder split without lists
     * @param checks the pixel limit, and whether bad samples found at opening are skipped
     * @return the source
     * @throws IllegalArgumentException if the format is not one of the three, the dataset is
     *     missing or bad as a whole, or a sample is bad and not skipped
     */
    public static SampleSource openEach(
            String format,
            Path root,
            String split,
            double valFraction,
            long seed,
            DataChecks checks) {
        String name = format == null ? "" : format.toLowerCase(Locale.ROOT);
        if (!List.of("folder", "voc", "coco").contains(name)) {
            throw new IllegalArgumentException(
                    "--format must be one of [folder, voc, coco], got " + format);
        }
        if (split == null || !SPLIT_NAME.matcher(split).matches()) {
            throw new IllegalArgumentException(
                    "--split must be a plain name such as train or val, got " + split);
        }
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("valFraction must be in [0, 1), got " + valFraction);
        }
        return switch (name) {
            case "folder" -> {
                requireTrainOrVal(name, split);
                yield FolderSource.open(
                        DatasetRoot.of(root, name), split, valFraction, seed, checks);
            }
            case "voc" -> VocSource.open(DatasetRoot.of(root, name), split, checks);
            default -> CocoSource.open(DatasetRoot.of(root, name), split, checks);
        };
    }

    private static SampleSource skipping(
            SampleSource source, IntFunction<String> keys, DataChecks checks) {
        return checks.skipsBadSamples() ? new SkippingSource(source, keys, checks) : source;
    }

    /**
     * Returns a split of segloss-train's synthetic data: {@code train} holds {@code count} images
     * drawn from {@code seed}, {@code val} a quarter as many (at least one) drawn from {@code
     * ~seed}. Training and {@code export-synthetic} both take their splits from here.
     *
     * @param split "train" or "val"
     * @param count the training images ({@code --synthetic-count})
     * @param size the images' side
     * @param classes the classes, as {@link #synthetic} takes them
     * @param seed the run's seed
     * @return the split
     * @throws IllegalArgumentException if the split is neither, or as {@link #synthetic}
     */
    public static SampleSource syntheticSplit(
            String split, int count, int size, List<String> classes, long seed) {
        requireTrainOrVal("synthetic", split);
        return split.equals("train")
                ? synthetic(count, size, classes, seed)
                : synthetic(Math.max(1, count / 4), size, classes, ~seed);
    }

    /**
     * Creates a synthetic "shapes" source: 1 to 4 overlapping shapes per image on textured, noisy
     * backgrounds, with semantic masks, instance masks and boxes. Sample {@code i} depends only on
     * {@code seed} and {@code i}.
     *
     * @param count the number of images
     * @param size the images' height and width, at least 16
     * @param classes "background" first, then shape names: circle, square, triangle, ellipse, star
     *     (any subset, any order, case ignored)
     * @param seed the seed
     * @return the source
     * @throws IllegalArgumentException if the count or size is too small or a class is no shape
     */
    public static SampleSource synthetic(int count, int size, List<String> classes, long seed) {
        return new SyntheticSource(count, size, classes, seed);
    }

    private static void requireTrainOrVal(String format, String split) {
        if (!split.equals("train") && !split.equals("val")) {
            throw new IllegalArgumentException(
                    "split of format " + format + " must be train or val, got " + split);
        }
    }
}
