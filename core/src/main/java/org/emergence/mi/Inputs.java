package org.emergence.mi;

import org.emergence.common.UserError;

/** Checks every estimator applies to its input before estimating. */
public final class Inputs {
    private Inputs() {}

    /** Same number of rows, at least one row and one column each, and at least {@code minRows} rows. */
    /** Every estimator's input check: paired rows, at least minRows of them, finite values in both. */
    public static void requirePair(Matrix x, Matrix y, int minRows) {
        requireShapes(x, y, minRows);
        requireFinite(x, "X");
        requireFinite(y, "Y");
    }

    public static void requireShapes(Matrix x, Matrix y, int minRows) {
        if (x.rows() != y.rows()) {
            throw new UserError("X has " + x.rows() + " samples (rows) but Y has " + y.rows() + "; they must be paired row by row");
        }
        if (x.rows() == 0) throw new UserError("X and Y are empty (0 samples)");
        if (x.cols() == 0) throw new UserError("X has 0 columns");
        if (y.cols() == 0) throw new UserError("Y has 0 columns");
        if (x.rows() < minRows) {
            throw new UserError("only " + x.rows() + " samples; this estimator needs at least " + minRows);
        }
    }

    /** Refuses NaN or infinite values, naming the first bad row (0-based) and column of {@code label}. */
    public static void requireFinite(Matrix m, String label) {
        float[] d = m.data();
        int cols = m.cols();
        // the common case, all finite, checked on every core; the first bad value is then found in order
        boolean[] bad = {false};
        org.emergence.tensor.Parallel.range(m.rows(), 4096, (r0, r1) -> {
            for (int i = r0 * cols, end = r1 * cols; i < end; i++) {
                if (!Float.isFinite(d[i])) {
                    bad[0] = true; // set-only flag, read after the join
                    return;
                }
            }
        });
        if (!bad[0]) return;
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                int r = i / m.cols(), c = i % m.cols();
                throw new UserError(label + ": row " + r + " (0-based) has a " + (Float.isNaN(d[i]) ? "NaN" : "infinite")
                        + " value in column " + c + "; estimators need finite values");
            }
        }
    }
}
