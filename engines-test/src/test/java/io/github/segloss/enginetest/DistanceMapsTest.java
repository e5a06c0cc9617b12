package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.target.DistanceMaps;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * {@link DistanceMaps} on this engine: its reference cases ({@code generated-distance.json}: scipy
 * 1.10's {@code distance_transform_edt} in 2-D and 3-D, with spacing, batched images, values other
 * than 0/1, and the all-zero and all-nonzero inputs; boundary-loss's {@code one_hot2dist} per class
 * with an ignore label and spacing; MONAI's {@code distance_field} with full and empty masks and
 * probabilities), checked by {@link ReferenceCaseRunner}; that the host methods give the same
 * numbers as the {@code NDArray} ones; and the bad input of each.
 */
public class DistanceMapsTest extends ReferenceCaseTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public DistanceMapsTest(String engine) {
        super(
                engine,
                "DistanceMaps.euclidean",
                "DistanceMaps.signedPerClass",
                "DistanceMaps.distanceField");
    }

    @Test
    public void hostTransformEqualsTheDeviceTransformAndScipy() {
        ReferenceCase c = ReferenceCase.named("edt_3d_sampling");
        double[] input = c.input("input").data();
        boolean[] nonzero = new boolean[input.length];
        for (int i = 0; i < input.length; i++) {
            nonzero[i] = input[i] != 0;
        }
        double[] sampling = {1.5, 1.0, 0.7};
        double[] host = DistanceMaps.euclidean(nonzero, new int[] {5, 6, 7}, sampling);
        float[] device =
                DistanceMaps.euclidean(c.input("input").toFloat(manager), sampling).toFloatArray();
        double[] expected = c.expected("output").data();
        for (int i = 0; i < host.length; i++) {
            assertEquals(host[i], expected[i], 1e-12, "host at " + i);
            assertEquals(device[i], (float) host[i], "device at " + i);
        }
    }

    @Test
    public void hostSignedMapsPerClassEqualTheDeviceOnes() {
        ReferenceCase c = ReferenceCase.named("signed_per_class_ignore_sampling");
        double[] labels = c.input("labels").data();
        int[] image = new int[6 * 9];
        for (int i = 0; i < image.length; i++) {
            image[i] = (int) labels[image.length + i]; // the second image
        }
        float[] host = DistanceMaps.signedPerClass(image, new int[] {6, 9}, 4, 255, 2.0, 0.5);
        NDArray device =
                DistanceMaps.signedPerClass(
                        c.input("labels").toType(manager, DataType.INT64), 4, 255, 2.0, 0.5);
        assertEquals(device.getShape(), new Shape(2, 4, 6, 9));
        assertEquals(device.getDataType(), DataType.FLOAT32);
        float[] second = device.get(1).toFloatArray();
        for (int i = 0; i < host.length; i++) {
            assertEquals(host[i], second[i], "at " + i);
        }
    }

    @Test
    public void hostSignedMapOfAMaskIsNegativeInsideAndZeroOnItsInnerBorder() {
        boolean[] mask = new boolean[5 * 5];
        for (int y = 1; y < 4; y++) {
            for (int x = 1; x < 4; x++) {
                mask[y * 5 + x] = true;
            }
        }
        double[] signed = DistanceMaps.signed(mask, new int[] {5, 5});
        assertEquals(signed[2 * 5 + 2], -1.0, 1e-12); // centre: 2 from the outside, minus 1
        assertEquals(signed[5 + 1], 0.0, 1e-12); // inner border
        assertEquals(signed[0], Math.sqrt(2), 1e-12); // outside corner
        double[] field = DistanceMaps.distanceField(mask, new int[] {5, 5});
        assertEquals(field[2 * 5 + 2], 2.0, 1e-12);
        assertEquals(field[5 + 1], 1.0, 1e-12);
        assertEquals(field[0], Math.sqrt(2), 1e-12);
    }

    /**
     * A float64 probability just above 0.5 is inside, as MONAI's {@code img > 0.5} reads it in
     * float64 (rounded to float32 first it was 0.5, outside).
     */
    @Test
    public void float64MasksAreThresholdedInFloat64() {
        NDArray masks =
                manager.create(new double[] {0.5 + 1e-12, 0, 0, 0.5}, new Shape(1, 1, 2, 2));
        double[] field = DistanceMaps.distanceField(masks, 1, 1).toDoubleArray();
        assertEquals(field, new double[] {1, 1, 1, Math.sqrt(2)}, 1e-12);
        double[] signed = DistanceMaps.signed(masks, 1, 1).toDoubleArray();
        assertEquals(signed, new double[] {0, 1, 1, Math.sqrt(2)}, 1e-12);
    }

    @Test
    public void transformsKeepTheInputShapeTypeAndEmptyArrays() {
        NDArray doubles = manager.ones(new Shape(2, 3), DataType.FLOAT64);
        assertEquals(DistanceMaps.euclidean(doubles).getDataType(), DataType.FLOAT64);
        NDArray ints = manager.zeros(new Shape(2, 3), DataType.INT32);
        assertEquals(DistanceMaps.euclidean(ints).getDataType(), DataType.FLOAT32);
        NDArray empty = DistanceMaps.signed(manager.zeros(new Shape(0, 2, 4, 4)), 1, 1);
        assertEquals(empty.getShape(), new Shape(0, 2, 4, 4));
    }

    @Test
    public void rejectsBadSampling() {
        NDArray image = zeros(4, 5);
        Expect.illegalArgument(
                () -> DistanceMaps.euclidean(image, 1, 0), "sampling", "> 0", "[1.0, 0.0]");
        Expect.illegalArgument(
                () -> DistanceMaps.euclidean(image, 1, Double.NaN), "sampling", "NaN");
        Expect.illegalArgument(
                () -> DistanceMaps.euclidean(image, 1, 1, 1), "input", "3 axes", "(4, 5)");
        Expect.illegalArgument(
                () -> DistanceMaps.euclidean(new boolean[20], new int[] {4, 5}, 1, 1, 1),
                "sampling",
                "2, got 3");
        Expect.illegalArgument(
                () -> DistanceMaps.signedPerClass(zeros(2, 4, 5), 3, 255, 1),
                "sampling",
                "2, got 1");
    }

    @Test
    public void rejectsAShapeThatDoesNotMatchTheImage() {
        Expect.illegalArgument(
                () -> DistanceMaps.euclidean(new boolean[12], new int[] {3, 5}),
                "shape",
                "12",
                "[3, 5]");
        Expect.illegalArgument(
                () -> DistanceMaps.signed(new boolean[0], new int[] {0, 4}), "shape", ">= 1");
        Expect.illegalArgument(
                () -> DistanceMaps.signedPerClass(zeros(4), 3, 255), "labels", "(N, d1..dk)");
    }

    @Test
    public void rejectsLabelsThatAreNeitherClassNorIgnored() {
        Expect.illegalArgument(
                () -> DistanceMaps.signedPerClass(new int[] {0, 1, 7, 2}, new int[] {2, 2}, 3, 255),
                "labels",
                "[0, 3)",
                "255",
                "got 7 at [1, 0]");
        NDArray labels = manager.create(new long[] {0, 1, 2, 9, 255, 1}, new Shape(1, 2, 3));
        Expect.illegalArgument(
                () -> DistanceMaps.signedPerClass(labels, 3, 255), "labels", "got 9 at [0, 1, 0]");
        Expect.illegalArgument(
                () -> DistanceMaps.signedPerClass(labels, 0, 255), "numClasses", ">= 1", "0");
    }
}
