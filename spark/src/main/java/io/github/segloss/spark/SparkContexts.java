package io.github.segloss.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Creates the Spark context of {@code segloss-eval}. */
public final class SparkContexts {

    /** The master when none is given: embedded Spark on every core of this machine. */
    public static final String DEFAULT_MASTER = "local[*]";

    private SparkContexts() {}

    /**
     * Returns the configuration of a run: the given master, else the one of {@code spark-submit}
     * ({@code spark.master}), else {@value #DEFAULT_MASTER}; the Spark UI off unless configured; in
     * local mode bound to the loopback interface only; and the executors' environment with {@code
     * DJL_OFFLINE=true}, {@code OPT_OUT_TRACKING=true} and {@code OMP_WAIT_POLICY=PASSIVE} unless
     * configured ({@code spark.executorEnv.*}).
     *
     * @param master the master URL ({@code --master}), or null
     * @return the configuration (also reading {@code spark.*} system properties)
     */
    public static SparkConf conf(String master) {
        SparkConf conf = new SparkConf().setAppName("segloss-eval");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(DEFAULT_MASTER);
        }
        conf.setIfMissing("spark.ui.enabled", "false");
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.setIfMissing("spark.executorEnv.DJL_OFFLINE", "true");
        conf.setIfMissing("spark.executorEnv.OPT_OUT_TRACKING", "true");
        conf.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        return conf;
    }

    /**
     * Starts a context.
     *
     * @param master the master URL, or null (see {@link #conf})
     * @return the context
     */
    public static JavaSparkContext start(String master) {
        return new JavaSparkContext(conf(master));
    }
}
