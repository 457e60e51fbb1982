package org.emergence.mi;

/**
 * A sample matrix [n, d], row-major float: row i is sample i. The input type of every estimator.
 */
public record Matrix(float[] data, int rows, int cols) {
    public Matrix {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " values, expected " + rows + "×" + cols);
        }
    }

    public static Matrix zeros(int rows, int cols) {
        return new Matrix(new float[Math.multiplyExact(rows, cols)], rows, cols);
    }

    public float get(int r, int c) {
        return data[r * cols + c];
    }

    public void set(int r, int c, float v) {
        data[r * cols + c] = v;
    }

    /** Rows [from, to) as a new matrix. */
    public Matrix rows(int from, int to) {
        float[] d = java.util.Arrays.copyOfRange(data, from * cols, to * cols);
        return new Matrix(d, to - from, cols);
    }

    /** The given rows, in order, as a new matrix. */
    public Matrix select(int[] idx) {
        float[] d = new float[idx.length * cols];
        for (int i = 0; i < idx.length; i++) System.arraycopy(data, idx[i] * cols, d, i * cols, cols);
        return new Matrix(d, idx.length, cols);
    }
}
