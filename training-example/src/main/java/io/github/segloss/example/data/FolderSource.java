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
 */
final class FolderSource implements SampleSource {

    private static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg");

    private final List<String> classes;
    private final List<String> ids;
    private final List<Path> images;
    private final List<Path> masks;

    private FolderSource(
            List<String> classes, List<String> ids, List<Path> images, List<Path> masks) {
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
     * @return the source
     * @throws IllegalArgumentException if a file is missing or bad, or the split has no image
     */
    static FolderSource open(DatasetRoot root, String split, double valFraction, long seed) {
        List<String> classes =
                TextLists.classNames(
                        root.existingFile("classes.txt", "class list", "folder dataset"));
        Map<String, Path> byName = listImages(root);
        List<String> names = splitNames(root, byName, split, valFraction, seed);
        if (names.isEmpty()) {
            throw new IllegalArgumentException(root.path() + ": split " + split + " has no images");
        }
        List<Path> images = new ArrayList<>();
        List<Path> masks = new ArrayList<>();
        for (String name : names) {
            Path image = byName.get(name);
            if (image == null) {
                throw new IllegalArgumentException(
                        root.path().resolve(split + ".txt")
                                + ": sample \""
                                + name
                                + "\" has no image images/"
                                + name
                                + ".{png,jpg,jpeg}");
            }
            images.add(image);
            masks.add(
                    root.existingFile(
                            "masks/" + name + ".png",
                            "mask of " + root.path().relativize(image),
                            "folder dataset"));
        }
        return new FolderSource(classes, List.copyOf(names), images, masks);
    }

    private static Map<String, Path> listImages(DatasetRoot root) {
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
                root.requireInside(file);
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

    /** {@inheritDoc} */
    @Override
    public Sample get(int index) {
        ImageFiles.Rgb image = ImageFiles.readRgb(images.get(index));
        Path maskFile = masks.get(index);
        ImageFiles.Labels labels = ImageFiles.readLabels(maskFile);
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
