package org.emergence.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import org.emergence.common.AtomicFiles;
import org.emergence.common.UserError;
import org.emergence.data.DType;
import org.emergence.data.NpyWriter;
import org.emergence.tensor.Blas;

/**
 * Captures block inputs and outputs (and optionally logits) of many sequences, batch by batch, into
 * .npy files: {@code block_inputs.npy} and {@code block_outputs.npy} [L, B, T, H] with L the chosen
 * layers in ascending order, {@code logits.npy} [B, T, V], and {@code capture.json} describing them.
 * Files are written under temporary names and renamed into place only when complete.
 */
public final class NpyCapture {
    private NpyCapture() {}

    /** What was captured, for the caller's summary line. */
    public record Result(long tokens, double seconds, Path dir) {
        public double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : 0;
        }
    }

    public static Result run(Transformer model, String modelName, TokenBatch all, int[] layers, int[] positions,
                             boolean logits, int batchSize, Path out, LongConsumer progress) throws IOException {
        ModelConfig c = model.config();
        int bTotal = all.batch(), t = all.length(), h = c.hidden();
        int tSel = positions == null ? t : positions.length;
        int nl = layers.length;
        model.validate(all, null);
        Files.createDirectories(out);
        String[] hooks = new String[2 * nl + (logits ? 1 : 0)];
        int[] layerIndex = new int[c.layers()];
        java.util.Arrays.fill(layerIndex, -1);
        for (int i = 0; i < nl; i++) {
            layerIndex[layers[i]] = i;
            hooks[2 * i] = Hooks.residPre(layers[i]);
            hooks[2 * i + 1] = Hooks.residPost(layers[i]);
        }
        if (logits) hooks[hooks.length - 1] = Hooks.LOGITS;
        CaptureRequest req = CaptureRequest.of(hooks);
        if (positions != null) req = req.atPositions(positions);
        long[] actShape = {nl, bTotal, tSel, h};
        long t0 = System.nanoTime();
        try (NpyWriter in = NpyWriter.create(out.resolve("block_inputs.npy"), DType.F4, actShape);
             NpyWriter outW = NpyWriter.create(out.resolve("block_outputs.npy"), DType.F4, actShape);
             NpyWriter lg = logits ? NpyWriter.create(out.resolve("logits.npy"), DType.F4, new long[] {bTotal, tSel, c.vocab()}) : null) {
            java.util.List<TokenBatch> batches = new java.util.ArrayList<>();
            java.util.Map<TokenBatch, Integer> starts = new java.util.IdentityHashMap<>();
            for (int s = 0; s < bTotal; s += batchSize) {
                TokenBatch tb = all.slice(s, Math.min(bTotal, s + batchSize));
                batches.add(tb);
                starts.put(tb, s);
            }
            java.util.Set<TokenBatch> finished = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            String lastHook = hooks[hooks.length - 1];
            model.runBatches(batches, req, (hook, batch, rows, npos, width) -> {
                try {
                    int start = starts.get(batch);
                    FloatBuffer data = rows.duplicate().position(0).limit(batch.batch() * npos * width);
                    if (hook.equals(Hooks.LOGITS)) {
                        lg.writeAt((long) start * npos * width, data);
                    } else {
                        Hooks.BlockHook bh = Hooks.parse(hook);
                        // NaN/∞ here come from the stage that produced this state: blamed on its tensors, one line
                        Finite.require(model, data, batch.batch() * npos, bh.post() ? bh.layer() : bh.layer() - 1, batch,
                                "capture " + hook + ", batch from sequence " + start);
                        int li = layerIndex[bh.layer()];
                        long off = (((long) li * bTotal) + start) * npos * width;
                        (bh.post() ? outW : in).writeAt(off, data);
                    }
                    // a batch is done when its last requested hook arrives
                    if (hook.equals(lastHook) && finished.add(batch) && progress != null) progress.accept(batch.batch());
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
            in.commit();
            outW.commit();
            if (lg != null) lg.commit();
        } catch (UncheckedIOException ex) {
            throw new UserError(out + ": cannot write capture (" + ex.getCause().getMessage() + ")", ex);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long tokens = (long) bTotal * t;
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode j = om.createObjectNode();
        j.put("model", modelName);
        j.put("model_type", c.modelType());
        ArrayNode ls = j.putArray("layers");
        for (int l : layers) ls.add(l);
        ArrayNode hi = j.putArray("hooks_block_inputs"), ho = j.putArray("hooks_block_outputs");
        for (int l : layers) {
            hi.add(Hooks.residPre(l));
            ho.add(Hooks.residPost(l));
        }
        ObjectNode shapes = j.putObject("shapes");
        ArrayNode s1 = shapes.putArray("block_inputs.npy");
        for (long d : actShape) s1.add(d);
        ArrayNode s2 = shapes.putArray("block_outputs.npy");
        for (long d : actShape) s2.add(d);
        if (logits) {
            ArrayNode s3 = shapes.putArray("logits.npy");
            s3.add(bTotal).add(tSel).add(c.vocab());
        }
        j.put("layout", "[L, B, T, H]: selected layers ascending, sequences, positions, hidden");
        if (positions != null) {
            ArrayNode ps = j.putArray("positions");
            for (int p : positions) ps.add(p);
        }
        j.put("dtype", "float32");
        j.put("sequences", bTotal);
        j.put("tokens_per_sequence", t);
        j.put("batch", batchSize);
        j.put("threads", Blas.threads());
        j.put("gemm", Blas.describe());
        j.put("precision", model.precision().name());
        j.put("precision_kernel", model.precision().kernel());
        j.set("gemm_kernels", new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(org.emergence.tensor.SgemmChoice.used()));
        j.put("seconds", secs);
        j.put("tokens_per_second", secs > 0 ? tokens / secs : 0);
        AtomicFiles.writeString(out.resolve("capture.json"), om.writeValueAsString(j) + "\n");
        return new Result(tokens, secs, out);
    }

    /** Writes OUT/attention_mask.npy [B, T] of a padded batch and records it in capture.json (padding rows are meaningless). */
    public static void recordMask(Path out, TokenBatch b) throws IOException {
        org.emergence.data.Npy.writeInts(out.resolve("attention_mask.npy"), new long[] {b.batch(), b.length()}, b.mask());
        Path info = out.resolve("capture.json");
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode j = (ObjectNode) om.readTree(info.toFile());
        j.put("attention_mask", "attention_mask.npy");
        j.put("padding", "lines padded at the end with id 0; rows where attention_mask is 0 are padding");
        AtomicFiles.writeString(info, om.writeValueAsString(j) + "\n");
    }
}
