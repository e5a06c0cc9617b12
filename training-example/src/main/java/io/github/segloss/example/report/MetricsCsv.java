package io.github.segloss.example.report;

import io.github.segloss.example.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code metrics.csv}: one row per epoch, written whole (and atomically) after every epoch and read
 * back to resume a run.
 *
 * <p>The header is {@code epoch,train_<name>...,val_loss,mIoU,pixel_accuracy,<extra>...,
 * iou_<class>...,seconds,images_per_second}, with one {@code train_} column per training loss
 * component (the total first, in the order of the epochs' maps), one column per further validation
 * number of the task ({@link EpochMetrics#extraMetrics}, e.g. the mask task's {@code mask_ap}, in
 * the order they first appear; none for the semantic task) and one {@code iou_} column per class.
 * The file is UTF-8 with {@code \n} line ends, written and read by Apache Commons CSV: names
 * holding a comma or a quote are quoted as RFC 4180 says.
 *
 * <p>Numbers are written as {@link Double#toString(double)} writes them, so they read back exactly.
 * NaN is an empty cell (pandas, R and spreadsheets read it as missing); infinities are {@code inf}
 * and {@code -inf}. {@link #read} also accepts {@code NaN}, {@code Infinity} and {@code -Infinity}.
 * A component or extra number that some epoch lacks (an epoch of a run that a newer version
 * resumed) is written as an empty cell there and reads back as NaN.
 */
public final class MetricsCsv {

    private static final String EPOCH = "epoch";
    private static final String TRAIN_PREFIX = "train_";
    private static final String IOU_PREFIX = "iou_";
    private static final List<String> VALIDATION = List.of("val_loss", "mIoU", "pixel_accuracy");
    private static final List<String> TIMING = List.of("seconds", "images_per_second");

    /** RFC 4180 with {@code \n} line ends; blank lines (as at the end of the file) are skipped. */
    private static final CSVFormat FORMAT =
            CSVFormat.RFC4180.builder().setRecordSeparator('\n').setIgnoreEmptyLines(true).get();

    private MetricsCsv() {}

    /**
     * Writes or rewrites {@code metrics.csv} atomically.
     *
     * @param file the file to write
     * @param classNames the class names, by class id, for the {@code iou_} columns
     * @param epochs the epochs, one row each, in the list's order
     * @throws IllegalArgumentException if a class name holds a line break, an epoch's perClassIoU
     *     does not have one value per class, or an extra metric's name starts with {@code iou_} or
     *     is one of the fixed columns
     * @throws IOException if the file cannot be written; the previous file is then unchanged
     */
    public static void write(Path file, List<String> classNames, List<EpochMetrics> epochs)
            throws IOException {
        Objects.requireNonNull(file, "file");
        requireClassNames(classNames);
        Objects.requireNonNull(epochs, "epochs");
        for (int i = 0; i < epochs.size(); i++) {
            EpochMetrics epoch = Objects.requireNonNull(epochs.get(i), "epochs[" + i + "]");
            int values = epoch.perClassIoU().length;
            if (values != classNames.size()) {
                throw new IllegalArgumentException(
                        "epochs["
                                + i
                                + "].perClassIoU must have one value per class name ("
                                + classNames.size()
                                + "), got "
                                + values);
            }
        }
        List<String> components = components(epochs);
        List<String> extras = extras(epochs);
        StringBuilder text = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(text, FORMAT)) {
            printer.printRecord(header(components, extras, classNames));
            for (EpochMetrics epoch : epochs) {
                printer.printRecord(row(components, extras, epoch));
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /**
     * Reads a file written by {@link #write}.
     *
     * @param file the file to read
     * @param classNames the class names the run uses; they must be the file's {@code iou_} columns
     * @return the epochs, in the file's order
     * @throws IllegalArgumentException if classNames differ from the file's {@code iou_} columns
     * @throws IOException if the file cannot be read or is not a metrics file
     */
    public static List<EpochMetrics> read(Path file, List<String> classNames) throws IOException {
        Objects.requireNonNull(file, "file");
        requireClassNames(classNames);
        List<String> header = null;
        Columns columns = null;
        List<EpochMetrics> epochs = new ArrayList<>();
        // A reader from Files reports bytes that are not UTF-8 instead of replacing them.
        try (CSVParser parser =
                CSVParser.parse(Files.newBufferedReader(file, StandardCharsets.UTF_8), FORMAT)) {
            for (CSVRecord record : parser) {
                List<String> row = record.toList();
                long line = parser.getCurrentLineNumber();
                if (header == null) {
                    header = row;
                    columns = parseHeader(file, header, classNames);
                } else if (row.size() != header.size()) {
                    throw new IOException(
                            file
                                    + " line "
                                    + line
                                    + ": expected "
                                    + header.size()
                                    + " cells as in the header, got "
                                    + row.size());
                } else {
                    epochs.add(parseRow(file, line, columns, classNames.size(), row));
                }
            }
        } catch (UncheckedIOException e) {
            throw new IOException(file + ": " + e.getCause().getMessage(), e);
        }
        if (header == null) {
            throw new IOException(file + ": expected a header line, got an empty file");
        }
        return epochs;
    }

    private static void requireClassNames(List<String> classNames) {
        Objects.requireNonNull(classNames, "classNames");
        for (int i = 0; i < classNames.size(); i++) {
            String name = Objects.requireNonNull(classNames.get(i), "classNames[" + i + "]");
            if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
                throw new IllegalArgumentException(
                        "classNames[" + i + "] must be a single line, got \"" + name + "\"");
            }
        }
    }

    /** The training loss names of all epochs, in the order they first appear. */
    private static List<String> components(List<EpochMetrics> epochs) {
        Set<String> names = new LinkedHashSet<>();
        for (EpochMetrics epoch : epochs) {
            names.addAll(epoch.trainLoss().keySet());
        }
        return new ArrayList<>(names);
    }

    /** The extra metric names of all epochs, in the order they first appear. */
    private static List<String> extras(List<EpochMetrics> epochs) {
        Set<String> names = new LinkedHashSet<>();
        for (EpochMetrics epoch : epochs) {
            names.addAll(epoch.extraMetrics().keySet());
        }
        for (String name : names) {
            if (name.startsWith(IOU_PREFIX)
                    || name.equals(EPOCH)
                    || VALIDATION.contains(name)
                    || TIMING.contains(name)) {
                throw new IllegalArgumentException(
                        "extraMetrics names must not start with "
                                + IOU_PREFIX
                                + " nor be a fixed column, got \""
                                + name
                                + "\"");
            }
        }
        return new ArrayList<>(names);
    }

    private static List<String> header(
            List<String> components, List<String> extras, List<String> classNames) {
        List<String> header = new ArrayList<>();
        header.add(EPOCH);
        components.forEach(name -> header.add(TRAIN_PREFIX + name));
        header.addAll(VALIDATION);
        header.addAll(extras);
        classNames.forEach(name -> header.add(IOU_PREFIX + name));
        header.addAll(TIMING);
        return header;
    }

    private static List<String> row(
            List<String> components, List<String> extras, EpochMetrics epoch) {
        List<String> row = new ArrayList<>();
        row.add(Integer.toString(epoch.epoch()));
        for (String name : components) {
            row.add(format(epoch.trainLoss().getOrDefault(name, Double.NaN)));
        }
        row.add(format(epoch.validationLoss()));
        row.add(format(epoch.meanIoU()));
        row.add(format(epoch.pixelAccuracy()));
        for (String name : extras) {
            row.add(format(epoch.extraMetrics().getOrDefault(name, Double.NaN)));
        }
        for (double iou : epoch.perClassIoU()) {
            row.add(format(iou));
        }
        row.add(format(epoch.seconds()));
        row.add(format(epoch.imagesPerSecond()));
        return row;
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return Double.toString(value);
    }

    /**
     * The names of a header's variable columns.
     *
     * @param components the training loss names of its {@code train_} columns
     * @param extras the names of its extra validation columns
     */
    private record Columns(List<String> components, List<String> extras) {}

    /** Checks the header and returns the names of its {@code train_} and extra columns. */
    private static Columns parseHeader(Path file, List<String> header, List<String> classNames)
            throws IOException {
        int fixed = 1 + VALIDATION.size() + TIMING.size();
        if (header.size() < fixed || !header.get(0).equals(EPOCH)) {
            throw new IOException(
                    file
                            + ": expected a header starting with \"epoch\" and at least "
                            + fixed
                            + " columns, got "
                            + header);
        }
        List<String> components = new ArrayList<>();
        int column = 1;
        while (column < header.size() && header.get(column).startsWith(TRAIN_PREFIX)) {
            components.add(header.get(column).substring(TRAIN_PREFIX.length()));
            column++;
        }
        int iouStart = column + VALIDATION.size();
        int iouEnd = header.size() - TIMING.size();
        if (iouStart > iouEnd
                || !header.subList(column, iouStart).equals(VALIDATION)
                || !header.subList(iouEnd, header.size()).equals(TIMING)) {
            throw new IOException(
                    file
                            + ": expected the header epoch,train_<name>...,"
                            + String.join(",", VALIDATION)
                            + ",<extra>...,iou_<class>...,"
                            + String.join(",", TIMING)
                            + ", got "
                            + header);
        }
        List<String> extras = new ArrayList<>();
        while (iouStart < iouEnd && !header.get(iouStart).startsWith(IOU_PREFIX)) {
            extras.add(header.get(iouStart++));
        }
        List<String> fileClasses = new ArrayList<>();
        for (String cell : header.subList(iouStart, iouEnd)) {
            if (!cell.startsWith(IOU_PREFIX)) {
                throw new IOException(
                        file + ": expected iou_<class> columns, got \"" + cell + "\" in " + header);
            }
            fileClasses.add(cell.substring(IOU_PREFIX.length()));
        }
        if (!fileClasses.equals(classNames)) {
            throw new IllegalArgumentException(
                    "classNames must be the classes of "
                            + file
                            + " "
                            + fileClasses
                            + ", got "
                            + classNames);
        }
        return new Columns(components, extras);
    }

    private static EpochMetrics parseRow(
            Path file, long line, Columns columns, int classes, List<String> row)
            throws IOException {
        int epoch;
        try {
            epoch = Integer.parseInt(row.get(0).trim());
        } catch (NumberFormatException e) {
            throw new IOException(
                    file
                            + " line "
                            + line
                            + ": expected an epoch number, got \""
                            + row.get(0)
                            + "\"",
                    e);
        }
        int column = 1;
        Map<String, Double> trainLoss = new LinkedHashMap<>();
        for (String name : columns.components()) {
            trainLoss.put(name, parse(file, line, row.get(column++)));
        }
        double validationLoss = parse(file, line, row.get(column++));
        double meanIoU = parse(file, line, row.get(column++));
        double pixelAccuracy = parse(file, line, row.get(column++));
        Map<String, Double> extras = new LinkedHashMap<>();
        for (String name : columns.extras()) {
            extras.put(name, parse(file, line, row.get(column++)));
        }
        double[] perClassIoU = new double[classes];
        for (int c = 0; c < classes; c++) {
            perClassIoU[c] = parse(file, line, row.get(column++));
        }
        double seconds = parse(file, line, row.get(column++));
        double imagesPerSecond = parse(file, line, row.get(column));
        try {
            return new EpochMetrics(
                    epoch,
                    trainLoss,
                    validationLoss,
                    meanIoU,
                    pixelAccuracy,
                    perClassIoU,
                    seconds,
                    imagesPerSecond,
                    extras);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " line " + line + ": " + e.getMessage(), e);
        }
    }

    private static double parse(Path file, long line, String cell) throws IOException {
        String text = cell.trim();
        switch (text.toLowerCase(Locale.ROOT)) {
            case "":
            case "nan":
                return Double.NaN;
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IOException(
                            file + " line " + line + ": expected a number, got \"" + cell + "\"",
                            e);
                }
        }
    }
}
