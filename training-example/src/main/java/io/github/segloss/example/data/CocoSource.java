package io.github.segloss.example.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The COCO layout: {@code annotations/instances_<name>.json} with the images in {@code <name>/}.
 * Split "train" uses the first of {@code train2017}, {@code train} that has both; "val" the first
 * of {@code val2017}, {@code val}; any other split name is used as {@code <name>} itself.
 *
 * <p>Classes are "background" followed by the category names in ascending category id; category ids
 * map to these contiguous indices. Every image of the file is a sample, also one without
 * annotations (all background).
 *
 * <p>Semantic mask: crowd regions ({@code iscrowd = 1}) are painted 255 (ignore) first; then the
 * other annotations are painted by decreasing mask area (ties in file order), so a small object
 * lying on a large one stays visible. Instances: the non-crowd annotations with a non-empty mask,
 * in file order, boxed by their masks (the file's {@code bbox} is not used).
 */
final class CocoSource implements SampleSource {

    private final Path annotationFile;
    private final CocoIndex index;
    private final List<Path> images;

    private CocoSource(Path annotationFile, CocoIndex index, List<Path> images) {
        this.annotationFile = annotationFile;
        this.index = index;
        this.images = images;
    }

    /**
     * Opens a split of a COCO dataset; checks the annotation file and that every image exists.
     *
     * @param root the COCO root (the folder holding {@code annotations})
     * @param split "train", "val" or the name of an instances file and its image folder
     * @return the source
     * @throws IllegalArgumentException if no annotation file and image folder match the split, the
     *     file is bad, an image is missing, or there are no images
     */
    static CocoSource open(DatasetRoot root, String split) {
        List<String> names =
                switch (split) {
                    case "train" -> List.of("train2017", "train");
                    case "val" -> List.of("val2017", "val");
                    default -> List.of(split);
                };
        for (String name : names) {
            Path file = root.resolve("annotations/instances_" + name + ".json", "COCO dataset");
            Path folder = root.resolve(name, "COCO dataset");
            if (Files.isRegularFile(file) && Files.isDirectory(folder)) {
                return open(root, file, name);
            }
        }
        List<String> wanted = new ArrayList<>();
        for (String name : names) {
            wanted.add("annotations/instances_" + name + ".json with " + name + "/");
        }
        throw new IllegalArgumentException(
                root.path()
                        + ": no COCO split "
                        + split
                        + ": expected "
                        + String.join(" or ", wanted));
    }

    private static CocoSource open(DatasetRoot root, Path file, String folder) {
        CocoIndex index = CocoJson.read(file);
        if (index.images().isEmpty()) {
            throw new IllegalArgumentException(file + ": images is empty: no images");
        }
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < index.images().size(); i++) {
            images.add(
                    root.existingFile(
                            folder + "/" + index.images().get(i).fileName(),
                            "image of images[" + i + "]",
                            file.toString()));
        }
        return new CocoSource(file, index, images);
    }

    /** {@inheritDoc} */
    @Override
    public List<String> classes() {
        return index.classes();
    }

    /** {@inheritDoc} */
    @Override
    public int size() {
        return images.size();
    }

    /** {@inheritDoc} */
    @Override
    public Sample get(int position) {
        CocoIndex.Image entry = index.images().get(position);
        Path file = images.get(position);
        ImageFiles.Rgb image = ImageFiles.readRgb(file);
        if (image.height() != entry.height() || image.width() != entry.width()) {
            throw new IllegalArgumentException(
                    file
                            + ": image is "
                            + image.width()
                            + "x"
                            + image.height()
                            + " (width x height), "
                            + annotationFile
                            + " says "
                            + entry.width()
                            + "x"
                            + entry.height());
        }
        int height = entry.height();
        int width = entry.width();
        int[] semantic = new int[height * width];
        List<Instance> instances = new ArrayList<>();
        List<Painted> objects = new ArrayList<>();
        for (CocoIndex.Annotation annotation : index.annotations().get(position)) {
            byte[] mask = annotation.segmentation().rasterize(height, width);
            if (annotation.crowd()) {
                paint(semantic, mask, Sample.IGNORE);
                continue;
            }
            Instance instance = Instance.ofMask(annotation.classIndex(), mask, width);
            if (instance != null) {
                instances.add(instance);
                objects.add(new Painted(annotation.classIndex(), mask, area(mask)));
            }
        }
        objects.sort(Comparator.comparingInt(Painted::area).reversed());
        for (Painted object : objects) {
            paint(semantic, object.mask(), object.classIndex());
        }
        String name = entry.fileName();
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        String id = name.substring(slash + 1, dot > slash + 1 ? dot : name.length());
        return new Sample(id, height, width, image.chw(), semantic, instances);
    }

    private record Painted(int classIndex, byte[] mask, int area) {}

    private static void paint(int[] semantic, byte[] mask, int label) {
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                semantic[i] = label;
            }
        }
    }

    private static int area(byte[] mask) {
        int area = 0;
        for (byte b : mask) {
            area += b;
        }
        return area;
    }
}
