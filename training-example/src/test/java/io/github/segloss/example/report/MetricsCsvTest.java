package io.github.segloss.example.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

/** {@link MetricsCsv}: the columns, the round trip, NaN and the atomic rewrite. */
public class MetricsCsvTest {

    @Test
    public void headerNamesEveryColumn() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");

        MetricsCsv.write(file, Epochs.CLASSES, Epochs.first(2));

        assertEquals(
                Files.readAllLines(file).get(0),
                "epoch,train_loss,train_main,train_aux,val_loss,mIoU,pixel_accuracy,"
                        + "iou_background,iou_cat,iou_dog,seconds,images_per_second");
    }

    @Test
    public void writesOneRowPerEpoch() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");

        MetricsCsv.write(file, Epochs.CLASSES, Epochs.first(3));

        List<String> lines = Files.readAllLines(file);
        assertEquals(lines.size(), 4);
        assertTrue(lines.get(1).startsWith("1,0.7,0.5,0.2,"), lines.get(1));
        assertTrue(lines.get(3).startsWith("3,"), lines.get(3));
        for (String line : lines) {
            assertEquals(line.split(",", -1).length, 12, line);
        }
    }

    @Test
    public void readGivesBackWhatWasWritten() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");
        List<EpochMetrics> epochs = Epochs.first(5);

        MetricsCsv.write(file, Epochs.CLASSES, epochs);

        assertEquals(MetricsCsv.read(file, Epochs.CLASSES), epochs);
    }

    @Test
    public void readKeepsTheOrderOfTheLossComponents() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");
        MetricsCsv.write(file, Epochs.CLASSES, Epochs.first(1));

        EpochMetrics read = MetricsCsv.read(file, Epochs.CLASSES).get(0);

        assertEquals(new ArrayList<>(read.trainLoss().keySet()), List.of("loss", "main", "aux"));
    }

    @Test
    public void nanIsAnEmptyCellAndReadsBackAsNaN() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");
        List<EpochMetrics> epochs = List.of(Epochs.withNaN(1));

        MetricsCsv.write(file, Epochs.CLASSES, epochs);

        assertEquals(Files.readAllLines(file).get(1), "1,0.5,,0.1,,,,0.8,,0.3,3.0,");
        List<EpochMetrics> read = MetricsCsv.read(file, Epochs.CLASSES);
        assertEquals(read, epochs);
        assertTrue(Double.isNaN(read.get(0).perClassIoU()[1]));
    }

    @Test
    public void readAcceptsNaNAndInfinityWrittenOut() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");
        Files.writeString(
                file,
                "epoch,train_loss,val_loss,mIoU,pixel_accuracy,iou_a,seconds,images_per_second\n"
                        + "2,NaN,inf,-Infinity,nan,0.5,1,2\n");

        EpochMetrics read = MetricsCsv.read(file, List.of("a")).get(0);

        assertTrue(Double.isNaN(read.trainLoss().get("loss")));
        assertEquals(read.validationLoss(), Double.POSITIVE_INFINITY);
        assertEquals(read.meanIoU(), Double.NEGATIVE_INFINITY);
        assertTrue(Double.isNaN(read.pixelAccuracy()));
    }

    @Test
    public void aComponentMissingInSomeEpochsIsNaNThere() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");
        EpochMetrics first =
                new EpochMetrics(1, Map.of("loss", 1.0), 1, 0.1, 0.2, new double[3], 1, 1);
        List<EpochMetrics> epochs = List.of(first, Epochs.of(2));

        MetricsCsv.write(file, Epochs.CLASSES, epochs);

        Map<String, Double> read = MetricsCsv.read(file, Epochs.CLASSES).get(0).trainLoss();
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("loss", 1.0);
        expected.put("main", Double.NaN);
        expected.put("aux", Double.NaN);
        assertEquals(read, expected);
    }

    @Test
    public void namesWithCommasAndQuotesAreQuoted() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");
        List<String> classes = List.of("a, b", "say \"hi\"", "c");

        MetricsCsv.write(file, classes, Epochs.first(2));

        assertTrue(
                Files.readAllLines(file).get(0).contains(",\"iou_a, b\",\"iou_say \"\"hi\"\"\","));
        assertEquals(MetricsCsv.read(file, classes), Epochs.first(2));
    }

    @Test
    public void noEpochsWritesTheHeaderOnly() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");

        MetricsCsv.write(file, Epochs.CLASSES, List.of());

        assertEquals(Files.readAllLines(file).size(), 1);
        assertEquals(MetricsCsv.read(file, Epochs.CLASSES), List.of());
    }

    @Test
    public void rewritingLeavesNoTempFileBehind() throws IOException {
        Path folder = TempFolders.create();
        Path file = folder.resolve("metrics.csv");

        MetricsCsv.write(file, Epochs.CLASSES, Epochs.first(1));
        MetricsCsv.write(file, Epochs.CLASSES, Epochs.first(2));

        assertEquals(TempFolders.names(folder), List.of("metrics.csv"));
        assertEquals(MetricsCsv.read(file, Epochs.CLASSES), Epochs.first(2));
    }

    @Test
    public void perClassIoUOfTheWrongLengthIsRejected() throws IOException {
        Path folder = TempFolders.create();

        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                MetricsCsv.write(
                                        folder.resolve("metrics.csv"),
                                        List.of("a", "b"),
                                        Epochs.first(1)));

        assertEquals(
                e.getMessage(),
                "epochs[0].perClassIoU must have one value per class name (2), got 3");
        assertEquals(TempFolders.names(folder), List.of());
    }

    @Test
    public void readingWithOtherClassNamesIsRejected() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");
        MetricsCsv.write(file, Epochs.CLASSES, Epochs.first(1));

        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> MetricsCsv.read(file, List.of("background", "cat", "bird")));

        assertTrue(e.getMessage().startsWith("classNames must be the classes of "), e.getMessage());
        assertTrue(
                e.getMessage().endsWith("[background, cat, dog], got [background, cat, bird]"),
                e.getMessage());
    }

    @Test
    public void aRowWithMissingCellsIsAnIoException() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");
        Files.writeString(
                file,
                "epoch,train_loss,val_loss,mIoU,pixel_accuracy,seconds,images_per_second\n"
                        + "1,0.5,0.4\n");

        IOException e = expectThrows(IOException.class, () -> MetricsCsv.read(file, List.of()));

        assertTrue(
                e.getMessage().endsWith("line 2: expected 7 cells as in the header, got 3"),
                e.getMessage());
    }

    @Test
    public void anUnclosedQuoteIsAnIoExceptionNamingTheFile() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");
        Files.writeString(
                file,
                "epoch,train_loss,val_loss,mIoU,pixel_accuracy,seconds,images_per_second\n"
                        + "1,\"0.5,0.4,0.3,0.2,1,2\n");

        IOException e = expectThrows(IOException.class, () -> MetricsCsv.read(file, List.of()));

        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    }

    @Test
    public void aFileThatIsNotAMetricsFileIsAnIoException() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");
        Files.writeString(file, "name,value\na,1\n");

        expectThrows(IOException.class, () -> MetricsCsv.read(file, List.of()));
    }

    private static EpochMetrics withExtras(EpochMetrics epoch, Map<String, Double> extras) {
        return new EpochMetrics(
                epoch.epoch(),
                epoch.trainLoss(),
                epoch.validationLoss(),
                epoch.meanIoU(),
                epoch.pixelAccuracy(),
                epoch.perClassIoU(),
                epoch.seconds(),
                epoch.imagesPerSecond(),
                extras);
    }

    @Test
    public void extraMetricsAreColumnsAfterPixelAccuracyAndReadBack() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");
        Map<String, Double> extras = new LinkedHashMap<>();
        extras.put("mask_ap", 0.25);
        extras.put("boundary_iou", Double.NaN);
        List<EpochMetrics> epochs = new ArrayList<>();
        // epoch 1 of an older run without them, then two epochs with them
        epochs.add(Epochs.of(1));
        epochs.add(withExtras(Epochs.of(2), extras));
        epochs.add(withExtras(Epochs.of(3), Map.of("mask_ap", 0.5, "boundary_iou", 0.75)));
        MetricsCsv.write(file, Epochs.CLASSES, epochs);
        String header = Files.readAllLines(file).get(0);
        assertTrue(header.contains("pixel_accuracy,mask_ap,boundary_iou,iou_background"), header);
        List<EpochMetrics> read = MetricsCsv.read(file, Epochs.CLASSES);
        assertEquals(read.get(1), epochs.get(1));
        assertEquals(read.get(2), epochs.get(2));
        assertTrue(read.get(0).extraMetrics().get("mask_ap").isNaN(), "an empty cell is NaN");
        assertEquals(read.get(0).meanIoU(), epochs.get(0).meanIoU());
    }

    @Test
    public void anExtraMetricNamedLikeAClassColumnIsRefused() throws IOException {
        Path file = TempFolders.create().resolve("metrics.csv");
        List<EpochMetrics> epochs = List.of(withExtras(Epochs.of(1), Map.of("iou_cat", 0.5)));
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> MetricsCsv.write(file, Epochs.CLASSES, epochs));
        assertTrue(e.getMessage().contains("iou_cat"), e.getMessage());
    }

    @Test
    public void extraMetricsSurviveTheCheckpointJson() {
        EpochMetrics epoch = withExtras(Epochs.of(4), Map.of("mask_ap75", 0.125));
        assertEquals(EpochMetricsJson.fromJson(EpochMetricsJson.toJson(epoch)), epoch);
    }
}
