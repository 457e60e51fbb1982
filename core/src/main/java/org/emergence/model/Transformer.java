package org.emergence.model;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.emergence.common.UserError;
import org.emergence.model.BoundWeights.BlockP;
import org.emergence.model.BoundWeights.LinearP;
import org.emergence.model.BoundWeights.NormP;
import org.emergence.model.family.Families;
import org.emergence.model.io.Checkpoint;
import org.emergence.model.io.StorageType;
import org.emergence.model.io.Weight;
import org.emergence.tensor.Gemm;
import org.emergence.tensor.Kernels;
import org.emergence.tensor.Parallel;

/**
 * The shared forward pass of every supported architecture, fp32 (or bf16 linear layers: {@link Precision}), over a batch of B sequences of
 * T tokens held as row-major activation matrices [B·T, width]. Each linear layer is one GEMM over
 * all B·T rows; norms, activations, rotary embedding and attention are plain loops over rows
 * (see {@link Kernels}). The per-family differences are data in {@link ModelConfig}: which norm,
 * how a block wires norms and residuals, which positional encoding, which activation.
 *
 * <p>The checkpoint's tensors are bound to their roles once ({@link BoundWeights}) and stay
 * memory-mapped; {@link Fp32Weights} widens F16/BF16 matrices once for the whole model (when that fits
 * {@code emergence.widenAllBytes}, default 1 GB) or per block — so peak memory is the mapping plus one
 * block of fp32 weights plus activations.
 *
 * <p>Not thread-safe: one forward at a time (the kernels themselves are parallel).
 */
public final class Transformer {
    /** Widen all non-F32 weights once when their fp32 size is at most this many bytes (tests lower it). */
    static long widenAllBudget = Long.getLong("emergence.widenAllBytes", 1L << 30);

    private final Checkpoint checkpoint;
    private final Family family;
    private final ModelConfig cfg;

    private final Weight tokens;
    private final Weight positions;
    private final Weight tokenTypes;
    private final NormP embNorm;
    private final BlockP[] blocks;
    private final NormP finalNorm;
    private final LinearP head;
    private final LinearP pooler;
    private final LinearP embedProj, headProj; // OPT's project_in / project_out, else null
    private final Rope.Tables ropeTables;

    private final Precision precision;
    private final Fp32Weights fp32;
    private final FeedForward ffn;
    private Workspace ws;
    private FloatBuffer resid, selected, finalBuf, logitsBuf, narrow;

    private Transformer(Checkpoint ck, Family family, ModelConfig cfg) {
        this.checkpoint = ck;
        this.family = family;
        this.cfg = cfg;
        BoundWeights bw = BoundWeights.bind(ck, family, cfg, family.layout(cfg));
        this.tokens = bw.tokens();
        this.positions = bw.positions();
        this.tokenTypes = bw.tokenTypes();
        this.embNorm = bw.embNorm();
        this.blocks = bw.blocks();
        this.finalNorm = bw.finalNorm();
        this.head = bw.head();
        this.pooler = bw.pooler();
        this.embedProj = bw.embedProj();
        this.headProj = bw.headProj();
        this.precision = Precision.current();
        this.fp32 = new Fp32Weights(blocks, widenAllBudget, precision);
        this.ffn = new FeedForward(cfg, fp32);
        this.ropeTables = cfg.rope() == null ? null : cfg.rope().tables(Math.min(cfg.maxPositions(), Rope.MAX_TABLE_POSITIONS));
    }

    /** Loads a Hugging Face model directory (config.json + safetensors). */
    public static Transformer load(Path dir) {
        // the configuration is checked before any weight file is opened, so config errors come first
        com.fasterxml.jackson.databind.JsonNode config = Checkpoint.readConfig(dir);
        Family f = Families.forConfig(config, dir);
        ModelConfig cfg = f.parse(new ConfigReader(config, dir));
        return new Transformer(Checkpoint.open(dir), f, cfg);
    }

    /** Builds a model over already-open weights (e.g. an ONNX file mapped to BERT names). */
    public static Transformer of(Checkpoint ck, Family f, ModelConfig cfg) {
        return new Transformer(ck, f, cfg);
    }

    public ModelConfig config() {
        return cfg;
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    public Family family() {
        return family;
    }

    /** The arithmetic of the linear layers (fp32 or bf16), fixed when the model was built. */
    public Precision precision() {
        return precision;
    }

    public Path dir() {
        return checkpoint.dir();
    }

    /** False for encoders without a language-model head (BERT): the logits hook is refused. */
    public boolean hasLogits() {
        return head != null;
    }

    /** True when the checkpoint has a BERT pooler (the {@code pooler} hook). */
    public boolean hasPooler() {
        return pooler != null;
    }

    // ------------------------------------------------------------------ validation

    /** Checks ids, positions and token types against this model; one-line errors. */
    public void validate(TokenBatch b, String source) {
        BatchChecks.validate(cfg, b, source);
    }

    // ------------------------------------------------------------------ forward

    /**
     * Runs the forward pass and hands each requested activation to the sink. Only the blocks the
     * request needs are computed.
     */
    public synchronized void run(TokenBatch b, CaptureRequest req, CaptureSink sink) {
        check(b, req);
        int needed = req.blocksNeeded(cfg.layers());
        // one residual buffer serves every batch: sinks may only read it during their call
        long size = (long) b.rows() * cfg.hidden();
        if (resid == null || resid.capacity() < size) resid = Gemm.allocate(size);
        FloatBuffer h = embed(b, resid);
        for (int l = 0; l < needed; l++) {
            emit(req, Hooks.residPre(l), b, h, cfg.hidden(), sink);
            block(l, b, h);
            emit(req, Hooks.residPost(l), b, h, cfg.hidden(), sink);
        }
        boolean wantFinal = req.wants(Hooks.FINAL_NORM), wantLogits = req.wants(Hooks.LOGITS);
        if (wantFinal || wantLogits) {
            if (finalBuf == null || finalBuf.capacity() < size) finalBuf = Gemm.allocate(size);
            FloatBuffer f = finalHidden(b, h, finalBuf);
            emit(req, Hooks.FINAL_NORM, b, f, cfg.hidden(), sink);
            if (wantLogits) {
                long lsize = (long) b.rows() * cfg.vocab();
                if (logitsBuf == null || logitsBuf.capacity() < lsize) logitsBuf = Gemm.allocate(lsize);
                emit(req, Hooks.LOGITS, b, logits(f, b.rows(), logitsBuf), cfg.vocab(), sink);
            }
        }
        if (req.wants(Hooks.POOLER)) {
            sink.accept(Hooks.POOLER, b, pool(b, h), 1, cfg.hidden());
        }
    }

    /** Validates a batch and a request against this model (one-line errors). */
    private void check(TokenBatch b, CaptureRequest req) {
        validate(b, null);
        for (String hook : req.hooks()) {
            Hooks.BlockHook bh = Hooks.parse(hook);
            if (bh != null && bh.layer() >= cfg.layers()) {
                throw new UserError("hook " + hook + ": the model has " + cfg.layers() + " blocks (0.." + (cfg.layers() - 1) + ")");
            }
            if (hook.equals(Hooks.POOLER) && pooler == null) throw new UserError("hook pooler: this model has no pooler");
            if (hook.equals(Hooks.LOGITS) && head == null) {
                throw new UserError("hook logits: this model (" + cfg.modelType() + ") has no language-model head");
            }
        }
        int[] pos = req.positions();
        if (pos != null && pos.length > 0 && pos[pos.length - 1] >= b.length()) {
            throw new UserError("capture position " + pos[pos.length - 1] + " is beyond the sequence length " + b.length());
        }
    }

    /** Keep every batch's residual in memory (layer-major order) when it totals at most this many bytes. */
    static long layerMajorBudget = Long.getLong("emergence.layerMajorBytes", 1L << 30);

    /**
     * Runs several batches. When weights are widened block by block (large F16/BF16 checkpoints), the
     * batches go layer-major — every batch through block l before block l + 1 — so each block's weights
     * are widened once rather than once per batch; the residual streams of all batches are then held
     * in memory (bounded by {@code emergence.layerMajorBytes}, default 1 GB). Otherwise batch by batch.
     * The sink sees the same (hook, batch) pairs either way, in a different order.
     */
    public synchronized void runBatches(java.util.List<TokenBatch> batches, CaptureRequest req, CaptureSink sink) {
        long bytes = 0;
        for (TokenBatch b : batches) bytes += (long) b.rows() * cfg.hidden() * 4;
        if (!fp32.perBlock() || batches.size() < 2 || bytes > layerMajorBudget || req.wants(Hooks.POOLER)) {
            for (TokenBatch b : batches) run(b, req, sink);
            return;
        }
        for (TokenBatch b : batches) check(b, req);
        int needed = req.blocksNeeded(cfg.layers());
        FloatBuffer[] hs = new FloatBuffer[batches.size()];
        for (int i = 0; i < hs.length; i++) hs[i] = embed(batches.get(i));
        for (int l = 0; l < needed; l++) {
            for (int i = 0; i < hs.length; i++) {
                emit(req, Hooks.residPre(l), batches.get(i), hs[i], cfg.hidden(), sink);
                block(l, batches.get(i), hs[i]);
                emit(req, Hooks.residPost(l), batches.get(i), hs[i], cfg.hidden(), sink);
            }
        }
        boolean wantFinal = req.wants(Hooks.FINAL_NORM), wantLogits = req.wants(Hooks.LOGITS);
        for (int i = 0; i < hs.length && (wantFinal || wantLogits); i++) {
            FloatBuffer f = finalHidden(batches.get(i), hs[i]);
            emit(req, Hooks.FINAL_NORM, batches.get(i), f, cfg.hidden(), sink);
            if (wantLogits) emit(req, Hooks.LOGITS, batches.get(i), logits(f, batches.get(i).rows()), cfg.vocab(), sink);
        }
    }

    private void emit(CaptureRequest req, String hook, TokenBatch b, FloatBuffer x, int width, CaptureSink sink) {
        if (!req.wants(hook)) return;
        int[] pos = req.positions();
        if (pos == null) {
            sink.accept(hook, b, x, b.length(), width);
            return;
        }
        long size = (long) b.batch() * pos.length * width;
        if (selected == null || selected.capacity() < size) selected = Gemm.allocate(size);
        FloatBuffer sel = selected;
        for (int s = 0; s < b.batch(); s++) {
            for (int i = 0; i < pos.length; i++) {
                sel.put((s * pos.length + i) * width, x, (s * b.length() + pos[i]) * width, width);
            }
        }
        sink.accept(hook, b, sel, pos.length, width);
    }

    /** Block-0 input [B·T, H]: token embedding (× scale) + learned positions + token types, then the embedding norm. */
    public FloatBuffer embed(TokenBatch b) {
        return embed(b, Gemm.allocate((long) b.rows() * cfg.hidden()));
    }

    /** Same, into {@code h} (at least B·T·H floats, from index 0); returns h. */
    public FloatBuffer embed(TokenBatch b, FloatBuffer h) {
        int m = b.rows(), hd = cfg.hidden();
        int[] ids = b.ids(), pos = b.positions(), types = b.tokenTypes();
        if (embedProj == null) {
            Parallel.range(m, 64, (r0, r1) -> {
                for (int r = r0; r < r1; r++) tokens.readF32((long) ids[r] * hd, hd, h, r * hd);
            });
        } else {
            // OPT-350m: embeddings of width E, projected up to the stream (project_in) before positions are added
            int e = embedProj.in();
            FloatBuffer x = narrow(m * e);
            Parallel.range(m, 64, (r0, r1) -> {
                for (int r = r0; r < r1; r++) tokens.readF32((long) ids[r] * e, e, x, r * e);
            });
            fp32.kept(embedProj.w());
            fp32.linear(embedProj, x, m, h, 0f);
        }
        boolean learned = positions != null, typed = tokenTypes != null;
        if (cfg.embedScale() != 1f || learned || typed) {
            FloatBuffer pe = learned ? fp32.kept(positions) : null;
            FloatBuffer te = typed ? fp32.kept(tokenTypes) : null;
            float scale = cfg.embedScale();
            int offset = cfg.positionOffset();
            Kernels.mapRows(h, 0, m, hd, hd, 0, (r, x, n) -> {
                if (scale != 1f) for (int j = 0; j < n; j++) x[j] *= scale;
                if (pe != null) {
                    int base = (pos[r] + offset) * n;
                    for (int j = 0; j < n; j++) x[j] += pe.get(base + j);
                }
                if (te != null) {
                    int base = (types == null ? 0 : types[r]) * n;
                    for (int j = 0; j < n; j++) x[j] += te.get(base + j);
                }
            });
        }
        if (embNorm != null) Norms.rows(cfg, embNorm, h, h, m);
        return h;
    }

    /** A scratch buffer of at least n floats for the narrow (embedding-width) activations. */
    private FloatBuffer narrow(long n) {
        if (narrow == null || narrow.capacity() < n) narrow = Gemm.allocate(n);
        return narrow;
    }

    /** Runs block l in place on the residual stream h [B·T, H]. */
    public void block(int l, TokenBatch b, FloatBuffer h) {
        BlockP p = blocks[l];
        int m = b.rows();
        Workspace w = workspace(m);
        fp32.prepare(l);
        switch (cfg.wiring()) {
            case PRE_NORM -> {
                Norms.rows(cfg, p.n1(), h, w.x, m);
                attention(l, p, w.x, b, w);
                fp32.linear(p.out(), w.att, m, h, 1f);
                Norms.rows(cfg, p.n2(), h, w.x, m);
                ffn.apply(p, w.x, m, h, 1f, w);
            }
            case PARALLEL_TWO_NORMS -> {
                Norms.rows(cfg, p.n1(), h, w.x, m);
                attention(l, p, w.x, b, w);
                Norms.rows(cfg, p.n2(), h, w.x, m); // both norms read the block input
                fp32.linear(p.out(), w.att, m, h, 1f);
                ffn.apply(p, w.x, m, h, 1f, w);
            }
            case PARALLEL_ONE_NORM -> {
                Norms.rows(cfg, p.n1(), h, w.x, m);
                attention(l, p, w.x, b, w);
                fp32.linear(p.out(), w.att, m, h, 1f);
                ffn.apply(p, w.x, m, h, 1f, w);
            }
            case SANDWICH -> {
                Norms.rows(cfg, p.n1(), h, w.x, m);
                attention(l, p, w.x, b, w);
                fp32.linear(p.out(), w.att, m, w.tmp, 0f);
                Norms.addRows(cfg, p.n1Post(), w.tmp, h, m);
                Norms.rows(cfg, p.n2(), h, w.x, m);
                ffn.apply(p, w.x, m, w.tmp, 0f, w);
                Norms.addRows(cfg, p.n2Post(), w.tmp, h, m);
            }
            case POST_NORM -> {
                attention(l, p, h, b, w);
                Kernels.copyRows(h, 0, cfg.hidden(), w.tmp, 0, cfg.hidden(), m, cfg.hidden());
                fp32.linear(p.out(), w.att, m, w.tmp, 1f);
                Norms.rows(cfg, p.n1(), w.tmp, h, m);
                Kernels.copyRows(h, 0, cfg.hidden(), w.tmp, 0, cfg.hidden(), m, cfg.hidden());
                ffn.apply(p, h, m, w.tmp, 1f, w);
                Norms.rows(cfg, p.n2(), w.tmp, h, m);
            }
        }
    }

    /** Final norm (if the architecture has one) into a new buffer [B·T, H]. */
    public FloatBuffer finalHidden(TokenBatch b, FloatBuffer h) {
        return finalHidden(b, h, Gemm.allocate((long) b.rows() * cfg.hidden()));
    }

    private FloatBuffer finalHidden(TokenBatch b, FloatBuffer h, FloatBuffer f) {
        int m = b.rows();
        if (finalNorm != null) Norms.rows(cfg, finalNorm, h, f, m);
        else Kernels.copyRows(h, 0, cfg.hidden(), f, 0, cfg.hidden(), m, cfg.hidden());
        return f;
    }

    /** Logits [rows, V] from final hidden states; vocabulary chunks keep any widened head slice ≤ 256 MB. */
    public FloatBuffer logits(FloatBuffer f, int rows) {
        return logits(f, rows, Gemm.allocate((long) rows * cfg.vocab()));
    }

    private FloatBuffer logits(FloatBuffer f, int rows, FloatBuffer out) {
        int v = cfg.vocab(), hd = head.in();
        if (headProj != null) {
            // OPT-350m: the final hidden state is projected down to the embedding width (project_out) first
            FloatBuffer x = Gemm.allocate((long) rows * hd);
            fp32.kept(headProj.w());
            fp32.linear(headProj, f, rows, x, 0f);
            f = x;
        }
        Weight w = head.w();
        if (w.type() == StorageType.F32 && w.byteSize() <= Integer.MAX_VALUE) {
            FloatBuffer wf = fp32.kept(w);
            Gemm.sgemm(false, !head.inOut(), rows, v, hd, 1f, f, 0, hd, wf, 0, head.inOut() ? v : hd, 0f, out, 0, v);
        } else if (head.inOut()) {
            FloatBuffer wf = fp32.kept(w);
            Gemm.sgemm(false, false, rows, v, hd, 1f, f, 0, hd, wf, 0, v, 0f, out, 0, v);
        } else {
            int chunk = Math.max(1, (int) Math.min(v, (64L << 20) / hd));
            FloatBuffer scratch = Gemm.allocate((long) chunk * hd);
            for (int v0 = 0; v0 < v; v0 += chunk) {
                int n = Math.min(chunk, v - v0);
                w.readF32((long) v0 * hd, (long) n * hd, scratch, 0);
                Gemm.sgemm(false, true, rows, n, hd, 1f, f, 0, hd, scratch, 0, hd, 0f, out, v0, v);
            }
        }
        Kernels.addBias(out, 0, rows, v, v, 0, head.bias());
        float cap = cfg.finalSoftcap();
        if (cap > 0) {
            Kernels.mapRows(out, 0, rows, v, v, 0, (r, x, n) -> {
                for (int j = 0; j < n; j++) x[j] = cap * FastMath.tanh(x[j] / cap);
            });
        }
        return out;
    }

    /** BERT pooler: tanh(W·h[first token] + b) per sequence, [B, H]. */
    private FloatBuffer pool(TokenBatch b, FloatBuffer h) {
        int hd = cfg.hidden();
        FloatBuffer first = Gemm.allocate((long) b.batch() * hd);
        for (int s = 0; s < b.batch(); s++) first.put(s * hd, h, s * b.length() * hd, hd);
        FloatBuffer out = Gemm.allocate((long) b.batch() * hd);
        fp32.linear(pooler, first, b.batch(), out, 0f);
        Kernels.mapRows(out, 0, b.batch(), hd, hd, 0, (r, x, n) -> {
            for (int j = 0; j < n; j++) x[j] = FastMath.tanh(x[j]);
        });
        return out;
    }

    // ------------------------------------------------------------------ parts

    /** Self-attention of x [m, H] into w.att [m, nH·D] (before the output projection). */
    private void attention(int l, BlockP p, FloatBuffer x, TokenBatch b, Workspace w) {
        int m = b.rows(), q = cfg.qkvWidth();
        int col = 0;
        for (LinearP lp : p.qkv()) {
            fp32.gemm(lp, x, m, w.qkv, col, q, 0f);
            col += lp.out();
        }
        int nH = cfg.heads(), nKV = cfg.kvHeads();
        Layout.QkvLayout lay = p.qkvLayout();
        float[] bias = p.qkvBias();
        Rope rope = cfg.rope();
        int[] pos = b.positions();
        float clip = cfg.clipQkv();
        if (bias != null || rope != null || clip > 0) {
            Kernels.mapRows(w.qkv, 0, m, q, q, 0, (r, row, n) -> {
                if (bias != null) for (int j = 0; j < n; j++) row[j] += bias[j];
                // OLMo clamps q, k and v after the projection, before the rotary embedding
                if (clip > 0) for (int j = 0; j < n; j++) row[j] = Math.max(-clip, Math.min(clip, row[j]));
                if (rope != null) {
                    for (int hh = 0; hh < nH; hh++) rope.apply(row, qOffset(lay, hh), pos[r], ropeTables);
                    for (int g = 0; g < nKV; g++) rope.apply(row, kOffset(lay, g), pos[r], ropeTables);
                }
            });
        }
        Attention.run(cfg, l, b, w.qkv, q, lay, w.att);
    }

    int qOffset(Layout.QkvLayout lay, int head) {
        return lay.q(head, cfg.heads(), cfg.kvHeads(), cfg.headDim());
    }

    int kOffset(Layout.QkvLayout lay, int kvHead) {
        return lay.k(kvHead, cfg.heads(), cfg.kvHeads(), cfg.headDim());
    }

    /** Buffers for at least m rows (reused by smaller batches: every kernel is told its row count). */
    private Workspace workspace(int m) {
        if (ws == null || ws.rows < m) ws = new Workspace(cfg, m);
        return ws;
    }
}
