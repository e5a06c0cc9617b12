package io.github.segloss.example.data;

import org.testng.annotations.DataProvider;

/** The DJL engines the dataset tests run on, by name. */
public final class Engines {

    private static final String[] NAMES = {"PyTorch", "MXNet"};

    private Engines() {}

    /**
     * One row per engine, for {@code @Factory(dataProvider = "engines")}.
     *
     * @return the engine names
     */
    @DataProvider(name = "engines")
    public static Object[][] engines() {
        Object[][] rows = new Object[NAMES.length][];
        for (int i = 0; i < NAMES.length; i++) {
            rows[i] = new Object[] {NAMES[i]};
        }
        return rows;
    }
}
