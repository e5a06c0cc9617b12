package io.github.segloss.metric;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The matches of one image and class in one area range, as pycocotools' {@code
 * COCOeval.evaluateImg} leaves them: the detections' scores in descending order (at most the
 * largest max-detections), for each IoU threshold whether each detection matched a ground truth and
 * whether it is ignored, and the number of ground truths that are not ignored.
 *
 * @param scores the detections' scores, descending (ties in input order)
 * @param matched {@code [T][D]}: detection d matched a ground truth at threshold t
 * @param ignored {@code [T][D]}: detection d is ignored at threshold t (matched a crowd or
 *     out-of-range ground truth, or unmatched with its area out of range)
 * @param gtCount the ground truths that are neither crowd nor out of the area range
 */
record CocoMatches(double[] scores, boolean[][] matched, boolean[][] ignored, int gtCount)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Matches the detections of one image and class to its ground truths greedily by score, as
     * {@code COCOeval.computeIoU} and {@code evaluateImg} do for iouType "segm".
     *
     * @param ious {@code [D][G]} the IoUs of the detections (score order) and ground truths (input
     *     order); a crowd ground truth's IoU is {@code |dt ∩ gt| / |dt|}
     * @param scores the detections' scores, descending
     * @param dtAreas the detections' areas in pixels
     * @param gtAreas the ground truths' areas in pixels
     * @param gtCrowd the ground truths' iscrowd flags
     * @param thresholds the IoU thresholds
     * @param minArea the area range's inclusive lower end
     * @param maxArea the area range's inclusive upper end
     * @return the matches
     */
    static CocoMatches match(
            double[][] ious,
            double[] scores,
            long[] dtAreas,
            long[] gtAreas,
            boolean[] gtCrowd,
            double[] thresholds,
            double minArea,
            double maxArea) {
        int g = gtAreas.length;
        int d = scores.length;
        boolean[] gtIgnore = new boolean[g];
        for (int j = 0; j < g; j++) {
            gtIgnore[j] = gtCrowd[j] || gtAreas[j] < minArea || gtAreas[j] > maxArea;
        }
        // COCOeval sorts the ground truths by their ignore flag, stably: kept ones first.
        Integer[] order = IntStream.range(0, g).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparing(j -> gtIgnore[j]));
        boolean[][] matched = new boolean[thresholds.length][d];
        boolean[][] ignored = new boolean[thresholds.length][d];
        for (int t = 0; t < thresholds.length; t++) {
            boolean[] gtTaken = new boolean[g];
            for (int i = 0; i < d; i++) {
                double best = Math.min(thresholds[t], 1 - 1e-10);
                int m = -1;
                for (int k = 0; k < g; k++) {
                    int j = order[k];
                    if (gtTaken[j] && !gtCrowd[j]) {
                        continue;
                    }
                    if (m > -1 && !gtIgnore[m] && gtIgnore[j]) {
                        break;
                    }
                    if (ious[i][j] < best) {
                        continue;
                    }
                    best = ious[i][j];
                    m = j;
                }
                if (m == -1) {
                    continue;
                }
                ignored[t][i] = gtIgnore[m];
                matched[t][i] = true;
                gtTaken[m] = true;
            }
            for (int i = 0; i < d; i++) {
                if (!matched[t][i] && (dtAreas[i] < minArea || dtAreas[i] > maxArea)) {
                    ignored[t][i] = true;
                }
            }
        }
        int kept = 0;
        for (boolean ignore : gtIgnore) {
            kept += ignore ? 0 : 1;
        }
        return new CocoMatches(scores, matched, ignored, kept);
    }
}
