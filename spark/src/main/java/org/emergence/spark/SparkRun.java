package org.emergence.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.emergence.common.UserError;
import org.emergence.data.Dataset;
import org.emergence.data.Npy;
import org.emergence.ie.EstimateCells;
import org.emergence.ie.Level;
import org.emergence.ie.MicroStates;
import org.emergence.ie.RunAssembly;
import org.emergence.ie.RunOutcome;
import org.emergence.ie.RunRequest;
import org.emergence.ie.RunSettings;
import org.emergence.model.Transformer;

/**
 * One IE run as a Spark job, with the numbers of the same {@code run} on one machine:
 * <ol>
 *   <li><b>capture</b> — one task per partition of the sequences (whole batches): embed and run every
 *       block up to the last measured one, writing each residual layer as [T, rows, H] to the store;</li>
 *   <li><b>micro</b> — on the driver: every distinct lone item through the blocks (items are few);</li>
 *   <li><b>scale</b> — one task per residual layer: its pooled RMS, when the noise scale needs it;</li>
 *   <li><b>estimate</b> — one task per (level, layer, position), each persisted to the store;</li>
 *   <li><b>assemble</b> — on the driver: summary.json, results.csv and the report in the run directory,
 *       exactly as a local run writes them.</li>
 * </ol>
 * Every stage skips what the store already holds, so re-submitting a killed job resumes it. The store
 * remembers the run's settings and refuses another run's.
 */
public final class SparkRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SparkRun() {}

    /**
     * @param partitions capture partitions (rounded to whole batches)
     * @param keepActivations keep the captured activations in the store after the run
     */
    public static RunOutcome run(JavaSparkContext sc, RunRequest.Prepared p, String storeLocation, int partitions,
                                           boolean keepActivations) throws IOException {
        if (p.acts() != null) throw new UserError("--acts: the Spark backend captures its own activations; use run --acts for those");
        if (p.data().isRandom()) {
            throw new UserError("--dataset " + p.data().spec() + ": the random-input baseline is not distributed (it is cheap): use run");
        }
        if (partitions < 1) throw new UserError("--partitions must be >= 1, got " + partitions);
        RunSettings s = p.settings();
        Dataset data = p.data();
        Transformer model = p.model();
        int n = data.n(), t = data.t(), h = model.config().hidden();
        int batch = Math.max(1, Math.min(p.request().batch(), n));
        int[] layers = s.layers();
        int last = layers[layers.length - 1];
        SharedStore store = new SharedStore(storeLocation);
        claim(store, s);
        SparkPlan plan = new SparkPlan(store, p.request().model(), p.request().ablate(), batch, n, t, h,
                last + 1, s, SparkPlan.partitionStarts(n, batch, partitions));
        boolean quiet = p.request().quiet();

        List<Tasks.Cell> pending = new ArrayList<>();
        Set<String> have = new HashSet<>(store.list("est"));
        for (int l : layers) {
            for (int i = 0; i < t; i++) {
                for (Level lv : new Level[] {Level.MACRO, Level.MICRO}) {
                    Tasks.Cell c = new Tasks.Cell(lv, l, i);
                    if (!have.contains(c.file())) pending.add(c);
                }
            }
        }
        say(quiet, "spark: %d partitions of %d sequences, %d of %d estimates to compute, store %s", plan.partitions(),
                plan.rows(0), pending.size(), 2 * layers.length * t, store.location());
        double captureSecs = 0, estimateSecs = 0;
        if (!pending.isEmpty()) {
            long c0 = System.nanoTime();
            // capture: the partitions not yet done, or whose files are damaged (recomputed, never trusted)
            recoverDamagedPartitions(store, plan, quiet);
            List<Tasks.Capture> parts = new ArrayList<>();
            for (int j = 0; j < plan.partitions(); j++) {
                if (!store.exists(SparkPlan.doneName(j))) {
                    parts.add(new Tasks.Capture(j, Arrays.copyOfRange(data.ids(), plan.starts()[j] * t, plan.starts()[j + 1] * t)));
                }
            }
            if (!parts.isEmpty()) {
                say(quiet, "spark: capture, %d partition tasks", parts.size());
                unwrapped(() -> sc.parallelize(parts, parts.size()).foreach(c -> Tasks.capture(plan, c)));
            }
            // micro: every lone item through the blocks, on the driver — only when a micro estimate is pending
            MicroStates micro = null;
            if (pending.stream().anyMatch(c -> c.level() == Level.MICRO)) {
                micro = new MicroStates(model, data, s.measurement().microPosition().equals("original"), p.microPrefix(),
                        p.microSuffix(), batch);
                Path tmp = Files.createTempDirectory("emergence-spark-micro-");
                for (int l : layers) {
                    float[][] ba = micro.beforeAfter(l);
                    for (int k = 0; k < 2; k++) {
                        String name = SparkPlan.microName(l + k);
                        if (store.exists(name)) continue;
                        Path f = tmp.resolve("h" + (l + k) + ".npy");
                        Npy.writeFloats(f, new long[] {micro.items(), h}, ba[k]);
                        store.publish(f, name);
                    }
                }
                Files.deleteIfExists(tmp);
            }
            // scale: the pooled RMS of every residual layer a pending estimate uses
            Map<Integer, Double> scales = null;
            if (new EstimateCells(s).needsLayerScale()) {
                TreeSet<Integer> ks = new TreeSet<>();
                for (Tasks.Cell c : pending) {
                    ks.add(c.layer());
                    ks.add(c.layer() + 1);
                }
                List<Integer> todo = new ArrayList<>(ks);
                say(quiet, "spark: noise scales, %d layer tasks", todo.size());
                List<double[]> got = unwrapped(() -> sc.parallelize(todo, todo.size()).map(k -> new double[] {k, Tasks.scale(plan, k)})
                        .collect());
                scales = new TreeMap<>();
                for (double[] kv : got) scales.put((int) kv[0], kv[1]);
            }
            captureSecs = (System.nanoTime() - c0) / 1e9;
            long e0 = System.nanoTime();
            say(quiet, "spark: estimates, %d tasks", pending.size());
            Broadcast<int[]> itemOf = micro == null ? null : sc.broadcast(micro.itemOf());
            int items = micro == null ? 0 : micro.items();
            Map<Integer, Double> sc2 = scales;
            unwrapped(() -> sc.parallelize(pending, pending.size())
                    .foreach(c -> Tasks.estimate(plan, c, items, itemOf == null ? null : itemOf.value(), sc2)));
            if (itemOf != null) itemOf.destroy();
            estimateSecs = (System.nanoTime() - e0) / 1e9;
        }
        Map<String, JsonNode> est = new LinkedHashMap<>();
        for (String f : store.list("est")) est.put(f, JSON.readTree(store.readString(SparkPlan.estName(f))));
        // a relative measurement's untrained twins run on the driver (ordinary resumable runs under RUN_DIR/null)
        RunOutcome o = RunAssembly.assemble(p, model.config(), est, captureSecs, estimateSecs);
        if (!keepActivations && o.summary().path("status").asText().equals("complete")) {
            store.deleteDir("acts");
            store.deleteDir("micro");
        }
        return o;
    }

    /**
     * A partition whose done marker stands but one of whose activation files is missing or not of the
     * size its shape implies (a store copied in part, a file damaged later) is captured again, with a note.
     */
    private static void recoverDamagedPartitions(SharedStore store, SparkPlan plan, boolean quiet) {
        for (int j = 0; j < plan.partitions(); j++) {
            if (!store.exists(SparkPlan.doneName(j))) continue;
            long[] shape = plan.partShape(j);
            long expected = org.emergence.data.Npy.headerBytes(org.emergence.data.DType.F4, shape).length + 4L * shape[0] * shape[1] * shape[2];
            for (int k = 0; k <= plan.captureTo(); k++) {
                long len = store.length(SparkPlan.actsName(k, j));
                if (len != expected) {
                    System.err.println("emergence-spark: note: " + store.location() + "/" + SparkPlan.actsName(k, j) + (len < 0 ? " is missing"
                            : " has " + len + " bytes, expected " + expected) + ": partition " + j + " is captured again");
                    store.delete(SparkPlan.doneName(j));
                    break;
                }
            }
        }
    }

    private interface Stage<T> {
        T run();
    }

    private interface VoidStage {
        void run();
    }

    private static void unwrapped(VoidStage s) {
        unwrapped(() -> {
            s.run();
            return null;
        });
    }

    /**
     * Runs a Spark stage; a task that failed on bad input (a {@link UserError} on an executor, which
     * Spark reports wrapped in its own exception) fails the job with that one line, as a local run would.
     */
    private static <T> T unwrapped(Stage<T> s) {
        try {
            return s.run();
        } catch (Exception e) {
            // SparkException is a checked exception that Scala code throws undeclared: catch every exception
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof UserError u) throw u;
            }
            // a cause Spark could not ship whole still names its class and message in the text
            String m = String.valueOf(e.getMessage());
            int at = m.indexOf(UserError.class.getName() + ": ");
            if (at >= 0) {
                String line = m.substring(at + UserError.class.getName().length() + 2);
                throw new UserError(line.lines().findFirst().orElse(line), e);
            }
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e);
        }
    }

    /** Binds the store to this run's settings (first use) or checks they are the same (a resumed job). */
    private static void claim(SharedStore store, RunSettings s) throws IOException {
        String name = "settings.json";
        if (store.exists(name)) {
            JsonNode stored = JSON.readTree(store.readString(name));
            String diff = s.firstDifference(stored);
            if (diff != null) throw new UserError("--store " + store.location() + " holds a run with different settings: " + diff
                    + "; use another --store");
        } else {
            store.writeString(name, s.toJson().toPrettyString() + "\n");
        }
    }

    private static void say(boolean quiet, String fmt, Object... args) {
        if (!quiet) System.err.println(String.format(java.util.Locale.ROOT, fmt, args));
    }
}
