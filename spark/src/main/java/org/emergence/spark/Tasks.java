package org.emergence.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.emergence.data.DType;
import org.emergence.data.NpyWriter;
import org.emergence.ie.EstimateCells;
import org.emergence.ie.Level;
import org.emergence.ie.MicroStates;
import org.emergence.ie.SpillWriter;
import org.emergence.mi.Matrix;
import org.emergence.model.Ablation;
import org.emergence.model.Finite;
import org.emergence.model.ModelSources;
import org.emergence.model.TokenBatch;
import org.emergence.model.Transformer;
import org.emergence.tensor.Gemm;

/**
 * What executors run: the forward pass over one partition of the sequences, the pooled noise scale of
 * one residual-stream layer, and one (level, layer, position) estimate. Each reads its inputs from
 * and writes its result to the {@link SharedStore}, whole files only, so a task that dies leaves
 * nothing a retry or a resumed job would trust.
 */
final class Tasks {
    private Tasks() {}

    /**
     * Models loaded on this executor, by (model, ablation), free for the next task. A forward pass keeps
     * scratch state in its model, so concurrent tasks each borrow their own; later tasks reuse them.
     */
    private static final Map<String, ConcurrentLinkedQueue<Transformer>> FREE = new ConcurrentHashMap<>();

    private static Transformer borrow(String key, String name, String ablate, String precision) {
        Transformer m = FREE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
        if (m != null) return m;
        // an executor's JVM runs the driver's --precision (a CPU without bf16 units there emulates bf16)
        synchronized (Tasks.class) {
            org.emergence.model.Precision was = org.emergence.model.Precision.current();
            if (!was.name().equals(precision)) org.emergence.model.Precision.setCurrent(org.emergence.model.Precision.resolve(precision));
            try {
                return Ablation.parse(ablate).apply(ModelSources.load(name), name);
            } finally {
                org.emergence.model.Precision.setCurrent(was);
            }
        }
    }

    /** One partition to capture: its index and its sequences' token ids [rows, T]. */
    record Capture(int part, int[] ids) implements java.io.Serializable {}

    /** One estimate to compute. */
    record Cell(Level level, int layer, int position) implements java.io.Serializable {
        String file() {
            return EstimateCells.fileName(level, layer, position);
        }
    }

    /**
     * Embeds partition j and runs blocks 0 … captureTo − 1 over it, batch by batch, writing h^k as
     * [T, rows, H] (position-major, so each position's rows are contiguous) for k = 0 … captureTo; then
     * publishes the files and finally the partition's done marker.
     */
    static void capture(SparkPlan p, Capture c) {
        if (p.store().exists(SparkPlan.doneName(c.part()))) return; // a retried or resumed task
        String key = p.model() + "\u0000" + p.ablate() + "\u0000" + p.settings().precision();
        Transformer m = borrow(key, p.model(), p.ablate(), p.settings().precision());
        int rows = p.rows(c.part()), t = p.t(), h = p.h(), base = p.starts()[c.part()];
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("emergence-spark-");
            NpyWriter[] w = new NpyWriter[p.captureTo() + 1];
            for (int k = 0; k <= p.captureTo(); k++) w[k] = NpyWriter.create(tmp.resolve("h" + k + ".npy"), DType.F4, p.partShape(c.part()));
            int batch = p.batch();
            FloatBuffer buf = Gemm.allocate((long) Math.min(batch, rows) * t * h);
            FloatBuffer col = Gemm.allocate((long) Math.min(batch, rows) * h);
            for (int s0 = 0; s0 < rows; s0 += batch) {
                int s1 = Math.min(rows, s0 + batch);
                TokenBatch tb = TokenBatch.of(s1 - s0, t, Arrays.copyOfRange(c.ids(), s0 * t, s1 * t));
                String where = "sequences " + (base + s0) + "-" + (base + s1 - 1);
                FloatBuffer x = m.embed(tb, buf);
                Finite.require(m, x, tb.rows(), -1, tb, where);
                SpillWriter.writePositionMajor(w[0], x, col, rows, s0, s1, t, h);
                for (int k = 0; k < p.captureTo(); k++) {
                    m.block(k, tb, x);
                    Finite.require(m, x, tb.rows(), k, tb, where);
                    SpillWriter.writePositionMajor(w[k + 1], x, col, rows, s0, s1, t, h);
                }
            }
            for (int k = 0; k <= p.captureTo(); k++) {
                w[k].commit();
                w[k].close();
                p.store().publish(tmp.resolve("h" + k + ".npy"), SparkPlan.actsName(k, c.part()));
            }
            p.store().writeString(SparkPlan.doneName(c.part()), "{\"rows\": " + rows + "}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            FREE.get(key).add(m);
            if (tmp != null) deleteQuietly(tmp);
        }
    }

    /** All N sequences' states of residual layer k at position i, [N, H], from every partition in order. */
    static Matrix macro(SparkPlan p, int k, int i) {
        float[] all = new float[Math.multiplyExact(p.n(), p.h())];
        for (int j = 0; j < p.partitions(); j++) {
            int rows = p.rows(j);
            float[] part = p.store().readFloats(SparkPlan.actsName(k, j), p.partShape(j), (long) i * rows * p.h(), rows * p.h());
            System.arraycopy(part, 0, all, p.starts()[j] * p.h(), part.length);
        }
        return new Matrix(all, p.n(), p.h());
    }

    /** The pooled RMS of residual layer k (the noise scale of the layer-pooled measurement), as a local run computes it. */
    static double scale(SparkPlan p, int k) {
        String name = SparkPlan.scaleName(k);
        if (p.store().exists(name)) return Double.parseDouble(p.store().readString(name).trim());
        double v = EstimateCells.pooledRms(i -> macro(p, k, i), p.t(), "the residual stream entering block " + k);
        p.store().writeString(name, Double.toString(v) + "\n"); // Double.toString round-trips exactly
        return v;
    }

    /**
     * One estimate, persisted to the store's est/ before it is returned (a resumed job skips it).
     *
     * @param microItems items of the micro level [M], itemOf [N · T] (each token occurrence's item)
     * @param scales     pooled RMS by residual layer (null when the measurement needs none)
     * @return the est/*.json text
     */
    static String estimate(SparkPlan p, Cell c, int microItems, int[] itemOf, Map<Integer, Double> scales) {
        String name = SparkPlan.estName(c.file());
        if (p.store().exists(name)) return p.store().readString(name);
        int l = c.layer(), i = c.position();
        Matrix[] xy;
        if (c.level() == Level.MACRO) {
            xy = new Matrix[] {macro(p, l, i), macro(p, l + 1, i)};
        } else {
            long[] shape = {microItems, p.h()};
            float[][] ba = {p.store().readFloats(SparkPlan.microName(l), shape), p.store().readFloats(SparkPlan.microName(l + 1), shape)};
            xy = MicroStates.pairs(ba, itemOf, p.n(), p.t(), p.h(), i);
        }
        double[] rms = scales == null ? null : new double[] {scales.get(l), scales.get(l + 1)};
        String json = new EstimateCells(p.settings()).estimate(c.level(), l, i, false, xy[0], xy[1], rms).toJson().toPrettyString() + "\n";
        p.store().writeString(name, json);
        return json;
    }

    private static void deleteQuietly(Path dir) {
        try (var s = Files.walk(dir)) {
            for (Path q : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(q);
        } catch (IOException ignored) {
            // a temporary directory under java.io.tmpdir; the OS cleans it
        }
    }
}
