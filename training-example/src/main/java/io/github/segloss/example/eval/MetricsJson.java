package io.github.segloss.example.eval;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.github.segloss.example.files.AtomicFiles;
import io.github.segloss.metric.SegmentationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code metrics.json}: the report of an evaluation's counts, written atomically. It holds {@code
 * mIoU} (the mean IoU of the classes present in labels or predictions, {@link SegmentationReport}'s
 * macro IoU), {@code pixelAccuracy}, the macro Dice, precision and recall, each class's IoU, Dice,
 * precision, recall and labelled pixels, the confusion matrix ({@code [true][predicted]}), and the
 * counts: images scored, their pixels, labelled pixels, bad images (with the first lines naming
 * them). A value with nothing to measure (no labelled pixel, an absent class) is {@code null}.
 *
 * <p>For a mask checkpoint (counts with {@link InstanceScores}) it holds instead COCOeval's 12
 * mask-AP stats ({@link #COCO_STATS}: {@code AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs,
 * ARm, ARl}), {@code boundaryAP} (Boundary AP at IoU .50:.05:.95) and {@code boundary}, the same 12
 * stats with Boundary IoU, {@code meanBoundaryIoU} (the mean instance Boundary IoU), each object
 * class's {@code ap} and {@code boundaryAp} under {@code classes}, and the counts. The instances'
 * boxes and classes are the ground truth's (the mask head has no detector), so these numbers are an
 * upper bound for a full detector with this mask head.
 */
public final class MetricsJson {

    /** The file's name. */
    public static final String FILE = "metrics.json";

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    /** The names of COCOeval's 12 stats, in its order. */
    public static final List<String> COCO_STATS =
            List.of(
                    "AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm",
                    "ARl");

    private MetricsJson() {}

    /**
     * Returns the report of counts as JSON.
     *
     * @param classes the class names, C of them
     * @param counts the counts
     * @return the report
     * @throws IllegalArgumentException if the counts are not of C classes
     */
    public static JsonObject of(List<String> classes, EvaluationCounts counts) {
        if (classes.size() != counts.numClasses()) {
            throw new IllegalArgumentException(
                    "classes must name the "
                            + counts.numClasses()
                            + " classes of the counts, got "
                            + classes.size());
        }
        if (counts.instances() != null) {
            return instances(classes, counts);
        }
        SegmentationReport report =
                SegmentationReport.builder().setNumClasses(counts.numClasses()).build();
        report.addAccumulator("all");
        long[][] matrix = counts.confusionMatrix();
        report.mergeConfusionMatrix("all", matrix);
        SegmentationReport.Result result = report.getReport("all");
        SegmentationReport.Averages macro = result.getMacro();
        JsonObject json = new JsonObject();
        json.add("mIoU", number(macro.iou()));
        json.add("pixelAccuracy", number(result.getMicro().precision()));
        json.add("meanDice", number(macro.dice()));
        json.add("meanPrecision", number(macro.precision()));
        json.add("meanRecall", number(macro.recall()));
        json.addProperty("images", counts.images());
        json.addProperty("pixels", counts.pixels());
        json.addProperty("labelledPixels", result.getLabelledPixels());
        json.addProperty("badImages", counts.badImages());
        JsonArray bad = new JsonArray();
        counts.badLines().forEach(bad::add);
        json.add("badImageLines", bad);
        JsonArray perClass = new JsonArray();
        double[] iou = result.getIoU();
        double[] dice = result.getDice();
        double[] precision = result.getPrecision();
        double[] recall = result.getRecall();
        long[] support = result.getSupport();
        for (int c = 0; c < classes.size(); c++) {
            JsonObject entry = new JsonObject();
            entry.addProperty("name", classes.get(c));
            entry.add("iou", number(iou[c]));
            entry.add("dice", number(dice[c]));
            entry.add("precision", number(precision[c]));
            entry.add("recall", number(recall[c]));
            entry.addProperty("labelledPixels", support[c]);
            perClass.add(entry);
        }
        json.add("classes", perClass);
        JsonArray rows = new JsonArray();
        for (long[] row : matrix) {
            JsonArray values = new JsonArray();
            for (long value : row) {
                values.add(value);
            }
            rows.add(values);
        }
        json.add("confusionMatrix", rows);
        return json;
    }

    /** The report of a mask checkpoint's counts; classes[0] is the background. */
    private static JsonObject instances(List<String> classes, EvaluationCounts counts) {
        InstanceScores.Report report = counts.instances().evaluate();
        double[] stats = report.maskAp().stats();
        double[] boundaryStats = report.boundaryAp().stats();
        JsonObject json = new JsonObject();
        JsonObject boundary = new JsonObject();
        for (int i = 0; i < COCO_STATS.size(); i++) {
            json.add(COCO_STATS.get(i), number(stats[i]));
            boundary.add(COCO_STATS.get(i), number(boundaryStats[i]));
        }
        json.add("boundaryAP", number(boundaryStats[0]));
        json.add("meanBoundaryIoU", number(report.meanBoundaryIoU()));
        json.add("boundary", boundary);
        json.addProperty("boxes", "ground truth");
        addCounts(json, counts);
        JsonArray perClass = new JsonArray();
        double[] ap = report.maskAp().perClassAp();
        double[] boundaryAp = report.boundaryAp().perClassAp();
        for (int c = 0; c < ap.length; c++) {
            JsonObject entry = new JsonObject();
            entry.addProperty("name", classes.get(c + 1));
            entry.add("ap", number(ap[c]));
            entry.add("boundaryAp", number(boundaryAp[c]));
            perClass.add(entry);
        }
        json.add("classes", perClass);
        return json;
    }

    private static void addCounts(JsonObject json, EvaluationCounts counts) {
        json.addProperty("images", counts.images());
        json.addProperty("pixels", counts.pixels());
        json.addProperty("badImages", counts.badImages());
        JsonArray bad = new JsonArray();
        counts.badLines().forEach(bad::add);
        json.add("badImageLines", bad);
    }

    /**
     * Writes {@code folder/metrics.json} atomically.
     *
     * @param folder the output folder (created if missing)
     * @param classes the class names
     * @param counts the counts
     * @return the file written
     * @throws IOException if it cannot be written ({@link
     *     io.github.segloss.example.files.OutputWriteException})
     */
    public static Path write(Path folder, List<String> classes, EvaluationCounts counts)
            throws IOException {
        Path file = folder.resolve(FILE);
        byte[] text = (GSON.toJson(of(classes, counts)) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(text));
        return file;
    }

    private static com.google.gson.JsonElement number(double value) {
        return Double.isFinite(value) ? new JsonPrimitive(value) : JsonNull.INSTANCE;
    }
}
