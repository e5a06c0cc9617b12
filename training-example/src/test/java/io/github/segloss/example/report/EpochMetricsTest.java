package io.github.segloss.example.report;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.expectThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.testng.annotations.Test;

/** {@link EpochMetrics}: immutable, equal by value, NaN included. */
public class EpochMetricsTest {

    @Test
    public void equalNumbersAreEqualNaNIncluded() {
        assertEquals(Epochs.withNaN(2), Epochs.withNaN(2));
        assertEquals(Epochs.withNaN(2).hashCode(), Epochs.withNaN(2).hashCode());
        assertNotEquals(Epochs.withNaN(2), Epochs.withNaN(3));
    }

    @Test
    public void theArrayAndTheMapAreCopied() {
        double[] iou = {0.5};
        Map<String, Double> loss = new LinkedHashMap<>(Map.of("loss", 1.0));
        EpochMetrics metrics = new EpochMetrics(1, loss, 1, 1, 1, iou, 1, 1);

        iou[0] = 0;
        loss.put("loss", 2.0);
        metrics.perClassIoU()[0] = 0;

        assertEquals(metrics.perClassIoU()[0], 0.5);
        assertEquals(metrics.trainLoss().get("loss"), 1.0);
        expectThrows(UnsupportedOperationException.class, () -> metrics.trainLoss().clear());
    }

    @Test
    public void aNegativeEpochIsRejected() {
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> new EpochMetrics(-1, Map.of(), 0, 0, 0, new double[0], 0, 0));

        assertEquals(e.getMessage(), "epoch must be >= 0, got -1");
    }

    @Test
    public void aLossNameWithALineBreakIsRejected() {
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                new EpochMetrics(
                                        1, Map.of("a\nb", 1.0), 0, 0, 0, new double[0], 0, 0));

        assertEquals(
                e.getMessage(), "trainLoss keys must be non-blank single-line names, got \"a\nb\"");
    }
}
