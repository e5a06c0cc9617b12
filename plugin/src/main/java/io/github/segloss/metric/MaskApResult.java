package io.github.segloss.metric;

/**
 * The numbers of pycocotools' {@code COCOeval.summarize} for masks ({@code stats[0..11]}) and the
 * AP of each class. COCOeval writes -1 where a number is undefined (no ground truth in its classes
 * and area range); these are NaN here.
 *
 * @param ap AP at IoU .50:.05:.95, all areas, 100 detections ({@code stats[0]})
 * @param ap50 AP at IoU .50 ({@code stats[1]})
 * @param ap75 AP at IoU .75 ({@code stats[2]})
 * @param apSmall AP of ground truths under 32² pixels ({@code stats[3]})
 * @param apMedium AP of ground truths of 32² to 96² pixels ({@code stats[4]})
 * @param apLarge AP of ground truths over 96² pixels ({@code stats[5]})
 * @param ar1 AR with 1 detection per image and class ({@code stats[6]})
 * @param ar10 AR with 10 detections ({@code stats[7]})
 * @param ar100 AR with 100 detections ({@code stats[8]})
 * @param arSmall AR of small ground truths ({@code stats[9]})
 * @param arMedium AR of medium ground truths ({@code stats[10]})
 * @param arLarge AR of large ground truths ({@code stats[11]})
 * @param perClassAp the AP at IoU .50:.05:.95 of each class (all areas, 100 detections), NaN for a
 *     class without ground truth
 */
public record MaskApResult(
        double ap,
        double ap50,
        double ap75,
        double apSmall,
        double apMedium,
        double apLarge,
        double ar1,
        double ar10,
        double ar100,
        double arSmall,
        double arMedium,
        double arLarge,
        double[] perClassAp) {

    /**
     * Returns the twelve numbers in the order of COCOeval's {@code stats}.
     *
     * @return {@code stats[0..11]}, NaN where COCOeval writes -1
     */
    public double[] stats() {
        return new double[] {
            ap, ap50, ap75, apSmall, apMedium, apLarge, ar1, ar10, ar100, arSmall, arMedium, arLarge
        };
    }

    /**
     * Returns the AP of each class.
     *
     * @return a copy of the per-class AP
     */
    @Override
    public double[] perClassAp() {
        return perClassAp.clone();
    }
}
