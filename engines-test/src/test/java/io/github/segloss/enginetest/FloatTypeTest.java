package io.github.segloss.enginetest;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.github.segloss.loss.DeepSupervisionLoss;
import io.github.segloss.loss.DiceLoss;
import io.github.segloss.loss.FocalLoss;
import io.github.segloss.loss.JaccardLoss;
import io.github.segloss.loss.LovaszLoss;
import io.github.segloss.loss.OhemCrossEntropyLoss;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import io.github.segloss.loss.SegmentationMode;
import io.github.segloss.loss.TverskyLoss;
import java.util.List;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/**
 * The loss contract's "in the prediction's float type": every loss, on float16 and float64
 * predictions, returns a scalar of that type whose value and gradients match the float64 result;
 * and a log-softmax over one class is exactly 0.
 */
public class FloatTypeTest extends EngineTest {

    /** float16 holds 11 significant bits: the result's rounding is within 2^-11 relative. */
    private static final double HALF_RELATIVE = 0x1p-10;

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public FloatTypeTest(String engine) {
        super(engine);
    }

    /** A loss's value and the gradients of its predictions (their types checked), as float64. */
    private record Evaluated(NDArray result, double value, double[][] grads) {}

    private Evaluated evaluate(LossCatalog.Entry entry, DataType type) {
        // DJL's MXNet cannot attach a gradient to a float16 array (it cannot fill one): there the
        // float16 predictions are computed from float32 ones, as a model's float16 output is
        boolean viaFloat32 = "MXNet".equals(engine) && type == DataType.FLOAT16;
        NDList leaves = entry.predictions(manager, viaFloat32 ? DataType.FLOAT32 : type);
        NDList labels = entry.labels().apply(manager);
        for (NDArray leaf : leaves) {
            leaf.setRequiresGradient(true);
        }
        NDArray result;
        DataType predictionType;
        try (GradientCollector collector = engine().newGradientCollector()) {
            NDList predictions = new NDList();
            for (NDArray leaf : leaves) {
                // MXNet's cast is differentiable
                predictions.add(viaFloat32 ? leaf.toType(type, false) : leaf);
            }
            predictionType = predictions.head().getDataType();
            result = entry.loss().evaluate(labels, predictions);
            collector.backward(result);
        }
        assertEquals(predictionType, type);
        double[][] grads = new double[leaves.size()][];
        for (int h = 0; h < leaves.size(); h++) {
            grads[h] = leaves.get(h).getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        }
        assertEquals(
                leaves.head().getGradient().getDataType(),
                viaFloat32 ? DataType.FLOAT32 : type,
                entry.name() + ": the gradient's type");
        return new Evaluated(result, result.toType(DataType.FLOAT64, false).getDouble(), grads);
    }

    @Test
    public void everyLossReturnsFloat16ForFloat16Predictions() {
        for (LossCatalog.Entry entry : LossCatalog.all()) {
            Evaluated half = evaluate(entry, DataType.FLOAT16);
            Evaluated exact = evaluate(entry, DataType.FLOAT64);
            String what = entry.name() + " on float16";
            assertEquals(half.result().getDataType(), DataType.FLOAT16, what);
            assertEquals(half.result().getShape(), new Shape(), what);
            assertEquals(
                    half.value(),
                    exact.value(),
                    HALF_RELATIVE * Math.abs(exact.value()) + 1e-6,
                    what + ": value against float64");
            for (int h = 0; h < exact.grads().length; h++) {
                double scale = 0;
                for (double g : exact.grads()[h]) {
                    scale = Math.max(scale, Math.abs(g));
                }
                for (int i = 0; i < exact.grads()[h].length; i++) {
                    // each gradient rounded to float16, or flushed below its smallest normal
                    assertEquals(
                            half.grads()[h][i],
                            exact.grads()[h][i],
                            HALF_RELATIVE * Math.abs(exact.grads()[h][i]) + 1e-3 * scale + 1e-7,
                            what + ": gradient " + h + " at " + i);
                }
            }
        }
    }

    @Test
    public void everyLossReturnsFloat64ForFloat64Predictions() {
        for (LossCatalog.Entry entry : LossCatalog.all()) {
            Evaluated exact = evaluate(entry, DataType.FLOAT64);
            Evaluated single = evaluate(entry, DataType.FLOAT32);
            String what = entry.name() + " on float64";
            assertEquals(exact.result().getDataType(), DataType.FLOAT64, what);
            assertEquals(single.result().getDataType(), DataType.FLOAT32, entry.name());
            assertEquals(
                    exact.value(), single.value(), 1e-5 * Math.abs(exact.value()) + 1e-7, what);
            assertTrue(Double.isFinite(exact.value()), what);
        }
    }

    @Test
    public void softmaxLossesOfOneClassAreExactlyZero() {
        // MXNet's log_softmax over one class gave -1.4e-6: a cross-entropy below 0
        NDArray logits = manager.create(new float[] {3f, -2f, 0.5f, 100f, -7.25f}, new Shape(5, 1));
        NDArray labels = manager.zeros(new Shape(5), DataType.INT64);
        SegmentationMode multiclass = SegmentationMode.MULTICLASS;
        List<Loss> losses =
                List.of(
                        PixelCrossEntropyLoss.builder().build(),
                        PixelCrossEntropyLoss.builder().optLabelSmoothing(0.2f).build(),
                        OhemCrossEntropyLoss.builder().optMinKept(2).build(),
                        FocalLoss.builder().setMode(multiclass).optSoftmax(true).build(),
                        DiceLoss.builder().setMode(multiclass).build(),
                        JaccardLoss.builder().setMode(multiclass).build(),
                        TverskyLoss.builder().setMode(multiclass).build(),
                        LovaszLoss.builder().setMode(multiclass).build());
        for (Loss loss : losses) {
            Gradients.Result result =
                    Gradients.of(
                            engine(),
                            java.util.Map.of("logits", logits),
                            () -> loss.evaluate(new NDList(labels), new NDList(logits)));
            assertEquals(result.value(), 0.0, loss.getName());
            assertEquals(result.grads().get("logits"), new float[5], loss.getName());
        }
        NDArray aux = manager.create(new float[] {-1f, 4f, 2f, 0f, 9f}, new Shape(5, 1));
        float pspnet =
                DeepSupervisionLoss.pspnet()
                        .evaluate(new NDList(labels), new NDList(logits, aux))
                        .getFloat();
        assertEquals(pspnet, 0f, "PSPNet loss of one class");
    }
}
