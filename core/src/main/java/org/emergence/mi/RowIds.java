package org.emergence.mi;

/**
 * Distinct rows of a matrix by hashing their bits: {@code ids[i]} numbers the distinct rows 0, 1, …
 * in order of first appearance, {@code counts[id]} is how often each occurs. Rows compare by exact
 * float value (−0.0 equals 0.0). Open addressing on a 64-bit row hash; equal hashes are confirmed by
 * comparing the rows, so collisions never merge different rows.
 */
public final class RowIds {
    public final int[] ids;
    public final int[] counts;
    public final int distinct;

    private RowIds(int[] ids, int[] counts, int distinct) {
        this.ids = ids;
        this.counts = counts;
        this.distinct = distinct;
    }

    public static RowIds of(Matrix m) {
        int n = m.rows(), d = m.cols();
        float[] a = m.data();
        long[] hash = new long[n];
        // rows hash independently (in parallel); ids depend only on the order of first appearance, not on the hash
        org.emergence.tensor.Parallel.range(n, 256, (r0, r1) -> {
            for (int i = r0; i < r1; i++) hash[i] = rowHash(a, i * d, d);
        });
        return group(n, hash, (i, j) -> {
            // equal bits are equal values (NaN aside, which estimators refuse): the vectorised comparison
            // settles the common case, a hash match of two equal rows; only a bit mismatch needs the
            // value comparison, where −0.0 and 0.0 are the same value
            if (java.util.Arrays.equals(a, i * d, i * d + d, a, j * d, j * d + d)) return true;
            for (int c = 0; c < d; c++) if (a[i * d + c] != a[j * d + c]) return false;
            return true;
        });
    }

    /**
     * A row's hash: four independent multiply-xor lanes (so the CPU overlaps them; one serial chain of
     * full mixes cost 2 s for 300,000 × 768 values), finished by a full mix. Each lane step is a bijection
     * of the lane state for a given value, so rows that differ in one value never collide; collisions
     * of other rows only cost a row comparison.
     */
    private static long rowHash(float[] a, int base, int d) {
        final long k = 0x9E3779B97F4A7C15L;
        long h0 = 0x243F6A8885A308D3L, h1 = 0x13198A2E03707344L, h2 = 0xA4093822299F31D0L, h3 = 0x082EFA98EC4E6C89L;
        int j = 0;
        for (; j + 4 <= d; j += 4) {
            h0 = (h0 ^ bits(a[base + j])) * k;
            h1 = (h1 ^ bits(a[base + j + 1])) * k;
            h2 = (h2 ^ bits(a[base + j + 2])) * k;
            h3 = (h3 ^ bits(a[base + j + 3])) * k;
        }
        for (; j < d; j++) h0 = (h0 ^ bits(a[base + j])) * k;
        return mix(h0 ^ Long.rotateLeft(h1, 16) ^ Long.rotateLeft(h2, 32) ^ Long.rotateLeft(h3, 48) ^ d);
    }

    /** The float's bits, with −0.0 as 0.0 (they compare equal). */
    private static int bits(float v) {
        return v == 0f ? 0 : Float.floatToIntBits(v);
    }

    /** Distinct pairs of two id sequences (e.g. the rows of X and of Y). */
    public static RowIds pairs(RowIds x, RowIds y) {
        int n = x.ids.length;
        long[] hash = new long[n];
        for (int i = 0; i < n; i++) hash[i] = mix(((long) x.ids[i] << 32) ^ y.ids[i] ^ 0x632BE59BD9B4E019L);
        return group(n, hash, (i, j) -> x.ids[i] == x.ids[j] && y.ids[i] == y.ids[j]);
    }

    /** Largest count / n: the share of the most duplicated row. */
    /** Entropy (nats) of the empirical distribution of the rows: −Σ p·ln p over the distinct rows. */
    public double entropyNats() {
        int n = ids.length;
        double h = 0;
        for (int i = 0; i < distinct; i++) {
            double p = (double) counts[i] / n;
            h -= p * Math.log(p);
        }
        return h;
    }

    public double maxFraction() {
        int max = 0;
        for (int i = 0; i < distinct; i++) max = Math.max(max, counts[i]);
        return ids.length == 0 ? 0 : (double) max / ids.length;
    }

    private interface Same {
        boolean test(int i, int j);
    }

    private static RowIds group(int n, long[] hash, Same same) {
        int cap = Integer.highestOneBit(Math.max(4, n) * 2) * 2;
        int[] table = new int[cap]; // row index + 1 of the first row of each class; 0 = empty
        int mask = cap - 1;
        int[] ids = new int[n];
        int[] counts = new int[Math.max(1, n)];
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            int slot = (int) (hash[i] ^ (hash[i] >>> 32)) & mask;
            while (true) {
                int r = table[slot];
                if (r == 0) {
                    table[slot] = i + 1;
                    ids[i] = distinct;
                    counts[distinct++]++;
                    break;
                }
                int j = r - 1;
                if (hash[j] == hash[i] && same.test(i, j)) {
                    ids[i] = ids[j];
                    counts[ids[j]]++;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        return new RowIds(ids, java.util.Arrays.copyOf(counts, distinct), distinct);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
