package io.github.segloss.enginetest.gc;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.enginetest.EngineTest;
import io.github.segloss.enginetest.Engines;
import io.github.segloss.internal.HostArrays;
import io.github.segloss.internal.Scalars;
import org.testng.annotations.Factory;
import org.testng.annotations.Test;

/** Constants from host values take the type and device of the array they join, exactly. */
public class HostArraysTest extends EngineTest {

    @Factory(dataProvider = "engines", dataProviderClass = Engines.class)
    public HostArraysTest(String engine) {
        super(engine);
    }

    @Test
    public void float64ScalarIsExact() {
        NDArray like = manager.zeros(new Shape(2), DataType.FLOAT64);
        NDArray third = HostArrays.scalar(like, 1.0 / 3);
        assertEquals(third.getDataType(), DataType.FLOAT64);
        assertEquals(third.getShape(), new Shape());
        assertEquals(third.getDouble(), 1.0 / 3);
        assertEquals(
                Scalars.mul(like.add(manager.ones(new Shape(2), DataType.FLOAT64)), 0.1)
                        .toDoubleArray(),
                new double[] {0.1, 0.1});
    }

    @Test
    public void scalarTakesTheTypeOfItsArray() {
        for (DataType type : new DataType[] {DataType.FLOAT16, DataType.FLOAT32, DataType.INT64}) {
            NDArray like = manager.ones(new Shape(3)).toType(type, false);
            NDArray scalar = HostArrays.scalar(like, 2);
            assertEquals(scalar.getDataType(), type, type.toString());
            assertEquals(scalar.getDevice(), like.getDevice());
            assertEquals(
                    Scalars.add(like, 2).toType(DataType.FLOAT64, false).toDoubleArray(),
                    new double[] {3, 3, 3},
                    type.toString());
        }
    }

    @Test
    public void arraysKeepTheirValuesAfterTheHostCopyIsGone() {
        NDArray like = manager.zeros(new Shape(1), DataType.FLOAT32);
        NDArray weights = HostArrays.of(like, new float[] {0.5f, 1.5f, -2f}, new Shape(3));
        NDArray matrix = HostArrays.of(like, new double[] {1, 2, 3, 4}, new Shape(2, 2));
        try (GcStorm.Held held = GcStorm.between()) {
            assertEquals(weights.toFloatArray(), new float[] {0.5f, 1.5f, -2f});
            assertEquals(matrix.toFloatArray(), new float[] {1, 2, 3, 4});
        }
        assertEquals(matrix.getDataType(), DataType.FLOAT32);
    }
}
