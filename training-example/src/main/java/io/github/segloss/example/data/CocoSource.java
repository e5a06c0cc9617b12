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
 * in file order, boxed by their masks (the file's {@code bbox} is not used). The crowd regions with
 * a non-empty mask are the sample's {@link Sample#crowds} (for COCO mask AP, which ignores
 * detections on them; training does not read them).
 *
 * <p>Polygon vertices outside the image are clipped, as pycocotools does (it rasterises the polygon
 * clipped to the image); coordinates that are not finite numbers are a bad annotation. A {@code
 * file_name} must be relative and free of {@code ..}; it and any link on its way must stay inside
 * the dataset folder.
 */
final class CocoSource implements SampleSource {

    private final DatasetRoot root;
    private final long maxPixels;
    private final Path annotationFile;
    private final List<CocoIndex.Image> entries;
    private final List<List<CocoIndex.Annotation>> annotations;
    private final List<String> classes;
    private final List<Path> images;

    private CocoSource(
            DatasetRoot root,
            long maxPixels,
            Path annotationFile,
            CocoIndex index,
            List<Integer> kept,
            List<Path> images) {
        this.root = root;
        this.maxPixels = maxPixels;
        this.annotationFile = annotationFile;
        this.entries = new ArrayList<>();
        this.annotations = new ArrayList<>();
        for (int position : kept) {
            entries.add(index.images().get(position));
            annotations.add(index.annotations().get(position));
        }
        this.classes = index.classes();
        this.images = images;
    }

    /**
     * Opens a split of a COCO dataset; checks the annotation file and that every image exists.
     *
     * @param root the COCO root (the folder holding {@code annotations})
     * @param split "train", "val" or the name of an instances file and its image folder
     * @param checks the pixel limit, and whether bad images and annotations are skipped
     * @return the source
     * @throws IllegalArgumentException if no annotation file and image folder match the split, the
     *     file is bad, an image is missing (unless skipped), or there are no images
     */
    static CocoSource open(DatasetRoot root, String split, DataChecks checks) {
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
                return open(root, file, name, checks);
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

    private static CocoSource open(DatasetRoot root, Path file, String folder, DataChecks checks) {
        CocoIndex index = CocoJson.read(file, checks);
        List<Integer> kept = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < index.images().size(); i++) {
            CocoIndex.Image image = index.images().get(i);
            try {
                images.add(
                        root.existingFile(
                                folder,
                                image.fileName(),
                                "image of " + image.where(),
                                file + ": " + image.where() + ".file_name"));
                kept.add(i);
            } catch (IllegalArgumentException e) {
                checks.reject(file + ": image id " + image.id(), e);
            }
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException(
                    file
                            + (checks.skipsBadSamples()
                                    ? ": no images left after skipping bad samples"
                                    : ": images is empty: no images"));
        }
        return new CocoSource(root, checks.maxImagePixels(), file, index, kept, images);
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
    public List<String> classes() {
        return classes;
    }

    /** {@inheritDoc} */
    @Override
    public int size() {
        return images.size();
    }

    /** {@inheritDoc} */
    @Override
    public Sample get(int position) {
        CocoIndex.Image entry = entries.get(position);
        Path file = images.get(position);
        root.requireInside(file);
        ImageFiles.Rgb image = ImageFiles.readRgb(file, maxPixels);
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
        List<Instance> crowds = new ArrayList<>();
        List<Painted> objects = new ArrayList<>();
        for (CocoIndex.Annotation annotation : annotations.get(position)) {
            byte[] mask = annotation.segmentation().rasterize(height, width);
            if (annotation.crowd()) {
                paint(semantic, mask, Sample.IGNORE);
                Instance crowd = Instance.ofMask(annotation.classIndex(), mask, width);
                if (crowd != null) {
                    crowds.add(crowd);
                }
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
        return new Sample(id, height, width, image.chw(), semantic, instances, crowds);
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
