package org.emergence.model;

import java.util.Arrays;

/**
 * B sequences of T tokens, flattened row-major: token (b, t) is row b·T + t of every activation
 * matrix [B·T, H].
 *
 * @param ids          token ids [B·T]
 * @param positions    position ids [B·T] (default t)
 * @param tokenTypes   token type ids [B·T] for BERT, or null (all 0)
 * @param mask         attention mask [B·T], 1 = real token, 0 = padding; null = no padding
 */
public record TokenBatch(int batch, int length, int[] ids, int[] positions, int[] tokenTypes, int[] mask) {

    public TokenBatch {
        int n = batch * length;
        if (ids.length != n) throw new IllegalArgumentException("ids has " + ids.length + " entries, expected " + n);
        if (positions == null) {
            positions = new int[n];
            for (int i = 0; i < n; i++) positions[i] = i % length;
        }
        if (positions.length != n || (tokenTypes != null && tokenTypes.length != n) || (mask != null && mask.length != n)) {
            throw new IllegalArgumentException("positions, token types and mask must each have B·T entries");
        }
    }

    /** Sequences with default positions, no token types, no padding. */
    public static TokenBatch of(int batch, int length, int[] ids) {
        return new TokenBatch(batch, length, ids, null, null, null);
    }

    /** Builds a batch from rows of equal length. */
    public static TokenBatch of(int[][] rows) {
        int b = rows.length, t = b == 0 ? 0 : rows[0].length;
        int[] ids = new int[b * t];
        for (int i = 0; i < b; i++) {
            if (rows[i].length != t) throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " tokens, expected " + t);
            System.arraycopy(rows[i], 0, ids, i * t, t);
        }
        return of(b, t, ids);
    }

    public int rows() {
        return batch * length;
    }

    public int maxPosition() {
        int m = -1;
        for (int p : positions) m = Math.max(m, p);
        return m;
    }

    /** Sequences [from, to) of this batch. */
    public TokenBatch slice(int from, int to) {
        int a = from * length, b = to * length;
        return new TokenBatch(to - from, length, Arrays.copyOfRange(ids, a, b), Arrays.copyOfRange(positions, a, b),
                tokenTypes == null ? null : Arrays.copyOfRange(tokenTypes, a, b),
                mask == null ? null : Arrays.copyOfRange(mask, a, b));
    }

    public TokenBatch withPositions(int[] pos) {
        return new TokenBatch(batch, length, ids, pos, tokenTypes, mask);
    }

    public TokenBatch withTokenTypes(int[] types) {
        return new TokenBatch(batch, length, ids, positions, types, mask);
    }

    public TokenBatch withMask(int[] m) {
        return new TokenBatch(batch, length, ids, positions, tokenTypes, m);
    }
}
