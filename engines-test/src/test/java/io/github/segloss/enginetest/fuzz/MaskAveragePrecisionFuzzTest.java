package io.github.segloss.enginetest.fuzz;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
import io.github.segloss.enginetest.MaskApCases;
import io.github.segloss.enginetest.MaskApCases.Image;
import io.github.segloss.enginetest.ReferenceCase;
import io.github.segloss.metric.IouType;
import io.github.segloss.metric.MaskApResult;
import io.github.segloss.metric.MaskAveragePrecision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * Randomized test of {@link MaskAveragePrecision} on datasets whose shapes the test does not know:
 * engines-test/reference/generate_boundary_ap.py draws them (image sizes 1×1, 1×N, N×1, odd, up to
 * 97; images without detections or ground truths, only crowd regions, more than 100 detections in
 * one image; empty, full, thin, border-touching and noisy masks; tied scores) and writes the
 * numbers of pycocotools' COCOeval (segm) and boundary-iou-api's COCOeval (boundary) for each.
 * Every dataset must give those numbers from host arrays and from arrays of the engine, for both
 * IoU types. The properties are drawn per fuzz case from a random dataset: any split of the images,
 * merged in order, gives identical numbers; so does any order of the images when no two scores are
 * equal (COCOeval breaks ties between images by image order); a strictly increasing transform of
 * the scores changes nothing; the engine's arrays and the host's give identical numbers; mask AP
 * does not change when the images are moved into a wider canvas; bad input raises an {@link
 * IllegalArgumentException} that names the argument and adds nothing.
 */
public class MaskAveragePrecisionFuzzTest extends EngineTest {

    private static final String KIND = "MaskAveragePrecisionFuzz";

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public MaskAveragePrecisionFuzzTest(String engine) {
        super(engine);
    }

    private static List<ReferenceCase> datasets() {
        List<ReferenceCase> cases = new ArrayList<>();
        for (ReferenceCase c : ReferenceCase.loadAll()) {
            if (KIND.equals(c.loss())) {
                cases.add(c);
            }
        }
        assertTrue(cases.size() >= 20, "fuzz datasets: " + cases.size());
        return cases;
    }

    private static MaskApResult evaluate(ReferenceCase c, IouType type, Image[] images) {
        return added(c, type, images).evaluate();
    }

    @Test
    public void everyDatasetMatchesPycocotoolsAndBoundaryIouApi() {
        for (ReferenceCase c : datasets()) {
            Image[] images = MaskApCases.images(c);
            for (IouType type : IouType.values()) {
                String prefix = type == IouType.SEGM ? "" : "boundary";
                double[] stats = c.expected(prefix.isEmpty() ? "stats" : "boundaryStats").data();
                double[] perClass =
                        c.expected(prefix.isEmpty() ? "perClassAp" : "boundaryPerClassAp").data();
                MaskApResult host = evaluate(c, type, images);
                MaskApCases.assertMatches(c.name() + " " + type + " host", host, stats, perClass);
                MaskAveragePrecision ap = MaskApCases.evaluation(c, type);
                for (Image image : images) {
                    image.addTo(ap, manager);
                }
                MaskApResult arrays = ap.evaluate();
                MaskApCases.assertMatches(
                        c.name() + " " + type + " engine arrays", arrays, stats, perClass);
                assertEquals(arrays.stats(), host.stats(), c.name() + " " + type);
                assertEquals(arrays.perClassAp(), host.perClassAp(), c.name() + " " + type);
            }
        }
    }

    @Test
    public void properties() {
        List<ReferenceCase> datasets = datasets();
        Fuzz.run(engine, manager, "maskAp", 120, c -> propertiesCase(c, datasets));
    }

    private static void propertiesCase(FuzzCase c, List<ReferenceCase> datasets) {
        ReferenceCase dataset = datasets.get(c.intIn(0, datasets.size() - 1));
        IouType type = c.pick(IouType.values());
        Image[] images = MaskApCases.images(dataset);
        c.describe("dataset", dataset.name()).describe("iouType", type);
        MaskApResult whole = evaluate(dataset, type, images);
        int check = c.intIn(0, 5);
        switch (check) {
            case 0 -> splitsMergeInOrder(c, dataset, type, images, whole);
            case 1 -> imageOrder(c, dataset, type, images, whole);
            case 2 -> increasingScores(c, dataset, type, images, whole);
            case 3 -> engineArrays(c, dataset, type, images, whole);
            case 4 -> widerCanvas(c, dataset, images);
            default -> badInput(c, dataset, type, images);
        }
    }

    private static void assertSame(FuzzCase c, MaskApResult actual, MaskApResult expected) {
        assertEquals(actual.stats(), expected.stats(), c.description());
        assertEquals(actual.perClassAp(), expected.perClassAp(), c.description());
    }

    /** Contiguous slices evaluated apart and merged in order, in one or several steps. */
    private static void splitsMergeInOrder(
            FuzzCase c, ReferenceCase dataset, IouType type, Image[] images, MaskApResult whole) {
        int[] cuts = new int[c.intIn(0, 3)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = c.intIn(0, images.length);
        }
        Arrays.sort(cuts);
        c.describe("cuts", Arrays.toString(cuts));
        List<MaskAveragePrecision> parts = new ArrayList<>();
        int from = 0;
        for (int k = 0; k <= cuts.length; k++) {
            int to = k < cuts.length ? cuts[k] : images.length;
            parts.add(added(dataset, type, Arrays.copyOfRange(images, from, to)));
            from = to;
        }
        MaskAveragePrecision merged = parts.get(0);
        if (c.chance(0.5)) {
            for (int k = 1; k < parts.size(); k++) {
                merged.merge(parts.get(k));
            }
        } else {
            // merge the later slices into each other first, then into the first
            MaskAveragePrecision tail = MaskApCases.evaluation(dataset, type);
            for (int k = 1; k < parts.size(); k++) {
                tail.merge(parts.get(k));
            }
            merged.merge(tail);
        }
        assertEquals(merged.getNumImages(), images.length);
        assertSame(c, merged.evaluate(), whole);
    }

    /** An evaluation with the images added. */
    private static MaskAveragePrecision added(ReferenceCase dataset, IouType type, Image[] images) {
        MaskAveragePrecision ap = MaskApCases.evaluation(dataset, type);
        for (Image image : images) {
            image.addTo(ap);
        }
        return ap;
    }

    private static boolean distinctScores(Image[] images) {
        double[] all =
                Arrays.stream(images).flatMapToDouble(i -> Arrays.stream(i.scores())).toArray();
        return Arrays.stream(all).distinct().count() == all.length;
    }

    /** A random order of the images, as one evaluation or merged one image at a time. */
    private static void imageOrder(
            FuzzCase c, ReferenceCase dataset, IouType type, Image[] images, MaskApResult whole) {
        Image[] distinct = images;
        if (!distinctScores(images)) {
            // make every score distinct (the property compares two evaluations of these scores)
            distinct = new Image[images.length];
            int at = 0;
            for (int n = 0; n < images.length; n++) {
                double[] scores = images[n].scores().clone();
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = scores[i] * 1e6 + 1e-3 * (1 - (double) ++at / 1e5);
                }
                distinct[n] = images[n].withScores(scores);
            }
            assertTrue(distinctScores(distinct), c.description());
            c.describe("scores", "made distinct");
        }
        MaskApResult reference = evaluate(dataset, type, distinct);
        Integer[] order = new Integer[images.length];
        for (int n = 0; n < order.length; n++) {
            order[n] = n;
        }
        for (int n = order.length - 1; n > 0; n--) {
            int k = c.intIn(0, n);
            Integer swap = order[n];
            order[n] = order[k];
            order[k] = swap;
        }
        c.describe("order", Arrays.toString(order));
        MaskAveragePrecision shuffled = MaskApCases.evaluation(dataset, type);
        for (Integer n : order) {
            if (c.chance(0.5)) {
                distinct[n].addTo(shuffled);
            } else {
                shuffled.merge(added(dataset, type, new Image[] {distinct[n]}));
            }
        }
        assertSame(c, shuffled.evaluate(), reference);
    }

    /** Scores through a strictly increasing function: the same ranking, the same numbers. */
    private static void increasingScores(
            FuzzCase c, ReferenceCase dataset, IouType type, Image[] images, MaskApResult whole) {
        String name = c.pick("x*8", "-1/(x+2)", "exp(x)-5", "x^3+x");
        DoubleUnaryOperator f =
                switch (name) {
                    case "x*8" -> x -> Math.scalb(x, 3);
                    case "-1/(x+2)" -> x -> -1 / (x + 2);
                    case "exp(x)-5" -> x -> Math.exp(x) - 5;
                    default -> x -> x * x * x + x;
                };
        c.describe("transform", name);
        Image[] transformed = new Image[images.length];
        double[] before =
                Arrays.stream(images).flatMapToDouble(i -> Arrays.stream(i.scores())).toArray();
        for (int n = 0; n < images.length; n++) {
            transformed[n] =
                    images[n].withScores(Arrays.stream(images[n].scores()).map(f).toArray());
        }
        double[] after =
                Arrays.stream(transformed)
                        .flatMapToDouble(i -> Arrays.stream(i.scores()))
                        .toArray();
        for (int i = 0; i < before.length; i++) {
            for (int j = 0; j < before.length; j++) {
                assertEquals(
                        Double.compare(after[i], after[j]),
                        Double.compare(before[i], before[j]),
                        "the transform keeps the order of " + before[i] + " and " + before[j]);
            }
        }
        assertSame(c, evaluate(dataset, type, transformed), whole);
    }

    /**
     * Mask AP of the images moved into a larger canvas (up to 200 more columns, so masks span
     * several 64-pixel words at any offset): the same areas and IoUs, the same numbers. (Boundary
     * AP would change: the boundary width follows the image diagonal.)
     */
    private static void widerCanvas(FuzzCase c, ReferenceCase dataset, Image[] images) {
        MaskApResult whole = evaluate(dataset, IouType.SEGM, images);
        Image[] moved = new Image[images.length];
        for (int n = 0; n < images.length; n++) {
            Image im = images[n];
            int top = c.intIn(0, 3);
            int left = c.intIn(0, 130);
            int height = im.height() + top + c.intIn(0, 3);
            int width = im.width() + left + c.intIn(0, 70);
            c.describe("canvas" + n, height + "x" + width + "+" + top + "+" + left);
            moved[n] =
                    new Image(
                            height,
                            width,
                            move(im.dtMasks(), im, height, width, top, left),
                            im.scores(),
                            im.dtClasses(),
                            move(im.gtMasks(), im, height, width, top, left),
                            im.gtClasses(),
                            im.gtCrowd());
        }
        assertSame(c, evaluate(dataset, IouType.SEGM, moved), whole);
    }

    private static boolean[][] move(
            boolean[][] masks, Image im, int height, int width, int top, int left) {
        boolean[][] out = new boolean[masks.length][height * width];
        for (int m = 0; m < masks.length; m++) {
            for (int y = 0; y < im.height(); y++) {
                System.arraycopy(
                        masks[m], y * im.width(), out[m], (y + top) * width + left, im.width());
            }
        }
        return out;
    }

    /** One image from the engine's arrays, of random types, the others from the host's. */
    private static void engineArrays(
            FuzzCase c, ReferenceCase dataset, IouType type, Image[] images, MaskApResult whole) {
        MaskAveragePrecision ap = MaskApCases.evaluation(dataset, type);
        DataType maskType = c.pick(DataType.BOOLEAN, DataType.FLOAT32, DataType.INT32);
        c.describe("maskType", maskType);
        for (Image image : images) {
            if (c.chance(0.3)) {
                image.addTo(ap);
                continue;
            }
            NDArray dt = image.stack(c.manager(), image.dtMasks()).toType(maskType, false);
            NDArray gt = image.stack(c.manager(), image.gtMasks()).toType(maskType, false);
            ap.addImage(
                    dt,
                    c.manager().create(image.scores()),
                    c.manager().create(image.dtClasses()).toType(DataType.FLOAT32, false),
                    gt,
                    c.manager().create(image.gtClasses()),
                    c.manager().create(image.gtCrowd()).toType(DataType.INT32, false));
        }
        assertSame(c, ap.evaluate(), whole);
    }

    /** One defect in one image: an IllegalArgumentException naming it, and no image added. */
    private static void badInput(FuzzCase c, ReferenceCase dataset, IouType type, Image[] images) {
        Image im = images[c.intIn(0, images.length - 1)];
        MaskAveragePrecision ap = MaskApCases.evaluation(dataset, type);
        int classes = ap.getNumClasses();
        String defect = c.pick("scores length", "NaN score", "class", "mask values", "mask size");
        c.markInvalid(defect, "drawn");
        int d = im.scores().length;
        int g = im.gtClasses().length;
        switch (defect) {
            case "scores length" -> {
                double[] scores = Arrays.copyOf(im.scores(), d + 1);
                Check.illegalArgument(
                        () -> im.withScores(scores).addTo(ap), "scores", "got " + (d + 1));
            }
            case "NaN score" -> {
                if (d == 0) {
                    double[] scores = {Double.NaN};
                    Check.illegalArgument(() -> im.withScores(scores).addTo(ap), "scores", "got 1");
                } else {
                    double[] scores = im.scores().clone();
                    int i = c.intIn(0, d - 1);
                    scores[i] = Double.NaN;
                    Check.illegalArgument(
                            () -> im.withScores(scores).addTo(ap), "scores[" + i + "]", "NaN");
                }
            }
            case "class" -> {
                boolean onDetections = d > 0 && (g == 0 || c.chance(0.5));
                int bad = c.pick(classes, classes + 3, -1);
                if (onDetections) {
                    int[] classIds = im.dtClasses().clone();
                    int i = c.intIn(0, d - 1);
                    classIds[i] = bad;
                    Check.illegalArgument(
                            () ->
                                    ap.addImage(
                                            im.height(),
                                            im.width(),
                                            im.dtMasks(),
                                            im.scores(),
                                            classIds,
                                            im.gtMasks(),
                                            im.gtClasses(),
                                            im.gtCrowd()),
                            "dtClasses[" + i + "]",
                            "got " + bad);
                } else {
                    int[] classIds = g == 0 ? new int[] {bad} : im.gtClasses().clone();
                    classIds[c.intIn(0, classIds.length - 1)] = bad;
                    NDArray gtClasses = c.manager().create(classIds);
                    NDArray gtMasks =
                            g == 0
                                    ? c.manager()
                                            .zeros(
                                                    new Shape(1, im.height(), im.width()),
                                                    DataType.BOOLEAN)
                                    : im.stack(c.manager(), im.gtMasks());
                    NDArray crowd = c.manager().zeros(new Shape(Math.max(g, 1)));
                    Check.illegalArgument(
                            () ->
                                    ap.addImage(
                                            im.stack(c.manager(), im.dtMasks()),
                                            c.manager().create(im.scores()),
                                            c.manager().create(im.dtClasses()),
                                            gtMasks,
                                            gtClasses,
                                            crowd),
                            "gtClasses[",
                            String.valueOf(bad));
                }
            }
            case "mask values" -> {
                int count = Math.max(d, 1);
                float[] values = new float[count * im.height() * im.width()];
                values[c.intIn(0, values.length - 1)] = c.pick(2f, -1f, 0.5f);
                NDArray masks =
                        c.manager().create(values, new Shape(count, im.height(), im.width()));
                double[] scores = new double[count];
                Check.illegalArgument(
                        () ->
                                ap.addImage(
                                        masks,
                                        c.manager().create(scores),
                                        c.manager().zeros(new Shape(count)),
                                        im.stack(c.manager(), im.gtMasks()),
                                        c.manager().create(im.gtClasses()),
                                        c.manager().create(im.gtCrowd())),
                        "dtMasks");
            }
            default -> {
                boolean[][] masks = {new boolean[im.height() * im.width() + 1]};
                Check.illegalArgument(
                        () ->
                                ap.addImage(
                                        im.height(),
                                        im.width(),
                                        im.dtMasks(),
                                        im.scores(),
                                        im.dtClasses(),
                                        masks,
                                        new int[] {0},
                                        new boolean[] {false}),
                        "gtMasks[0]",
                        "got " + (im.height() * im.width() + 1));
            }
        }
        assertEquals(ap.getNumImages(), 0, "a rejected image is not added: " + c.description());
    }
}
