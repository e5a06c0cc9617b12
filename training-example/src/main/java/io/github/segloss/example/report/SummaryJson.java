package io.github.segloss.example.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import io.github.segloss.example.files.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.TemporalAccessor;
import java.util.Map;
import java.util.Objects;

/**
 * {@code summary.json}: one JSON object with the run's settings and results, pretty-printed in
 * UTF-8, keys in the map's order (pass a {@link java.util.LinkedHashMap} to choose it), written
 * atomically.
 *
 * <p>Values may be null, booleans, numbers, strings, maps, lists, arrays, records and other simple
 * objects Gson can serialise; {@link Path}s, {@link Duration}s and {@code java.time} values are
 * written as their {@code toString()}. JSON has no NaN or infinity, so a non-finite {@code double}
 * or {@code float} is written as {@code null} (as JavaScript's {@code JSON.stringify} does), which
 * every JSON parser reads. Null values are kept, so every key appears.
 */
public final class SummaryJson {

    private static final Gson GSON =
            new GsonBuilder()
                    .setPrettyPrinting()
                    .serializeNulls()
                    .disableHtmlEscaping()
                    .registerTypeAdapter(Double.class, new FiniteOrNull())
                    .registerTypeAdapter(double.class, new FiniteOrNull())
                    .registerTypeAdapter(Float.class, new FiniteOrNull())
                    .registerTypeAdapter(float.class, new FiniteOrNull())
                    .registerTypeHierarchyAdapter(Path.class, new AsString())
                    .registerTypeHierarchyAdapter(Duration.class, new AsString())
                    .registerTypeHierarchyAdapter(TemporalAccessor.class, new AsString())
                    .create();

    private SummaryJson() {}

    /**
     * Writes {@code summary.json} atomically.
     *
     * @param file the file to write
     * @param summary the entries of the JSON object, in the order to write them
     * @throws IllegalArgumentException if a key is null
     * @throws IOException if the file cannot be written; the previous file is then unchanged
     */
    public static void write(Path file, Map<String, Object> summary) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(summary, "summary");
        for (String key : summary.keySet()) {
            if (key == null) {
                throw new IllegalArgumentException("summary keys must be non-null, got a null key");
            }
        }
        String json = GSON.toJson(summary) + "\n";
        AtomicFiles.write(
                file,
                out -> {
                    Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    writer.write(json);
                    writer.flush();
                });
    }

    /** Writes finite numbers as numbers and NaN or infinities as null. */
    private static final class FiniteOrNull extends TypeAdapter<Number> {

        @Override
        public void write(JsonWriter out, Number value) throws IOException {
            if (value == null || !Double.isFinite(value.doubleValue())) {
                out.nullValue();
            } else {
                out.value(value);
            }
        }

        @Override
        public Number read(JsonReader in) {
            throw new UnsupportedOperationException("summary.json is written, not read");
        }
    }

    /** Writes a value as its {@code toString()}. */
    private static final class AsString extends TypeAdapter<Object> {

        @Override
        public void write(JsonWriter out, Object value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                out.value(value.toString());
            }
        }

        @Override
        public Object read(JsonReader in) {
            throw new UnsupportedOperationException("summary.json is written, not read");
        }
    }
}
