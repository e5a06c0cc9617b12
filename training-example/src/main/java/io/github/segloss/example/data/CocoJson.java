package io.github.segloss.example.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Reads a COCO instances file ({@code images}, {@code annotations}, {@code categories}) into a
 * {@link CocoIndex}, checking every field it uses. The top-level arrays are streamed one element at
 * a time, so memory holds the compact index rather than the whole JSON tree.
 *
 * <p>A bad entry of {@code images} or {@code annotations} (a missing field, a wrong type, RLE
 * counts that do not cover the image, an unknown category) is a bad sample, handled by the {@link
 * DataChecks}: it stops the reading, or its image is skipped with all its annotations (an image
 * missing one of its objects would teach the model wrong labels). A bad annotation whose {@code
 * image_id} cannot be read names no image: it alone is skipped. Problems of the file as a whole
 * (not JSON, a missing top-level array, a bad category, a repeated id) always stop it.
 */
final class CocoJson {

    private final Path file;
    private final JsonFields fields;
    private final List<CocoIndex.Image> images = new ArrayList<>();
    private final List<RawAnnotation> annotations = new ArrayList<>();
    private final Map<Long, String> categories = new TreeMap<>();
    private final DataChecks checks;
    private final Set<Long> badImages = new HashSet<>();
    private boolean sawImages;
    private boolean sawAnnotations;
    private boolean sawCategories;

    private record RawAnnotation(
            long imageId,
            long categoryId,
            boolean crowd,
            CocoSegmentation segmentation,
            String where) {}

    private CocoJson(Path file, DataChecks checks) {
        this.file = file;
        this.fields = new JsonFields(file);
        this.checks = checks;
    }

    /**
     * Reads and checks an instances file.
     *
     * @param file the JSON file
     * @param checks whether bad images and annotations are skipped
     * @return the index, without the skipped images
     * @throws IllegalArgumentException if the file is not valid JSON, lacks a field, has a field of
     *     the wrong type, or refers to an image or category it does not define (unless skipped)
     */
    static CocoIndex read(Path file, DataChecks checks) {
        CocoJson json = new CocoJson(file, checks);
        json.parse();
        return json.index();
    }

    private void parse() {
        try (JsonReader reader =
                new JsonReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                throw new IllegalArgumentException(
                        file + ": the top level must be an object, got " + reader.peek());
            }
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                switch (name) {
                    case "images" -> {
                        sawImages = true;
                        readArray(reader, name, this::addImage);
                    }
                    case "annotations" -> {
                        sawAnnotations = true;
                        readArray(reader, name, this::addAnnotation);
                    }
                    case "categories" -> {
                        sawCategories = true;
                        readArray(reader, name, this::addCategory);
                    }
                    default -> reader.skipValue();
                }
            }
            reader.endObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(
                    file + ": not valid JSON: " + ErrorText.reason(e), e);
        }
        requirePresent(sawImages, "images");
        requirePresent(sawAnnotations, "annotations");
        requirePresent(sawCategories, "categories");
    }

    private void requirePresent(boolean present, String field) {
        if (!present) {
            throw fields.error("the top level", "lacks the field \"" + field + "\"");
        }
    }

    private void readArray(JsonReader reader, String name, BiConsumer<JsonElement, String> add)
            throws IOException {
        if (reader.peek() != JsonToken.BEGIN_ARRAY) {
            throw fields.error(name, "must be an array, got " + reader.peek());
        }
        reader.beginArray();
        for (int i = 0; reader.hasNext(); i++) {
            add.accept(JsonParser.parseReader(reader), name + "[" + i + "]");
        }
        reader.endArray();
    }

    /** The key that counts a bad image once, however many of its entries are bad. */
    private String imageKey(long id) {
        return file + ": image id " + id;
    }

    /** Marks an image bad (its annotations go with it) or stops, as the checks say. */
    private void rejectImage(long id, IllegalArgumentException e) {
        checks.reject(imageKey(id), e);
        badImages.add(id);
    }

    /** Handles a bad entry: its image is bad when its id field can be read, else the entry. */
    private void rejectEntry(
            JsonElement element, String idField, String where, IllegalArgumentException e) {
        Long id = quietWholeNumber(element, idField);
        if (id != null) {
            rejectImage(id, e);
        } else {
            checks.reject(file + ": " + where, e);
        }
    }

    private static Long quietWholeNumber(JsonElement element, String field) {
        if (element instanceof JsonObject o
                && o.get(field) instanceof JsonPrimitive p
                && p.isNumber()) {
            double value = p.getAsDouble();
            if (value == Math.rint(value) && Math.abs(value) <= (1L << 53)) {
                return (long) value;
            }
        }
        return null;
    }

    private void addImage(JsonElement element, String where) {
        try {
            readImage(element, where);
        } catch (IllegalArgumentException e) {
            rejectEntry(element, "id", where, e);
        }
    }

    private void readImage(JsonElement element, String where) {
        JsonObject o = fields.object(element, where);
        long id = fields.wholeNumber(fields.required(o, "id", where), where + ".id");
        String fileName =
                fields.string(fields.required(o, "file_name", where), where + ".file_name");
        int height = positive(o, "height", where);
        int width = positive(o, "width", where);
        images.add(new CocoIndex.Image(id, fileName, height, width, where));
    }

    private int positive(JsonObject o, String field, String where) {
        long value = fields.wholeNumber(fields.required(o, field, where), where + "." + field);
        if (value <= 0 || value > 1 << 15) {
            throw fields.error(where + "." + field, "must be in 1..32768, got " + value);
        }
        return (int) value;
    }

    private void addAnnotation(JsonElement element, String where) {
        try {
            readAnnotation(element, where);
        } catch (IllegalArgumentException e) {
            rejectEntry(element, "image_id", where, e);
        }
    }

    private void readAnnotation(JsonElement element, String where) {
        JsonObject o = fields.object(element, where);
        long imageId =
                fields.wholeNumber(fields.required(o, "image_id", where), where + ".image_id");
        long categoryId =
                fields.wholeNumber(
                        fields.required(o, "category_id", where), where + ".category_id");
        boolean crowd = crowd(o.get("iscrowd"), where + ".iscrowd");
        CocoSegmentation segmentation =
                segmentation(fields.required(o, "segmentation", where), where + ".segmentation");
        annotations.add(new RawAnnotation(imageId, categoryId, crowd, segmentation, where));
    }

    private boolean crowd(JsonElement element, String where) {
        if (element == null) {
            return false;
        }
        if (element instanceof JsonPrimitive p && p.isBoolean()) {
            return p.getAsBoolean();
        }
        long value = fields.wholeNumber(element, where);
        if (value != 0 && value != 1) {
            throw fields.error(where, "must be 0 or 1, got " + value);
        }
        return value == 1;
    }

    private CocoSegmentation segmentation(JsonElement element, String where) {
        if (element.isJsonArray()) {
            List<float[]> polygons = new ArrayList<>();
            JsonArray array = element.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                polygons.add(polygon(array.get(i), where + "[" + i + "]"));
            }
            return new CocoSegmentation.Polygons(polygons);
        }
        if (!element.isJsonObject()) {
            throw fields.error(
                    where,
                    "must be a list of polygons or an RLE object, got "
                            + JsonFields.describe(element));
        }
        JsonObject rle = element.getAsJsonObject();
        JsonArray size = fields.array(fields.required(rle, "size", where), where + ".size");
        if (size.size() != 2) {
            throw fields.error(where + ".size", "must be [height, width], got " + size);
        }
        long height = fields.wholeNumber(size.get(0), where + ".size[0]");
        long width = fields.wholeNumber(size.get(1), where + ".size[1]");
        JsonElement counts = fields.required(rle, "counts", where);
        long[] runs;
        if (counts instanceof JsonPrimitive p && p.isString()) {
            runs = CocoRle.decodeString(p.getAsString(), file + ": " + where + ".counts");
        } else if (counts.isJsonArray()) {
            JsonArray array = counts.getAsJsonArray();
            runs = new long[array.size()];
            for (int i = 0; i < runs.length; i++) {
                String at = where + ".counts[" + i + "]";
                runs[i] = fields.wholeNumber(array.get(i), at);
                if (runs[i] < 0) {
                    throw fields.error(at, "must be a run length >= 0, got " + runs[i]);
                }
            }
        } else {
            throw fields.error(
                    where + ".counts",
                    "must be a string (compressed RLE) or an array of run lengths, got "
                            + JsonFields.describe(counts));
        }
        if (height <= 0 || width <= 0) {
            throw fields.error(where + ".size", "must be positive, got " + size);
        }
        CocoRle.requireTotal(runs, height, width, file + ": " + where + ".counts");
        return new CocoSegmentation.Rle((int) height, (int) width, runs, file + ": " + where);
    }

    private float[] polygon(JsonElement element, String where) {
        JsonArray array = fields.array(element, where);
        if (array.size() % 2 != 0) {
            throw fields.error(
                    where,
                    "must hold x, y pairs, got an odd number (" + array.size() + ") of values");
        }
        float[] xy = new float[array.size()];
        for (int i = 0; i < xy.length; i++) {
            xy[i] = (float) fields.number(array.get(i), where + "[" + i + "]");
        }
        return xy;
    }

    private void addCategory(JsonElement element, String where) {
        JsonObject o = fields.object(element, where);
        long id = fields.wholeNumber(fields.required(o, "id", where), where + ".id");
        String name = fields.string(fields.required(o, "name", where), where + ".name");
        if (categories.put(id, name) != null) {
            throw fields.error(where + ".id", "repeats category id " + id);
        }
    }

    private CocoIndex index() {
        if (categories.size() >= TextLists.MAX_CLASSES) {
            throw fields.error(
                    "categories",
                    "has "
                            + categories.size()
                            + " entries; at most "
                            + (TextLists.MAX_CLASSES - 1)
                            + " fit beside background below the ignore label 255");
        }
        List<String> classes = new ArrayList<>();
        classes.add("background");
        Map<Long, Integer> classOfCategory = new HashMap<>();
        for (Map.Entry<Long, String> category : categories.entrySet()) {
            classOfCategory.put(category.getKey(), classes.size());
            classes.add(category.getValue());
        }
        Map<Long, CocoIndex.Image> imageOfId = new HashMap<>();
        for (CocoIndex.Image image : images) {
            if (imageOfId.put(image.id(), image) != null) {
                throw fields.error(image.where() + ".id", "repeats image id " + image.id());
            }
        }
        List<RawAnnotation> resolved = new ArrayList<>();
        for (RawAnnotation raw : annotations) {
            CocoIndex.Image image = imageOfId.get(raw.imageId());
            if (image == null) {
                if (!badImages.contains(raw.imageId())) {
                    checks.reject(
                            file + ": " + raw.where(),
                            fields.error(
                                    raw.where() + ".image_id",
                                    "refers to no image: " + raw.imageId()));
                }
                continue;
            }
            try {
                check(raw, image, classOfCategory);
                resolved.add(raw);
            } catch (IllegalArgumentException e) {
                rejectImage(raw.imageId(), e);
            }
        }
        Map<Long, Integer> positionOfImage = new HashMap<>();
        List<CocoIndex.Image> imageList = new ArrayList<>();
        List<List<CocoIndex.Annotation>> perImage = new ArrayList<>();
        for (CocoIndex.Image image : images) {
            if (!badImages.contains(image.id())) {
                positionOfImage.put(image.id(), imageList.size());
                imageList.add(image);
                perImage.add(new ArrayList<>());
            }
        }
        for (RawAnnotation raw : resolved) {
            Integer position = positionOfImage.get(raw.imageId());
            if (position != null) {
                perImage.get(position)
                        .add(
                                new CocoIndex.Annotation(
                                        classOfCategory.get(raw.categoryId()),
                                        raw.crowd(),
                                        raw.segmentation()));
            }
        }
        return new CocoIndex(
                List.copyOf(imageList),
                List.copyOf(classes),
                Map.copyOf(classOfCategory),
                perImage);
    }

    /** Checks an annotation against its image and the categories. */
    private void check(RawAnnotation raw, CocoIndex.Image image, Map<Long, Integer> categories) {
        if (!categories.containsKey(raw.categoryId())) {
            throw fields.error(
                    raw.where() + ".category_id", "refers to no category: " + raw.categoryId());
        }
        if (raw.segmentation() instanceof CocoSegmentation.Rle rle
                && (rle.height() != image.height() || rle.width() != image.width())) {
            throw fields.error(
                    raw.where() + ".segmentation.size",
                    "is ["
                            + rle.height()
                            + ", "
                            + rle.width()
                            + "], its image "
                            + image.fileName()
                            + " is ["
                            + image.height()
                            + ", "
                            + image.width()
                            + "] (height, width)");
        }
    }
}
