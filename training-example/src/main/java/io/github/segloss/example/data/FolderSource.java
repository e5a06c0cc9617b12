package io.github.segloss.example.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The folder format: {@code images/*.{png,jpg,jpeg}}, one mask {@code masks/<base name>.png} of
 * class ids per image (palette PNGs read by index, grey PNGs by value, 255 = ignore), {@code
 * classes.txt} with one class name per line, and optional {@code train.txt} / {@code val.txt} of
 * base names.
 *
 * <p>Split: the requested list file if present; else the images not in the other list file if that
 * one is present; else a deterministic split by {@code valFraction} and the seed ({@link
 * Splits#byFraction}). Samples have no instances.
 *
 * <p>The split is drawn from the names of all images, so skipping bad samples ({@link DataChecks})
 * never moves a good one to the other split. Each file is checked again, right before it is read,
 * to lie inside the dataset folder.
 */
final class FolderSource implements SampleSource {

    private static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg");

    private final DatasetRoot root;
    private final long maxPixels;
    private final List<String> classes;
    private final List<String> ids;
    private final List<Path> images;
    private final List<Path> masks;

    private FolderSource(
            DatasetRoot root,
            long maxPixels,
            List<String> classes,
            List<String> ids,
            List<Path> images,
            List<Path> masks) {
        this.root = root;
        this.maxPixels = maxPixels;
        this.classes = classes;
        this.ids = ids;
        this.images = images;
        this.masks = masks;
    }

    /**
     * Opens a split of a folder dataset; checks that every image of the split has its mask.
     *
     * @param root the dataset root
     * @param split "train" or "val"
     * @param valFraction the validation fraction when there is no list file
     * @param seed the seed of the split when there is no list file
     * @param checks the pixel limit, and whether a sample without its files is skipped
     * @return the source
     * @throws IllegalArgumentException if a file is missing or bad (unless skipped), or the split
     *     has no image
     */
    static FolderSource open(
            DatasetRoot root, String split, double valFraction, long seed, DataChecks checks) {
        List<String> classes =
                TextLists.classNames(
                        root.existingFile("classes.txt", "class list", "folder dataset"));
        Map<String, Path> byName = listImages(root, checks);
        List<String> names = splitNames(root, byName, split, valFraction, seed);
        List<String> ids = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        List<Path> masks = new ArrayList<>();
        for (String name : names) {
            Path image = byName.get(name);
            try {
                Path mask = files(root, split, name, image);
                ids.add(name);
                images.add(image);
                masks.add(mask);
            } catch (IllegalArgumentException e) {
                checks.reject(image != null ? image.toString() : split + ".txt:" + name, e);
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(
                    root.path()
                            + ": split "
                            + split
                            + " has no images"
                            + (names.isEmpty() ? "" : " left after skipping bad samples"));
        }
        return new FolderSource(
                root, checks.maxImagePixels(), classes, List.copyOf(ids), images, masks);
    }

    /** Checks the image of a name and returns its mask; both must lie inside the root. */
    private static Path files(DatasetRoot root, String split, String name, Path image) {
        if (image == null) {
            throw new IllegalArgumentException(
                    root.path().resolve(split + ".txt")
                            + ": sample \""
                            + name
                            + "\" has no image images/"
                            + name
                            + ".{png,jpg,jpeg}");
        }
        root.requireInside(image);
        return root.existingFile(
                "masks/" + name + ".png",
                "mask of " + root.path().relativize(image),
                "folder dataset");
    }

    /**
     * The image files by base name, all of them (the split is drawn from their names); an image
     * leading outside the root is rejected here already, and again if its split needs it.
     */
    private static Map<String, Path> listImages(DatasetRoot root, DataChecks checks) {
        Path folder = root.resolve("images", "folder dataset");
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + ": image folder not found");
        }
        Map<String, Path> byName = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (dot <= 0
                        || !EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))
                        || !Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    root.requireInside(file);
                } catch (IllegalArgumentException e) {
                    checks.reject(file.toString(), e);
                }
                Path previous = byName.put(name.substring(0, dot), file);
                if (previous != null) {
                    throw new IllegalArgumentException(
                            file + ": two images share the base name of " + previous.getFileName());
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    folder + ": cannot list images: " + ErrorText.reason(e), e);
        }
        if (byName.isEmpty()) {
            throw new IllegalArgumentException(folder + ": no images (*.png, *.jpg, *.jpeg)");
        }
        return byName;
    }

    private static List<String> splitNames(
            DatasetRoot root,
            Map<String, Path> byName,
            String split,
            double valFraction,
            long seed) {
        String other = "val".equals(split) ? "train" : "val";
        Path own = root.resolve(split + ".txt", "folder dataset");
        Path others = root.resolve(other + ".txt", "folder dataset");
        List<String> all = List.copyOf(byName.keySet());
        if (Files.isRegularFile(own)) {
            return TextLists.sampleNames(own);
        }
        if (Files.isRegularFile(others)) {
            return Splits.complement(all, TextLists.sampleNames(others));
        }
        return Splits.byFraction(all, split, valFraction, seed);
    }

    /** {@inheritDoc} */
    @Override
    public List<String> classes() {
        return classes;
    }

    /** {@inheritDoc} */
    @Override
    public int size() {
        return ids.size();
    }

    /**
     * Returns the image file of a sample, which identifies it.
     *
     * @param index the sample's index
     * @return the image file
     */
    Path imageFile(int index) {
        return images.get(index);
    }

    /** {@inheritDoc} */
    @Override
    public Sample get(int index) {
        Path imageFile = images.get(index);
        Path maskFile = masks.get(index);
        root.requireInside(imageFile);
        root.requireInside(maskFile);
        ImageFiles.Rgb image = ImageFiles.readRgb(imageFile, maxPixels);
        ImageFiles.Labels labels = ImageFiles.readLabels(maskFile, maxPixels);
        LabelChecks.requireSameSize(maskFile, labels, image);
        LabelChecks.requireClassIds(maskFile, labels, classes.size());
        return new Sample(
                ids.get(index),
                image.height(),
                image.width(),
                image.chw(),
                labels.values(),
                List.of());
    }
}
