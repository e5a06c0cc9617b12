package io.github.segloss.example.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;

/**
 * Typed reads of JSON fields that fail with one line naming the file, the field and the problem,
 * e.g. {@code instances_val.json: annotations[3].category_id must be a whole number, got a string}.
 */
final class JsonFields {

    private final Path file;

    /**
     * Creates the reader of one file's fields.
     *
     * @param file the JSON file, named in messages
     */
    JsonFields(Path file) {
        this.file = file;
    }

    /**
     * Returns an error naming the file and the field.
     *
     * @param where the field, e.g. {@code images[2].width}
     * @param problem what is wrong
     * @return the exception to throw
     */
    IllegalArgumentException error(String where, String problem) {
        return new IllegalArgumentException(file + ": " + where + " " + problem);
    }

    /**
     * Requires an object.
     *
     * @param element the value
     * @param where the field
     * @return the object
     */
    JsonObject object(JsonElement element, String where) {
        if (element == null || !element.isJsonObject()) {
            throw error(where, "must be an object, got " + describe(element));
        }
        return element.getAsJsonObject();
    }

    /**
     * Requires an array.
     *
     * @param element the value
     * @param where the field
     * @return the array
     */
    JsonArray array(JsonElement element, String where) {
        if (element == null || !element.isJsonArray()) {
            throw error(where, "must be an array, got " + describe(element));
        }
        return element.getAsJsonArray();
    }

    /**
     * Requires a field to be present.
     *
     * @param object the object
     * @param field the field name
     * @param where the object's place
     * @return the field's value
     */
    JsonElement required(JsonObject object, String field, String where) {
        JsonElement value = object.get(field);
        if (value == null) {
            throw error(where, "lacks the field \"" + field + "\"");
        }
        return value;
    }

    /**
     * Requires a whole number.
     *
     * @param element the value
     * @param where the field
     * @return the number
     */
    long wholeNumber(JsonElement element, String where) {
        double value = number(element, where);
        if (value != Math.rint(value) || Math.abs(value) > (1L << 53)) {
            throw error(where, "must be a whole number, got " + element);
        }
        return (long) value;
    }

    /**
     * Requires a finite number.
     *
     * @param element the value
     * @param where the field
     * @return the number
     */
    double number(JsonElement element, String where) {
        if (element instanceof JsonPrimitive p && p.isNumber()) {
            double value = p.getAsDouble();
            if (Double.isFinite(value)) {
                return value;
            }
        }
        throw error(where, "must be a number, got " + describe(element));
    }

    /**
     * Requires a string.
     *
     * @param element the value
     * @param where the field
     * @return the string
     */
    String string(JsonElement element, String where) {
        if (element instanceof JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        throw error(where, "must be a string, got " + describe(element));
    }

    /**
     * Describes a JSON value's type for a message.
     *
     * @param element the value, or null when absent
     * @return e.g. "a string ("7")", "an array", "null"
     */
    static String describe(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return "null";
        }
        if (element.isJsonArray()) {
            return "an array";
        }
        if (element.isJsonObject()) {
            return "an object";
        }
        JsonPrimitive p = element.getAsJsonPrimitive();
        if (p.isString()) {
            String text = p.getAsString();
            return "a string (\""
                    + (text.length() > 20 ? text.substring(0, 20) + "..." : text)
                    + "\")";
        }
        if (p.isBoolean()) {
            return "a boolean";
        }
        return "the number " + p;
    }
}
