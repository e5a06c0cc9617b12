package io.github.segloss.spark;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.segloss.example.SeglossTrain;
import io.github.segloss.example.data.DataSources;
import io.github.segloss.example.report.FolderDatasetWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny folder dataset and a checkpoint trained on it for one epoch by segloss-train itself, made
 * once per test JVM. The val split holds 12 synthetic 64×64 images, 3 of 48×48 (the model sees
 * 32×32), and 3 bad samples: one without its mask (skipped as the split opens), one corrupt image
 * and one whose mask has another size (both bad when read).
 */
final class TinyRun {

    /** The good images of the val split. */
    static final int GOOD = 15;

    /** The bad samples of the val split. */
    static final int BAD = 3;

    private static TinyRun instance;

    final Path root;
    final Path data;
    final Path checkpoint;

    private TinyRun(Path root, Path data, Path checkpoint) {
        this.root = root;
        this.data = data;
        this.checkpoint = checkpoint;
    }

    static synchronized TinyRun get() throws IOException {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    private static TinyRun create() throws IOException {
        Path root = Files.createTempDirectory("segloss-spark-test");
        Path data = root.resolve("data");
        List<String> classes = DataSources.SYNTHETIC_CLASSES;
        Map<String, io.github.segloss.example.data.SampleSource> splits = new LinkedHashMap<>();
        splits.put("train", DataSources.synthetic(24, 64, classes, 1));
        splits.put("val", DataSources.synthetic(12, 64, classes, 2));
        FolderDatasetWriter.write(data, splits);
        FolderDatasetWriter.write(data, Map.of("wide", DataSources.synthetic(3, 48, classes, 3)));
        appendLines(data.resolve("val.txt"), "wide-00000", "wide-00001", "wide-00002");
        Path runs = root.resolve("run");
        Result trained =
                run(
                        "semantic",
                        "--data",
                        data.toString(),
                        "--format",
                        "folder",
                        "--epochs",
                        "1",
                        "--image-size",
                        "32",
                        "--width",
                        "8",
                        "--batch-size",
                        "8",
                        "--output",
                        runs.toString());
        if (trained.code() != 0) {
            throw new IllegalStateException("training failed: " + trained.err());
        }
        Path checkpoint = runs.resolve("checkpoints").resolve("epoch-0001");
        // bad samples, added after training (which reads val strictly)
        Path images = data.resolve("images");
        Path masks = data.resolve("masks");
        Files.copy(images.resolve("val-00000.png"), images.resolve("bad-nomask.png"));
        Files.write(images.resolve("bad-corrupt.png"), "not a png at all".getBytes());
        Files.copy(masks.resolve("val-00000.png"), masks.resolve("bad-corrupt.png"));
        Files.copy(images.resolve("wide-00000.png"), images.resolve("bad-size.png"));
        Files.copy(masks.resolve("val-00000.png"), masks.resolve("bad-size.png"));
        appendLines(data.resolve("val.txt"), "bad-nomask", "bad-corrupt", "bad-size");
        return new TinyRun(root, data, checkpoint);
    }

    private static void appendLines(Path file, String... lines) throws IOException {
        Files.writeString(
                file,
                String.join("\n", lines) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    /**
     * Runs {@code segloss-train evaluate} in this JVM.
     *
     * @param output the folder of metrics.json
     * @param extra more options
     * @return the result
     */
    Result evaluate(Path output, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "evaluate",
                                "--model",
                                checkpoint.toString(),
                                "--data",
                                data.toString(),
                                "--output",
                                output.toString()));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    static JsonObject metrics(Path output) throws IOException {
        return JsonParser.parseString(Files.readString(output.resolve("metrics.json")))
                .getAsJsonObject();
    }

    /** A command's exit code and error stream. */
    record Result(int code, String out, String err) {}

    static synchronized Result run(String... args) {
        return capture(() -> SeglossTrain.execute(args));
    }

    static synchronized Result capture(java.util.function.IntSupplier command) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = command.getAsInt();
            return new Result(
                    code,
                    outBytes.toString(StandardCharsets.UTF_8),
                    errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
