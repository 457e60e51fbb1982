package org.emergence.mi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.tensor.DoubleLinalg;

/**
 * What the samples look like before any estimate: transformer activations are deterministic functions
 * of discrete inputs, so (X, Y) may be a point cloud with few distinct values, constant columns or a
 * rank-deficient covariance, where continuous estimators are meaningless or unstable.
 *
 * @param distinctX          distinct rows of X (exact float equality)
 * @param distinctXY         distinct (x, y) row pairs
 * @param rankX              numerical rank of the sample covariance of X: pivots of a pivoted Cholesky of
 *                           the correlation matrix of its non-constant columns above {@link #RANK_TOL}
 *                           (of {@link #RANK_ROWS} evenly spaced rows when n is larger)
 * @param constantColumnsX   columns of X with a single value (zero variance)
 * @param duplicateFractionX share of rows equal to the most frequent row of X (1/n when all distinct)
 * @param maxDuplicateFraction the larger of duplicateFractionX and duplicateFractionY
 * @param entropyXNats       entropy of the empirical distribution of X's rows (bounds the MI of the samples)
 * @param rowIdsX            the distinct rows the counts come from, kept so that an estimator grouping the
 *                           same rows does not hash them again (an O(n·d) pass: ~1 s of a paper-scale
 *                           estimate); not part of {@link #toMap}
 */
public record Diagnostics(int n, int dx, int dy, int distinctX, int distinctY, int distinctXY, int rankX, int rankY,
                          int constantColumnsX, int constantColumnsY, double duplicateFractionX,
                          double duplicateFractionY, double maxDuplicateFraction, double entropyXNats,
                          double entropyYNats, RowIds rowIdsX, RowIds rowIdsY, RowIds rowIdsXY) {

    /** Relative pivot tolerance of the rank (on a unit-diagonal correlation matrix). */
    public static final double RANK_TOL = 1e-10;

    /**
     * Rows the rank is computed on, at most: beyond them the rank comes from this many evenly spaced rows
     * (the O(n·d²) covariance of 300,000 rows × 768 columns took 8 of the 12 seconds of a paper-scale
     * estimate, for a diagnostic). A subsample can only under-count directions that fewer than a few of
     * its rows span; 8192 rows are at least 2·d for every hidden size up to 4096.
     */
    public static final int RANK_ROWS = 8192;

    /** Computes every diagnostic: row hashing O(n·d), covariances O(min(n, RANK_ROWS)·d²) in double. */
    public static Diagnostics of(Matrix x, Matrix y) {
        return of(x, y, covariance(rankRows(x)), covariance(rankRows(y)));
    }

    /** All rows when there are at most {@link #RANK_ROWS}, else that many evenly spaced ones. */
    static Matrix rankRows(Matrix m) {
        int n = m.rows();
        if (n <= RANK_ROWS) return m;
        int[] idx = new int[RANK_ROWS];
        for (int i = 0; i < RANK_ROWS; i++) idx[i] = (int) ((long) i * n / RANK_ROWS);
        return m.select(idx);
    }

    /**
     * Same, with sample covariances of X and Y already at hand (of all columns, or of the non-constant
     * columns only: constant columns never add to the rank).
     */
    public static Diagnostics of(Matrix x, Matrix y, double[] covX, double[] covY) {
        RowIds ix = RowIds.of(x), iy = RowIds.of(y);
        RowIds ixy = RowIds.pairs(ix, iy);
        int cx = constantColumns(x), cy = constantColumns(y);
        double fx = ix.maxFraction(), fy = iy.maxFraction();
        return new Diagnostics(x.rows(), x.cols(), y.cols(), ix.distinct, iy.distinct, ixy.distinct,
                rank(covX), rank(covY), cx, cy, fx, fy, Math.max(fx, fy), ix.entropyNats(), iy.entropyNats(), ix, iy, ixy);
    }

    public static double[] covariance(Matrix m) {
        DoubleLinalg.Block b = new DoubleLinalg.Block(m.data(), m.cols());
        return DoubleLinalg.covariance(m.rows(), DoubleLinalg.means(m.rows(), b), b);
    }

    /** Rank of a covariance, scale-free: on the correlation matrix of the columns with positive variance. */
    public static int rank(double[] cov) {
        int p = (int) Math.round(Math.sqrt(cov.length));
        int[] keep = positiveVariance(cov, p);
        if (keep.length == 0) return 0;
        return DoubleLinalg.rank(correlation(DoubleLinalg.sub(cov, p, keep), keep.length), keep.length, RANK_TOL);
    }

    static int[] positiveVariance(double[] cov, int p) {
        return java.util.stream.IntStream.range(0, p).filter(i -> cov[i * p + i] > 0).toArray();
    }

    /** D^{-1/2}·C·D^{-1/2} for a covariance with positive diagonal (new array). */
    static double[] correlation(double[] c, int p) {
        double[] s = new double[p];
        for (int i = 0; i < p; i++) s[i] = 1 / Math.sqrt(c[i * p + i]);
        double[] r = new double[p * p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) r[i * p + j] = c[i * p + j] * s[i] * s[j];
            r[i * p + i] = 1;
        }
        return r;
    }

    /** Columns whose values are all identical. */
    public static int constantColumns(Matrix m) {
        boolean[] varies = variesByColumn(m);
        int c = 0;
        for (boolean v : varies) if (!v) c++;
        return c;
    }

    static boolean[] variesByColumn(Matrix m) {
        int n = m.rows(), d = m.cols();
        float[] a = m.data();
        boolean[] varies = new boolean[d];
        // rows split across cores, each comparing with row 0; the flags merge by OR (order-free)
        org.emergence.tensor.Parallel.range(n, 4096, (r0, r1) -> {
            boolean[] v = new boolean[d];
            for (int i = Math.max(1, r0); i < r1; i++) {
                int base = i * d;
                for (int j = 0; j < d; j++) if (a[base + j] != a[j]) v[j] = true;
            }
            synchronized (varies) {
                for (int j = 0; j < d; j++) varies[j] |= v[j];
            }
        });
        return varies;
    }

    /** The fields as an ordered map (the keys of an estimate's diagnostics and of results.csv columns). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("distinct_x", distinctX);
        m.put("distinct_y", distinctY);
        m.put("distinct_xy", distinctXY);
        m.put("rank_x", rankX);
        m.put("rank_y", rankY);
        m.put("constant_columns_x", constantColumnsX);
        m.put("constant_columns_y", constantColumnsY);
        m.put("duplicate_fraction_x", duplicateFractionX);
        m.put("duplicate_fraction_y", duplicateFractionY);
        m.put("max_duplicate_fraction", maxDuplicateFraction);
        m.put("entropy_x_nats", entropyXNats);
        m.put("entropy_y_nats", entropyYNats);
        return m;
    }

    /** Column names for a CSV row, in the order of {@link #csvValues()}. */
    public static List<String> csvHeader() {
        return List.of("distinct_x", "distinct_y", "distinct_xy", "rank_x", "rank_y", "constant_columns_x",
                "constant_columns_y", "duplicate_fraction_x", "duplicate_fraction_y", "max_duplicate_fraction");
    }

    public List<String> csvValues() {
        Map<String, Object> m = toMap();
        return csvHeader().stream().map(k -> String.valueOf(m.get(k))).toList();
    }

    /** Warnings a continuous estimator should carry for these samples (empty when none apply). */
    public List<String> continuousWarnings() {
        List<String> w = new java.util.ArrayList<>();
        // a few float32 collisions are normal in continuous data; warn when ties are more than 1% of rows
        if (distinctX < 0.99 * n || distinctY < 0.99 * n) {
            w.add(String.format(java.util.Locale.ROOT,
                    "duplicated rows: %d distinct of %d in X, %d in Y (largest duplicate share %.3f); continuous "
                            + "estimators assume no ties (consider discrete-exact or --noise)",
                    distinctX, n, distinctY, maxDuplicateFraction));
        }
        if (constantColumnsX > 0 || constantColumnsY > 0) {
            w.add("constant columns ignored: " + constantColumnsX + " in X, " + constantColumnsY + " in Y");
        }
        return w;
    }
}
