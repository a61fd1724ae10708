package dev.recurrent.models;

import dev.recurrent.core.Shape;

import java.util.Random;

/**
 * Orthogonal matrices from a seeded Gaussian matrix by modified Gram-Schmidt, run twice per column
 * ("twice is enough": the second pass restores orthogonality lost to rounding). The result is the Q of
 * a QR decomposition with a positive diagonal in R, i.e. Haar-distributed, as PyTorch's
 * {@code orthogonal_} (which fixes the signs of R's diagonal to the same effect).
 */
final class Orthogonal {
    private Orthogonal() { }

    static double[] values(Shape shape, double gain, Random random) {
        if (shape.rank() != 2) throw new IllegalArgumentException("Init.orthogonal: needs a 2-D weight; got " + shape);
        int rows = shape.dim(0), cols = shape.dim(1);
        double[] out = new double[rows * cols];
        if (rows > cols && cols > 0 && rows % cols == 0) {
            // fused gates [G*H, H]: one orthogonal [H, H] block per gate, stacked by rows
            for (int g = 0; g < rows / cols; g++) {
                double[] block = matrix(cols, cols, gain, random);
                System.arraycopy(block, 0, out, g * cols * cols, cols * cols);
            }
            return out;
        }
        return matrix(rows, cols, gain, random);
    }

    /** A {@code [rows, cols]} matrix with orthonormal rows (rows <= cols) or columns (rows > cols), times gain. */
    private static double[] matrix(int rows, int cols, double gain, Random random) {
        int n = Math.max(rows, cols), k = Math.min(rows, cols);
        double[][] q = new double[k][n];                     // k orthonormal vectors of length n
        for (int j = 0; j < k; j++) {
            double[] v = q[j];
            double norm;
            do {
                for (int i = 0; i < n; i++) v[i] = random.nextGaussian();
                for (int pass = 0; pass < 2; pass++) {
                    for (int p = 0; p < j; p++) {
                        double dot = 0;
                        for (int i = 0; i < n; i++) dot += q[p][i] * v[i];
                        for (int i = 0; i < n; i++) v[i] -= dot * q[p][i];
                    }
                }
                norm = 0;
                for (int i = 0; i < n; i++) norm += v[i] * v[i];
                norm = Math.sqrt(norm);
            } while (norm < 1e-10);                           // a draw in the span of the others: redraw
            for (int i = 0; i < n; i++) v[i] /= norm;
        }
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // rows <= cols: row r is vector r; otherwise column c is vector c
                out[r * cols + c] = gain * (rows <= cols ? q[r][c] : q[c][r]);
            }
        }
        return out;
    }
}
