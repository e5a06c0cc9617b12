package io.github.segloss.enginetest;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import org.testng.ITest;
import org.testng.annotations.AfterClass;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.BeforeMethod;

/**
 * Base of the tests that run once per engine: subclasses take the engine name in a
 * {@code @Factory(dataProvider = "engines", dataProviderClass = Engines.class)} constructor. Each
 * test method gets a fresh {@link #manager} of that engine, closed after it.
 */
public abstract class EngineTest implements ITest {

    /** The engine this instance tests. */
    protected final String engine;

    private NDManager base;

    /** The manager of the current test method, on {@link #engine}. */
    protected NDManager manager;

    /**
     * Creates the test for one engine.
     *
     * @param engine the engine name
     */
    protected EngineTest(String engine) {
        this.engine = engine;
    }

    /** {@inheritDoc} */
    @Override
    public String getTestName() {
        return engine;
    }

    @BeforeClass
    protected void openEngine() {
        base = NDManager.newBaseManager(engine);
        if (!engine.equals(base.getEngine().getEngineName())) {
            throw new AssertionError(
                    "asked for engine " + engine + ", got " + base.getEngine().getEngineName());
        }
    }

    @AfterClass(alwaysRun = true)
    protected void closeEngine() {
        if (base != null) {
            base.close();
        }
    }

    @BeforeMethod
    protected void openManager() {
        manager = base.newSubManager();
    }

    @AfterMethod(alwaysRun = true)
    protected void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    /**
     * Returns a float32 array of zeros of the given shape on {@link #manager}, e.g. logits whose
     * values do not matter to a check of bad input.
     *
     * @param shape the shape
     * @return the zeros
     */
    protected NDArray zeros(long... shape) {
        return manager.zeros(new Shape(shape));
    }

    /**
     * Evaluates the loss of one prediction against one label array.
     *
     * @param loss the loss
     * @param labels the labels
     * @param predictions the predictions
     */
    protected static void evaluate(Loss loss, NDArray labels, NDArray predictions) {
        loss.evaluate(new NDList(labels), new NDList(predictions));
    }

    /**
     * Returns the engine under test.
     *
     * @return the engine
     */
    protected Engine engine() {
        return Engine.getEngine(engine);
    }
}
