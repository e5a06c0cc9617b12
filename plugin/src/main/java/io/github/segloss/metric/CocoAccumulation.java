package io.github.segloss.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The precision and recall tables of pycocotools' {@code COCOeval.accumulate} and the twelve
 * numbers of its {@code summarize}, computed from per-image {@link CocoMatches}.
 */
final class CocoAccumulation {

    private final double[] thresholds;
    private final double[] recallThresholds;
    private final int[] maxDets;
    private final int numClasses;
    private final int numAreas;

    /** {@code [T][R][K][A][M]}, -1 where a class has no ground truth. */
    private final double[][][][][] precision;

    /** {@code [T][K][A][M]}, -1 where a class has no ground truth. */
    private final double[][][][] recall;

    /**
     * Accumulates the matches of every image.
     *
     * @param images per image {@code [class][area]} matches, null where the image has neither
     *     detections nor ground truths of the class, in image order (it breaks ties in score)
     * @param thresholds the IoU thresholds
     * @param recallThresholds the recall thresholds of the interpolated precision
     * @param maxDets the max-detections settings, ascending
     * @param numClasses the number of classes
     * @param numAreas the number of area ranges
     */
    CocoAccumulation(
            List<CocoMatches[][]> images,
            double[] thresholds,
            double[] recallThresholds,
            int[] maxDets,
            int numClasses,
            int numAreas) {
        this.thresholds = thresholds;
        this.recallThresholds = recallThresholds;
        this.maxDets = maxDets;
        this.numClasses = numClasses;
        this.numAreas = numAreas;
        int t = thresholds.length;
        precision = new double[t][recallThresholds.length][numClasses][numAreas][maxDets.length];
        recall = new double[t][numClasses][numAreas][maxDets.length];
        for (double[][][][] byRecall : precision) {
            for (double[][][] byClass : byRecall) {
                for (double[][] byArea : byClass) {
                    for (double[] row : byArea) {
                        Arrays.fill(row, -1);
                    }
                }
            }
        }
        for (double[][][] byClass : recall) {
            for (double[][] byArea : byClass) {
                for (double[] row : byArea) {
                    Arrays.fill(row, -1);
                }
            }
        }
        for (int k = 0; k < numClasses; k++) {
            for (int a = 0; a < numAreas; a++) {
                List<CocoMatches> present = new ArrayList<>();
                for (CocoMatches[][] image : images) {
                    if (image[k][a] != null) {
                        present.add(image[k][a]);
                    }
                }
                for (int m = 0; m < maxDets.length; m++) {
                    accumulate(present, k, a, m);
                }
            }
        }
    }

    private void accumulate(List<CocoMatches> present, int k, int a, int m) {
        if (present.isEmpty()) {
            return;
        }
        int limit = maxDets[m];
        int total = 0;
        int npig = 0;
        for (CocoMatches e : present) {
            total += Math.min(limit, e.scores().length);
            npig += e.gtCount();
        }
        if (npig == 0) {
            return;
        }
        double[] scores = new double[total];
        int[] owner = new int[total];
        int[] index = new int[total];
        int n = 0;
        for (int e = 0; e < present.size(); e++) {
            int count = Math.min(limit, present.get(e).scores().length);
            for (int i = 0; i < count; i++) {
                scores[n] = present.get(e).scores()[i];
                owner[n] = e;
                index[n] = i;
                n++;
            }
        }
        // np.argsort(-scores, kind='mergesort'): descending, stable.
        Integer[] order = IntStream.range(0, total).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> -scores[i]));
        for (int t = 0; t < thresholds.length; t++) {
            double[] rc = new double[total];
            double[] pr = new double[total];
            double tp = 0;
            double fp = 0;
            for (int r = 0; r < total; r++) {
                int i = order[r];
                CocoMatches e = present.get(owner[i]);
                boolean matched = e.matched()[t][index[i]];
                boolean ignored = e.ignored()[t][index[i]];
                tp += matched && !ignored ? 1 : 0;
                fp += !matched && !ignored ? 1 : 0;
                rc[r] = tp / npig;
                pr[r] = tp / (fp + tp + Math.ulp(1.0));
            }
            recall[t][k][a][m] = total > 0 ? rc[total - 1] : 0;
            for (int i = total - 1; i > 0; i--) {
                if (pr[i] > pr[i - 1]) {
                    pr[i - 1] = pr[i];
                }
            }
            for (int r = 0; r < recallThresholds.length; r++) {
                int at = searchLeft(rc, recallThresholds[r]);
                precision[t][r][k][a][m] = at < total ? pr[at] : 0;
            }
        }
    }

    /** numpy's searchsorted(side='left'): the first index whose value is at least {@code x}. */
    private static int searchLeft(double[] sorted, double x) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] < x) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * The mean precision over the recall thresholds and the classes (one class if {@code onlyClass}
     * is at least 0), as {@code summarize}'s {@code _summarize(1, ...)}.
     *
     * @param threshold the IoU threshold's index, or -1 for all
     * @param area the area range's index
     * @param maxDet the max-detections setting's index
     * @param onlyClass a class index, or -1 for all
     * @return the mean of the entries that are not -1, NaN if there are none
     */
    double averagePrecision(int threshold, int area, int maxDet, int onlyClass) {
        double sum = 0;
        long count = 0;
        for (int t = 0; t < thresholds.length; t++) {
            if (threshold >= 0 && t != threshold) {
                continue;
            }
            for (double[][][] byClass : precision[t]) {
                for (int k = 0; k < numClasses; k++) {
                    if (onlyClass >= 0 && k != onlyClass) {
                        continue;
                    }
                    double v = byClass[k][area][maxDet];
                    if (v > -1) {
                        sum += v;
                        count++;
                    }
                }
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * The mean recall over the IoU thresholds and classes, as {@code _summarize(0, ...)}.
     *
     * @param area the area range's index
     * @param maxDet the max-detections setting's index
     * @return the mean of the entries that are not -1, NaN if there are none
     */
    double averageRecall(int area, int maxDet) {
        double sum = 0;
        long count = 0;
        for (double[][][] byClass : recall) {
            for (int k = 0; k < numClasses; k++) {
                double v = byClass[k][area][maxDet];
                if (v > -1) {
                    sum += v;
                    count++;
                }
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * Returns the number of area ranges.
     *
     * @return A
     */
    int numAreas() {
        return numAreas;
    }
}
