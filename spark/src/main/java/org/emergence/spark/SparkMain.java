package org.emergence.spark;

import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.emergence.cli.Main;
import org.emergence.cli.RunCommand;
import org.emergence.common.UserError;
import org.emergence.ie.RunOutcome;
import org.emergence.ie.RunRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code emergence-spark}: {@code emergence run} as a Spark job. Takes every option of {@code run}
 * (same defaults, same run directory, same numbers) plus where the executors share their files and
 * how the sequences are split. Submit with {@code spark-submit --class org.emergence.spark.SparkMain};
 * without a master it runs in-process on {@code local[*]}.
 */
@Command(name = "emergence-spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"emergence run as a Spark job: forward passes over partitions of the sequences, one task per "
                + "(layer, position, level) estimate, results assembled on the driver into RUN_DIR as run writes them.",
            "Re-submitting the same command resumes a killed job from what the store holds."})
public final class SparkMain extends RunCommand implements Callable<Integer> {

    @Option(names = "--store", paramLabel = "DIR|URI",
            description = "Storage all executors share: a path mounted everywhere, or a Hadoop URI (hdfs://…, s3a://…, file:/…). "
                    + "Default RUN_DIR/.spark-store (enough for local[*]).")
    String store;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Capture partitions, whole batches each (default: 2 × the cluster's default parallelism).")
    int partitions;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: spark-submit's, else local[*]).")
    String master;

    public static void main(String[] args) {
        int code = Main.run(new SparkMain(), args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        applyCommon();
        if (actsOption() != null) throw new UserError(actsOption() + " does not apply to the Spark backend (use emergence run)");
        if (partitions < 0) throw new UserError("--partitions must be >= 1, got " + partitions);
        RunRequest.Prepared p = request().prepare(Main.version());
        SparkConf conf = new SparkConf().setAppName("emergence " + p.dir().getFileName());
        if (master != null) conf.setMaster(master);
        else if (!conf.contains("spark.master")) conf.setMaster("local[*]");
        if (conf.get("spark.master").startsWith("local")) {
            // in-process: nothing listens beyond loopback, and no web UI
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1").setIfMissing("spark.driver.host", "127.0.0.1")
                    .setIfMissing("spark.ui.enabled", "false");
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            // Spark logs a failed task's stack trace at WARN; bad input ends the job with our one line instead
            sc.setLogLevel(org.emergence.cli.CommonOptions.debug() ? "WARN" : "ERROR");
            int parts = partitions > 0 ? partitions : 2 * sc.defaultParallelism();
            String where = store != null ? store : p.dir().resolve(".spark-store").toString();
            RunOutcome o = SparkRun.run(sc, p, where, parts, keepActivations());
            return finish(p, o);
        }
    }
}
