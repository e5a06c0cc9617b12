package io.github.segloss.example.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Made-up epochs for the report tests. */
final class Epochs {

    static final List<String> CLASSES = List.of("background", "cat", "dog");

    private Epochs() {}

    /** Epoch {@code epoch} of a run with a main and an auxiliary head; nothing is NaN. */
    static EpochMetrics of(int epoch) {
        Map<String, Double> loss = new LinkedHashMap<>();
        double main = 1.0 / (epoch + 1);
        loss.put("loss", main * 1.4);
        loss.put("main", main);
        loss.put("aux", main * 0.4);
        double iou = 1.0 - main;
        return new EpochMetrics(
                epoch,
                loss,
                main * 1.1,
                iou,
                0.5 + iou / 2,
                new double[] {0.9, iou, iou / 2},
                12.5 + epoch,
                35.25);
    }

    /** Epochs 1 to {@code count}. */
    static List<EpochMetrics> first(int count) {
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int e = 1; e <= count; e++) {
            epochs.add(of(e));
        }
        return epochs;
    }

    /** An epoch whose validation numbers, one loss component and one class IoU are NaN. */
    static EpochMetrics withNaN(int epoch) {
        Map<String, Double> loss = new LinkedHashMap<>();
        loss.put("loss", 0.5);
        loss.put("main", Double.NaN);
        loss.put("aux", 0.1);
        return new EpochMetrics(
                epoch,
                loss,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                new double[] {0.8, Double.NaN, 0.3},
                3.0,
                Double.NaN);
    }
}
