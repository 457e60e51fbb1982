package org.emergence.ie;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import org.emergence.common.UserError;
import org.emergence.data.DType;
import org.emergence.data.Dataset;
import org.emergence.data.Npy;
import org.emergence.data.NpyWriter;
import org.emergence.model.CaptureRequest;
import org.emergence.model.Finite;
import org.emergence.model.Hooks;
import org.emergence.model.TokenBatch;
import org.emergence.model.Transformer;

/**
 * {@code capture --format acts}: a model's activations written in the one layout {@code run --acts} reads
 * ({@link ActsLayout}, docs/activations.md) — the residual stream entering every needed block, [N, T, H] per
 * layer, and the lone items' states (each distinct token fed alone, as the run's micro level feeds it) — so a
 * capture can be measured, moved, or compared with another tool's. Every file is written under a temporary name
 * and renamed; the manifest is written last.
 */
public final class ActsCapture {
    private ActsCapture() {}

    /** What was written. */
    public record Result(long tokens, double seconds, int items, int[] layers) {
        public double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : 0;
        }
    }

    /**
     * @param layers        blocks to make measurable: their inputs and outputs (l and l + 1) are written
     * @param microOriginal lone tokens keep their position ids (else position len(prefix))
     * @param microPrefix   special tokens a lone token is fed after (empty: alone)
     * @param logits        also write logits.npy [N, T, V] (not read by run --acts)
     */
    public static Result write(Transformer model, String modelName, Dataset data, int[] layers, boolean microOriginal,
                               int[] microPrefix, int[] microSuffix, boolean specialTokens, boolean logits, int batch, Path out,
                               String source, LongConsumer progress) throws IOException {
        if (data.isRandom()) throw new UserError("capture --format acts: random inputs have no activations to capture");
        var c = model.config();
        int n = data.n(), t = data.t(), h = c.hidden();
        TreeSet<Integer> needed = new TreeSet<>();
        for (int l : layers) {
            needed.add(l);
            needed.add(l + 1);
        }
        model.validate(TokenBatch.of(n, t, data.ids()), "--dataset " + data.spec());
        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve("manifest.json")); // an earlier layout here is no longer complete
        long t0 = System.nanoTime();
        Npy.writeInts(out.resolve("tokens.npy"), new long[] {n, t}, data.ids());
        List<String> hooks = new ArrayList<>();
        Map<String, Integer> layerOf = new java.util.HashMap<>();
        for (int k : needed) {
            // the stream entering block k is block k - 1's output (the forward stops after the last block a request needs)
            String hook = k == 0 ? Hooks.residPre(0) : Hooks.residPost(k - 1);
            hooks.add(hook);
            layerOf.put(hook, k);
        }
        if (logits && model.hasLogits()) hooks.add(Hooks.LOGITS);
        else if (logits) throw new UserError("--logits: " + modelName + " (" + c.modelType() + ") has no language-model head");
        Map<Integer, NpyWriter> writers = new java.util.HashMap<>();
        NpyWriter lg = null;
        try {
            for (int k : needed) writers.put(k, NpyWriter.create(ActsLayout.hidden(out, k), DType.F4, new long[] {n, t, h}));
            if (logits) lg = NpyWriter.create(out.resolve("logits.npy"), DType.F4, new long[] {n, t, c.vocab()});
            List<TokenBatch> batches = new ArrayList<>();
            Map<TokenBatch, Integer> starts = new IdentityHashMap<>();
            for (int s = 0; s < n; s += batch) {
                int e = Math.min(n, s + batch);
                TokenBatch tb = TokenBatch.of(e - s, t, java.util.Arrays.copyOfRange(data.ids(), s * t, e * t));
                batches.add(tb);
                starts.put(tb, s);
            }
            String lastHook = hooks.get(hooks.size() - 1);
            NpyWriter logitsOut = lg;
            model.runBatches(batches, CaptureRequest.of(hooks), (hook, b, rows, npos, width) -> {
                try {
                    int start = starts.get(b);
                    FloatBuffer d = rows.duplicate().position(0).limit(b.batch() * npos * width);
                    if (hook.equals(Hooks.LOGITS)) {
                        logitsOut.writeAt((long) start * npos * width, d);
                    } else {
                        Hooks.BlockHook bh = Hooks.parse(hook);
                        Finite.require(model, d, b.batch() * npos, bh.post() ? bh.layer() : bh.layer() - 1, b,
                                "capture " + hook + ", batch from sequence " + start);
                        writers.get(layerOf.get(hook)).writeAt((long) start * npos * width, d);
                    }
                    if (hook.equals(lastHook) && progress != null) progress.accept(b.batch());
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
            for (NpyWriter w : writers.values()) w.commit();
            if (lg != null) lg.commit();
        } catch (UncheckedIOException ex) {
            throw new UserError(out + ": cannot write the capture (" + ex.getCause().getMessage() + ")", ex);
        } finally {
            for (NpyWriter w : writers.values()) w.close();
            if (lg != null) lg.close();
        }
        // the lone items, fed as the run's micro level feeds them, advanced block by block
        MicroStates micro = new MicroStates(model, data, microOriginal, microPrefix, microSuffix, batch);
        Npy.writeLongs(out.resolve("micro_items.npy"), new long[] {micro.items(), 2}, micro.itemTable());
        java.util.Set<Integer> written = new java.util.HashSet<>();
        for (int l : new TreeSet<>(java.util.Arrays.stream(layers).boxed().toList())) {
            float[][] ba = micro.beforeAfter(l); // ascending: the lone items' residual moves on block by block
            for (int k = l; k <= l + 1; k++) {
                if (written.add(k)) Npy.writeFloats(ActsLayout.microHidden(out, k), new long[] {micro.items(), h}, ba[k - l]);
            }
        }
        ActsManifestJson.write(out, ActsManifest.of(modelName, c, needed, microOriginal ? "original" : "zero",
                microPrefix.length + microSuffix.length > 0, data.spec(), specialTokens, source));
        return new Result((long) n * t, (System.nanoTime() - t0) / 1e9, micro.items(), needed.stream().mapToInt(Integer::intValue).toArray());
    }
}
