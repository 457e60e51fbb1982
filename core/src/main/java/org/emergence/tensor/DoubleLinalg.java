package org.emergence.tensor;

import java.nio.DoubleBuffer;
import org.bytedeco.openblas.global.openblas_full;

/**
 * Dense symmetric linear algebra in double precision for the estimators: covariance of column blocks,
 * Cholesky factorisation and log-determinants, pivoted Cholesky for numerical rank, and the inverse of a
 * symmetric positive-definite matrix. Matrices are row-major {@code double[p * p]}.
 *
 * <p>Runs on OpenBLAS/LAPACK when {@link Blas#available()}, otherwise on plain Java loops (slower, same
 * results up to rounding).
 */
public final class DoubleLinalg {
    private DoubleLinalg() {}

    private static final int ROW_MAJOR = 101, UPPER = 121, TRANS = 112;
    /** Rows per chunk when accumulating a covariance: bounds the temporary copy, keeps GEMM efficient. */
    private static final int CHUNK = 1024;

    /** One block of columns: rows of {@code data} [n, cols], row-major. */
    public record Block(float[] data, int cols) {}

    /**
     * Column means (double) of the horizontal concatenation of blocks, each with n rows. Each column is
     * summed over the rows in order, so splitting the columns across cores leaves every bit unchanged.
     */
    public static double[] means(int n, Block... blocks) {
        int p = 0;
        for (Block b : blocks) p += b.cols;
        double[] mean = new double[p];
        int off = 0;
        for (Block b : blocks) {
            int c = b.cols, o = off;
            float[] a = b.data;
            Parallel.range(c, 16, (c0, c1) -> {
                double[] s = new double[c1 - c0];
                for (int i = 0; i < n; i++) {
                    int base = i * c;
                    for (int j = c0; j < c1; j++) s[j - c0] += a[base + j];
                }
                for (int j = c0; j < c1; j++) mean[o + j] = s[j - c0] / n;
            });
            off += c;
        }
        return mean;
    }

    /**
     * Sample covariance (divisor n − 1) of the concatenated columns of the blocks: [p, p] with
     * p = Σ cols. Data are centred and multiplied in double (DSYRK over chunks of rows), so that the
     * numerical rank and the log-determinants of nearly singular covariances are trustworthy.
     */
    public static double[] covariance(int n, double[] mean, Block... blocks) {
        int p = mean.length;
        if (n < 2 || p == 0) return new double[p * p];
        int chunk = Math.min(CHUNK, n);
        boolean nat = Blas.available();
        DoubleBuffer buf = nat ? Gemm.allocateDouble((long) chunk * p) : DoubleBuffer.allocate(chunk * p);
        DoubleBuffer acc = nat ? Gemm.allocateDouble((long) p * p) : DoubleBuffer.allocate(p * p);
        double[] row = new double[p];
        for (int r0 = 0; r0 < n; r0 += chunk) {
            int rows = Math.min(chunk, n - r0);
            for (int i = 0; i < rows; i++) {
                int off = 0;
                for (Block b : blocks) {
                    int c = b.cols, base = (r0 + i) * c;
                    for (int j = 0; j < c; j++) row[off + j] = b.data[base + j] - mean[off + j];
                    off += c;
                }
                buf.put(i * p, row, 0, p);
            }
            if (nat) {
                openblas_full.cblas_dsyrk(ROW_MAJOR, UPPER, TRANS, p, rows, 1.0, buf, p, 1.0, acc, p);
            } else {
                JavaGemm.dgemm(true, false, p, p, rows, 1.0, buf, 0, p, buf, 0, p, 1.0, acc, 0, p);
            }
        }
        double[] out = new double[p * p];
        acc.get(0, out, 0, p * p);
        double inv = 1.0 / (n - 1);
        for (int i = 0; i < p; i++) {
            for (int j = i; j < p; j++) {
                double v = out[i * p + j] * inv;
                out[i * p + j] = v;
                out[j * p + i] = v;
            }
        }
        return out;
    }

    /** The principal sub-matrix of rows/columns {@code idx}. */
    public static double[] sub(double[] a, int p, int[] idx) {
        int q = idx.length;
        double[] out = new double[q * q];
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < q; j++) out[i * q + j] = a[idx[i] * p + idx[j]];
        }
        return out;
    }

    /**
     * In-place Cholesky factorisation A = L·Lᵀ (lower triangle of {@code a} holds L; the upper triangle
     * is left unspecified). Returns false when A is not numerically positive definite.
     */
    public static boolean cholesky(double[] a, int p) {
        if (p == 0) return true;
        if (Blas.available()) {
            return openblas_full.LAPACKE_dpotrf(ROW_MAJOR, (byte) 'L', p, a, p) == 0;
        }
        return javaCholesky(a, p);
    }

    static boolean javaCholesky(double[] a, int p) {
        for (int j = 0; j < p; j++) {
            double d = a[j * p + j];
            for (int k = 0; k < j; k++) d -= a[j * p + k] * a[j * p + k];
            if (!(d > 0)) return false;
            double ljj = Math.sqrt(d);
            a[j * p + j] = ljj;
            for (int i = j + 1; i < p; i++) {
                double s = a[i * p + j];
                int ri = i * p, rj = j * p;
                for (int k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
                a[ri + j] = s / ljj;
            }
        }
        return true;
    }

    /** log det of a factorised matrix: 2 Σ log L_ii. */
    public static double logDetFromCholesky(double[] l, int p) {
        double s = 0;
        for (int i = 0; i < p; i++) s += Math.log(l[i * p + i]);
        return 2 * s;
    }

    /**
     * log det of a symmetric positive-definite matrix (copied, not modified), or NaN when the Cholesky
     * factorisation fails (not numerically positive definite).
     */
    public static double logDet(double[] a, int p) {
        double[] c = a.clone();
        return cholesky(c, p) ? logDetFromCholesky(c, p) : Double.NaN;
    }

    /**
     * Numerical rank of a symmetric positive semi-definite matrix by Cholesky with complete pivoting:
     * the number of pivots larger than {@code relTol} times the largest diagonal element. The matrix is
     * copied, not modified.
     */
    public static int rank(double[] a, int p, double relTol) {
        if (p == 0) return 0;
        double maxDiag = 0;
        for (int i = 0; i < p; i++) maxDiag = Math.max(maxDiag, a[i * p + i]);
        if (!(maxDiag > 0)) return 0;
        double[] c = a.clone();
        if (Blas.available()) {
            int[] piv = new int[p];
            int[] rank = new int[1];
            // LAPACK's tolerance is absolute on the pivot (a variance), ours relative to the largest diagonal
            int info = openblas_full.LAPACKE_dpstrf(ROW_MAJOR, (byte) 'L', p, c, p, piv, rank, relTol * maxDiag);
            if (info >= 0) return info == 0 ? p : rank[0];
        }
        return javaPivotedRank(c, p, relTol * maxDiag);
    }

    static int javaPivotedRank(double[] a, int p, double tol) {
        // outer-product Cholesky with diagonal pivoting on the Schur complement
        double[] d = new double[p];
        boolean[] used = new boolean[p];
        for (int i = 0; i < p; i++) d[i] = a[i * p + i];
        double[][] cols = new double[p][];
        int[] order = new int[p];
        for (int r = 0; r < p; r++) {
            int best = -1;
            for (int i = 0; i < p; i++) if (!used[i] && (best < 0 || d[i] > d[best])) best = i;
            if (best < 0 || !(d[best] > tol)) return r;
            used[best] = true;
            order[r] = best;
            double piv = Math.sqrt(d[best]);
            double[] col = new double[p];
            for (int i = 0; i < p; i++) {
                if (used[i] && i != best) continue;
                double s = a[i * p + best];
                for (int k = 0; k < r; k++) s -= cols[k][i] * cols[k][best];
                col[i] = s / piv;
            }
            cols[r] = col;
            for (int i = 0; i < p; i++) if (!used[i]) d[i] -= col[i] * col[i];
        }
        return p;
    }

    /**
     * Inverse of a symmetric positive-definite matrix from its Cholesky factor (lower triangle of
     * {@code l}); returns the full symmetric inverse.
     */
    public static double[] inverseFromCholesky(double[] l, int p) {
        double[] c = l.clone();
        if (Blas.available() && openblas_full.LAPACKE_dpotri(ROW_MAJOR, (byte) 'L', p, c, p) == 0) {
            for (int i = 0; i < p; i++) for (int j = i + 1; j < p; j++) c[i * p + j] = c[j * p + i];
            return c;
        }
        // Java: solve L·Lᵀ·X = I column by column
        double[] inv = new double[p * p];
        double[] z = new double[p];
        for (int col = 0; col < p; col++) {
            for (int i = 0; i < p; i++) {
                double s = i == col ? 1 : 0;
                for (int k = 0; k < i; k++) s -= l[i * p + k] * z[k];
                z[i] = s / l[i * p + i];
            }
            for (int i = p - 1; i >= 0; i--) {
                double s = z[i];
                for (int k = i + 1; k < p; k++) s -= l[k * p + i] * inv[k * p + col];
                inv[i * p + col] = s / l[i * p + i];
            }
        }
        return inv;
    }
}
