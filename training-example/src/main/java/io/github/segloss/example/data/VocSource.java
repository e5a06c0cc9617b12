package io.github.segloss.example.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Pascal VOC 2012 segmentation layout: {@code JPEGImages/<id>.jpg}, {@code
 * SegmentationClass/<id>.png} (palette PNGs of the 21 class ids, 255 on borders), {@code
 * SegmentationObject/<id>.png} (palette PNGs: index k is instance k, 0 background, 255 border) and
 * {@code ImageSets/Segmentation/<split>.txt}.
 *
 * <p>Each instance takes the majority object class (1..20) of its pixels in the class mask; an
 * instance none of whose pixels has an object class is dropped. Without a {@code
 * SegmentationObject} folder (e.g. a semantic-only copy of VOC) samples have no instances; with
 * one, every image needs its object mask.
 */
final class VocSource implements SampleSource {

    /** The 21 VOC class names; index = class id. */
    static final List<String> CLASSES =
            List.of(
                    "background",
                    "aeroplane",
                    "bicycle",
                    "bird",
                    "boat",
                    "bottle",
                    "bus",
                    "car",
                    "cat",
                    "chair",
                    "cow",
                    "diningtable",
                    "dog",
                    "horse",
                    "motorbike",
                    "person",
                    "pottedplant",
                    "sheep",
                    "sofa",
                    "train",
                    "tvmonitor");

    private final DatasetRoot root;
    private final long maxPixels;
    private final List<String> ids;
    private final List<Path> images;
    private final List<Path> classMasks;
    private final List<Path> objectMasks;

    private VocSource(
            DatasetRoot root,
            long maxPixels,
            List<String> ids,
            List<Path> images,
            List<Path> classMasks,
            List<Path> objectMasks) {
        this.root = root;
        this.maxPixels = maxPixels;
        this.ids = ids;
        this.images = images;
        this.classMasks = classMasks;
        this.objectMasks = objectMasks;
    }

    /**
     * Opens a split of a VOC dataset; checks that every listed image has its files.
     *
     * @param root the VOC root (the folder holding {@code JPEGImages})
     * @param split the name of the list under {@code ImageSets/Segmentation}, e.g. "train"
     * @param checks the pixel limit, and whether a sample without its files is skipped
     * @return the source
     * @throws IllegalArgumentException if the list or a file is missing (unless skipped), or the
     *     list is empty
     */
    static VocSource open(DatasetRoot root, String split, DataChecks checks) {
        String listName = "ImageSets/Segmentation/" + split + ".txt";
        Path list = root.existingFile(listName, "split list", "VOC dataset");
        List<String> listed = TextLists.sampleNames(list);
        if (listed.isEmpty()) {
            throw new IllegalArgumentException(list + ": split " + split + " lists no images");
        }
        boolean withObjects = Files.isDirectory(root.resolve("SegmentationObject", "VOC dataset"));
        List<String> ids = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        List<Path> classMasks = new ArrayList<>();
        List<Path> objectMasks = new ArrayList<>();
        String origin = list.toString();
        for (String id : listed) {
            try {
                Path image =
                        root.existingFile("JPEGImages/" + id + ".jpg", "image of " + id, origin);
                Path classMask =
                        root.existingFile(
                                "SegmentationClass/" + id + ".png", "class mask of " + id, origin);
                Path objectMask =
                        withObjects
                                ? root.existingFile(
                                        "SegmentationObject/" + id + ".png",
                                        "object mask of " + id,
                                        origin)
                                : null;
                ids.add(id);
                images.add(image);
                classMasks.add(classMask);
                if (objectMask != null) {
                    objectMasks.add(objectMask);
                }
            } catch (IllegalArgumentException e) {
                // the key of the image file, as get() would name it, so a sample counts once
                checks.reject(root.path() + "/JPEGImages/" + id + ".jpg", e);
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(
                    list + ": split " + split + " has no images left after skipping bad samples");
        }
        return new VocSource(
                root, checks.maxImagePixels(), List.copyOf(ids), images, classMasks, objectMasks);
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
        return CLASSES;
    }

    /** {@inheritDoc} */
    @Override
    public int size() {
        return ids.size();
    }

    /** {@inheritDoc} */
    @Override
    public Sample get(int index) {
        Path imageFile = images.get(index);
        Path classFile = classMasks.get(index);
        root.requireInside(imageFile);
        root.requireInside(classFile);
        ImageFiles.Rgb image = ImageFiles.readRgb(imageFile, maxPixels);
        ImageFiles.Labels classes = ImageFiles.readLabels(classFile, maxPixels);
        LabelChecks.requireSameSize(classFile, classes, image);
        LabelChecks.requireClassIds(classFile, classes, CLASSES.size());
        List<Instance> instances = List.of();
        if (!objectMasks.isEmpty()) {
            Path objectFile = objectMasks.get(index);
            root.requireInside(objectFile);
            ImageFiles.Labels objects = ImageFiles.readLabels(objectFile, maxPixels);
            LabelChecks.requireSameSize(objectFile, objects, image);
            instances = instances(objects, classes.values());
        }
        return new Sample(
                ids.get(index),
                image.height(),
                image.width(),
                image.chw(),
                classes.values(),
                instances);
    }

    /**
     * Splits an object mask into instances, in increasing object index, each with the majority
     * object class of its pixels.
     */
    private static List<Instance> instances(ImageFiles.Labels objects, int[] classes) {
        int[] values = objects.values();
        int maxObject = 0;
        for (int v : values) {
            if (v != Sample.IGNORE) {
                maxObject = Math.max(maxObject, v);
            }
        }
        int[][] votes = new int[maxObject + 1][CLASSES.size()];
        for (int i = 0; i < values.length; i++) {
            int k = values[i];
            int c = classes[i];
            if (k > 0 && k != Sample.IGNORE && c > 0 && c < CLASSES.size()) {
                votes[k][c]++;
            }
        }
        List<Instance> instances = new ArrayList<>();
        for (int k = 1; k <= maxObject; k++) {
            int best = 0;
            for (int c = 1; c < CLASSES.size(); c++) {
                if (votes[k][c] > votes[k][best]) {
                    best = c;
                }
            }
            if (best == 0) {
                continue;
            }
            byte[] mask = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                if (values[i] == k) {
                    mask[i] = 1;
                }
            }
            instances.add(Instance.ofMask(best, mask, objects.width()));
        }
        return instances;
    }
}
