package org.emergence.ie;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.emergence.data.Dataset;
import org.emergence.mi.Matrix;
import org.emergence.model.TokenBatch;
import org.emergence.model.Transformer;

/**
 * The micro level: every distinct item — a token, or a token at a position id when lone tokens keep
 * their original position — fed to the model alone, and advanced block by block in memory (items
 * are few: one per distinct token of the dataset).
 *
 * <p>A lone item is the token by itself, or, with {@code specials}, the token between the
 * tokenizer's special tokens (BOS x for Llama-family decoders, [CLS] x [SEP] for BERT encoders), as the model
 * always saw text; its state is the token's row. Position ids: "zero" puts the token at position len(prefix)
 * (0 without specials) with the specials next to it, "original" puts every token at the position id it has in
 * the dataset's sequences — the prefix at 0 …, the token at its own position, the suffix at the end — so a
 * lone token after BOS sees BOS at the distance it has in the sequence.
 */
public final class MicroStates {
    private final Transformer model;
    private final int h, batch;
    /** tokens per lone sequence and the token's index in it */
    private final int len, at;
    private final int[] tokens, positions; // [U · len]
    private final int[] itemOf; // [N · T]
    private final int n, t;
    private final FloatBuffer state; // [U · len, H], residual before block `layer`
    private int layer;

    public MicroStates(Transformer model, Dataset data, boolean original, int[] prefix, int[] suffix, int batch) {
        this.model = model;
        this.h = model.config().hidden();
        this.batch = batch;
        this.n = data.n();
        this.t = data.t();
        this.len = prefix.length + 1 + suffix.length;
        this.at = prefix.length;
        Map<Long, Integer> index = new LinkedHashMap<>();
        itemOf = new int[n * t];
        for (int seq = 0; seq < n; seq++) {
            for (int i = 0; i < t; i++) {
                int tok = data.token(seq, i);
                long key = original ? (long) tok * t + i : tok;
                Integer id = index.get(key);
                if (id == null) {
                    id = index.size();
                    index.put(key, id);
                }
                itemOf[seq * t + i] = id;
            }
        }
        int u = index.size();
        tokens = new int[u * len];
        positions = new int[u * len];
        for (Map.Entry<Long, Integer> e : index.entrySet()) {
            long key = e.getKey();
            int tok = (int) (original ? key / t : key), pos = original ? (int) (key % t) : at;
            int o = e.getValue() * len;
            // every token at the position id it has in the dataset's sequences: the prefix (BOS, [CLS]) first, the
            // suffix ([SEP]) last, the lone token at its own position; with "zero" the lone sequence is contiguous
            for (int j = 0; j < prefix.length; j++) {
                tokens[o + j] = prefix[j];
                positions[o + j] = j;
            }
            tokens[o + at] = tok;
            positions[o + at] = pos;
            for (int j = 0; j < suffix.length; j++) {
                tokens[o + at + 1 + j] = suffix[j];
                positions[o + at + 1 + j] = original ? t - suffix.length + j : pos + 1 + j;
            }
        }
        state = model.embed(batchOf(0, u));
    }

    public int items() {
        return tokens.length / len;
    }

    private TokenBatch batchOf(int from, int to) {
        return new TokenBatch(to - from, len, Arrays.copyOfRange(tokens, from * len, to * len),
                Arrays.copyOfRange(positions, from * len, to * len), null, null);
    }

    /** Runs block l on every item (each its own short sequence), in chunks of about one batch of rows. */
    private void advance(int l) {
        int u = items(), chunk = Math.max(1, batch * 8 / len);
        for (int a = 0; a < u; a += chunk) {
            int b = Math.min(u, a + chunk);
            model.block(l, batchOf(a, b), state.slice(a * len * h, (b - a) * len * h));
        }
    }

    /** The token rows of every item [U, H] at the current layer. */
    private float[] tokenRows() {
        int u = items();
        float[] out = new float[u * h];
        for (int i = 0; i < u; i++) state.get((i * len + at) * h, out, i * h, h);
        return out;
    }

    /**
     * The items' token states before and after block l, [U, H] each; afterwards the residual stands
     * before block l + 1. Blocks below l that were not measured are run first.
     */
    public float[][] beforeAfter(int l) {
        while (layer < l) advance(layer++);
        float[] before = tokenRows();
        advance(l);
        layer = l + 1;
        return new float[][] {before, tokenRows()};
    }

    /** Every item's (token id, position id of the token), [U, 2]: the micro_items table of an activation layout. */
    public long[] itemTable() {
        int u = items();
        long[] out = new long[2 * u];
        for (int k = 0; k < u; k++) {
            out[2 * k] = tokens[k * len + at];
            out[2 * k + 1] = positions[k * len + at];
        }
        return out;
    }

    /** Each (sequence, position)'s item, [N · T] (a copy). */
    public int[] itemOf() {
        return itemOf.clone();
    }

    /** Position i's micro pairs over the N sequences: each sequence's token at i, alone. */
    Matrix[] pairs(float[][] beforeAfter, int i) {
        return pairs(beforeAfter, itemOf, n, t, h, i);
    }

    /** The same from item states [U, H] before and after a block and each (sequence, position)'s item, itemOf [N · T]. */
    public static Matrix[] pairs(float[][] beforeAfter, int[] itemOf, int n, int t, int h, int i) {
        float[] x = new float[n * h], y = new float[n * h];
        for (int seq = 0; seq < n; seq++) {
            int it = itemOf[seq * t + i];
            System.arraycopy(beforeAfter[0], it * h, x, seq * h, h);
            System.arraycopy(beforeAfter[1], it * h, y, seq * h, h);
        }
        return new Matrix[] {new Matrix(x, n, h), new Matrix(y, n, h)};
    }
}
