package org.emergence.mi;

import java.util.Arrays;

/**
 * A partition of the n sample rows into G groups of (nearly) equal size, for the delete-a-group
 * jackknife and for subsample estimates (halves, quarters). Rows are the units that a fresh dataset
 * draw would replace — in an IE run one row is one sequence, and every (layer, position, level)
 * estimate of the run uses the same partition, so that the replicates of a combination such as
 * E = MI_macro − MI_micro are combinations of replicates computed on the same sequences.
 *
 * <p>Halves are the groups with g mod 2 = h (h = 0, 1), quarters those with g mod 4 = q; so with G
 * a multiple of 4 every half and quarter holds the same number of groups.
 *
 * @param groupOf [n] group of each row, in 0..groups−1
 */
public record RowGroups(int[] groupOf, int groups) {
    public RowGroups {
        if (groups < 2) throw new IllegalArgumentException("need at least 2 groups, got " + groups);
        for (int g : groupOf) if (g < 0 || g >= groups) throw new IllegalArgumentException("group " + g + " out of range");
    }

    /** Default number of groups: 20 (a multiple of 4, enough for a stable variance with t(19) quantiles). */
    public static final int DEFAULT = 20;

    /**
     * Requested when no count was typed: {@link #DEFAULT}, shrunk to what N allows (every group needs two rows).
     * A count typed explicitly is refused instead when N cannot hold it.
     */
    public static final int AUTO = -1;

    /** A seeded balanced partition: row r goes to group rank(r) mod G under a random permutation. */
    public static RowGroups random(int n, int groups, long seed) {
        int g = Math.max(2, Math.min(groups, n));
        int[] perm = new Rng(seed).permutation(n);
        int[] of = new int[n];
        for (int i = 0; i < n; i++) of[perm[i]] = i % g;
        return new RowGroups(of, g);
    }

    public int rows() {
        return groupOf.length;
    }

    /** The groups of a subset of rows (e.g. a subsample an estimator works on). */
    public RowGroups select(int[] rows) {
        int[] of = new int[rows.length];
        for (int i = 0; i < rows.length; i++) of[i] = groupOf[rows[i]];
        return new RowGroups(of, groups);
    }

    /** Rows of every group but {@code g}. */
    public int[] without(int g) {
        return Arrays.stream(indices()).filter(r -> groupOf[r] != g).toArray();
    }

    /** Rows whose group is ≡ {@code part} (mod {@code parts}): a half (parts 2) or a quarter (parts 4). */
    public int[] part(int part, int parts) {
        return Arrays.stream(indices()).filter(r -> groupOf[r] % parts == part).toArray();
    }

    private int[] indices() {
        int[] a = new int[groupOf.length];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }
}
