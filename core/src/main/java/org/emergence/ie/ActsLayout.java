package org.emergence.ie;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.emergence.common.Half;
import org.emergence.common.UserError;
import org.emergence.data.DType;
import org.emergence.data.Npy;
import org.emergence.data.NpyHeader;
import org.emergence.mi.Matrix;
import org.emergence.model.ModelConfig;

/**
 * Activations captured elsewhere (a GPU box with PyTorch, or an earlier run's {@code --save-acts}), in
 * the layout {@code run --acts DIR} reads — docs/activations.md:
 * <pre>
 * manifest.json        {"format": "emergence-acts/1", "model", "model_type", "causal", "hidden", "layers": [0, 1, …],
 *                       "micro_position": "original"|"zero", "micro_specials", "dataset", "source"}
 * tokens.npy           int32|int64 [N, T]   the sequences' token ids
 * h{l}.npy             float32|float16 [N, T, H]  blocks.{l}.hook_resid_pre; h{L} = blocks.{L-1}.hook_resid_post (before any final norm)
 * micro_items.npy      int32|int64 [M, 2]   each lone item: (token id, position id it was fed at)
 * micro_h{l}.npy       float32|float16 [M, H] the lone item's token state entering block l (h{L}: after the last block)
 * </pre>
 * Every listed l needs its h and micro_h file; block l is measurable when l and l + 1 are listed.
 * Files are memory-mapped and widened to float32 as a position's samples are read. The manifest is
 * written last, so a layout without one is incomplete and refused.
 */
public final class ActsLayout {
    public static final String FORMAT = ActsManifest.FORMAT;
    private static final long WINDOW = 1L << 30;

    private final Path dir;
    private final ActsManifest manifest;
    private final int n, t, h, m;
    private final int[] available;
    private final long[] tokens;
    private final long[] items; // [M, 2]

    private ActsLayout(Path dir, ActsManifest manifest, int n, int t, int h, int m, int[] available, long[] tokens, long[] items) {
        this.dir = dir;
        this.manifest = manifest;
        this.n = n;
        this.t = t;
        this.h = h;
        this.m = m;
        this.available = available;
        this.tokens = tokens;
        this.items = items;
    }

    public static Path hidden(Path dir, int l) {
        return dir.resolve("h" + l + ".npy");
    }

    public static Path microHidden(Path dir, int l) {
        return dir.resolve("micro_h" + l + ".npy");
    }

    /** Opens and checks a layout: every file present, with the shapes and dtypes the manifest implies; one line naming the file. */
    public static ActsLayout open(Path dir) {
        if (!Files.isDirectory(dir)) throw new UserError("--acts " + dir + ": no such directory");
        Path mf = dir.resolve(ActsManifestJson.FILE);
        if (!Files.isRegularFile(mf)) {
            throw new UserError(mf + ": missing (an activation layout is complete only once its manifest is written; see "
                    + "docs/activations.md)");
        }
        ActsManifest j = ActsManifestJson.read(mf);
        int h = j.hidden();
        Path tf = dir.resolve("tokens.npy");
        NpyHeader th = Npy.header(tf);
        if (th.rank() != 2 || th.dim(0) < 1 || th.dim(1) < 1) throw new UserError(tf + ": expected token ids [N, T], found " + th.shapeString());
        long[] tokens = Npy.readLongs(tf, th);
        int n = (int) th.dim(0), t = (int) th.dim(1);
        Path itf = dir.resolve("micro_items.npy");
        NpyHeader ih = Npy.header(itf);
        if (ih.rank() != 2 || ih.dim(1) != 2) throw new UserError(itf + ": expected [M, 2] (token id, position id), found " + ih.shapeString());
        long[] items = Npy.readLongs(itf, ih);
        int m = (int) ih.dim(0);
        for (int l : j.layers()) {
            check(hidden(dir, l), new long[] {n, t, h});
            check(microHidden(dir, l), new long[] {m, h});
        }
        return new ActsLayout(dir, j, n, t, h, m, j.layers(), tokens, items);
    }

    private static void check(Path f, long[] shape) {
        NpyHeader hd = Npy.header(f);
        if (hd.dtype() != DType.F4 && hd.dtype() != DType.F2) {
            throw new UserError(f + ": activations must be float32 or float16, found " + hd.dtype().numpyName);
        }
        if (!java.util.Arrays.equals(hd.shape(), shape)) {
            throw new UserError(f + ": expected shape " + java.util.Arrays.toString(shape) + ", found " + hd.shapeString());
        }
    }

    public Path dir() {
        return dir;
    }

    public ActsManifest manifest() {
        return manifest;
    }

    public int n() {
        return n;
    }

    public int t() {
        return t;
    }

    public int hidden() {
        return h;
    }

    /** Token ids [N · T] as int (checked non-negative and below 2^31). */
    public int[] ids() {
        int[] out = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] > Integer.MAX_VALUE) {
                throw new UserError(dir.resolve("tokens.npy") + ": row " + (i / t) + " holds the token id " + tokens[i]);
            }
            out[i] = (int) tokens[i];
        }
        return out;
    }

    /** The blocks whose input and output are both in the layout. */
    public int[] measurableBlocks() {
        List<Integer> out = new ArrayList<>();
        java.util.Set<Integer> have = new java.util.HashSet<>();
        for (int l : available) have.add(l);
        for (int l : available) if (have.contains(l + 1)) out.add(l);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The model's shape as far as a run needs it: blocks, width, causal or not; the rest is unknown and unused. */
    public ModelConfig config() {
        int blocks = available[available.length - 1];
        return ModelConfig.builder(manifest.modelType())
                .sizes(Math.max(1, blocks), h, 1, 1, h, h, Integer.MAX_VALUE, t).causal(manifest.causal()).build();
    }

    public String microPosition() {
        return manifest.microPosition();
    }

    /** All N samples of position i entering block l, [N, H], widened to float32. */
    public Matrix macro(int l, int i) {
        Path f = hidden(dir, l);
        NpyHeader hd = Npy.header(f);
        float[] out = new float[n * h];
        int size = hd.dtype().size;
        long rowBytes = (long) h * size, seqBytes = (long) t * rowBytes;
        int perWindow = (int) Math.max(1, Math.min(n, WINDOW / seqBytes));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            for (int s0 = 0; s0 < n; s0 += perWindow) {
                int s1 = Math.min(n, s0 + perWindow);
                MappedByteBuffer mb = ch.map(FileChannel.MapMode.READ_ONLY, hd.dataOffset() + s0 * seqBytes, (s1 - s0) * seqBytes);
                ByteBuffer b = mb.order(hd.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                for (int s = s0; s < s1; s++) widen(b, (int) ((s - s0) * seqBytes + i * rowBytes), hd.dtype(), out, s * h);
            }
        } catch (IOException e) {
            throw new UserError(f + ": cannot read (" + e.getMessage() + ")", e);
        }
        return new Matrix(out, n, h);
    }

    private void widen(ByteBuffer b, int at, DType type, float[] out, int o) {
        if (type == DType.F4) {
            for (int c = 0; c < h; c++) out[o + c] = b.getFloat(at + 4 * c);
        } else {
            for (int c = 0; c < h; c++) out[o + c] = Half.TABLE[b.getShort(at + 2 * c) & 0xffff];
        }
    }

    /** Every lone item's token state entering block l, [M, H] as float32. */
    public float[] micro(int l) {
        Path f = microHidden(dir, l);
        return Npy.readFloats(f, Npy.header(f));
    }

    /**
     * For every (sequence, position), the lone item that stands for its token: (token, position id) when
     * lone tokens keep their position, the token alone otherwise. A token without an item is refused, naming it.
     */
    public int[] itemOf() {
        boolean original = microPosition().equals("original");
        Map<Long, Integer> index = new HashMap<>();
        for (int k = 0; k < m; k++) {
            long tok = items[2 * k], pos = items[2 * k + 1];
            long key = original ? tok * t + pos : tok;
            if (original && (pos < 0 || pos >= t)) {
                throw new UserError(dir.resolve("micro_items.npy") + ": row " + k + " has position " + pos + " outside 0-" + (t - 1));
            }
            if (index.putIfAbsent(key, k) != null) {
                throw new UserError(dir.resolve("micro_items.npy") + ": row " + k + " repeats token " + tok + (original ? " at position " + pos : ""));
            }
        }
        int[] out = new int[n * t];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < t; i++) {
                long tok = tokens[s * t + i];
                Integer k = index.get(original ? tok * t + i : tok);
                if (k == null) {
                    throw new UserError(dir.resolve("micro_items.npy") + ": no lone state for token " + tok + (original ? " at position " + i : "")
                            + " (sequence " + s + ")");
                }
                out[s * t + i] = k;
            }
        }
        return out;
    }
}
