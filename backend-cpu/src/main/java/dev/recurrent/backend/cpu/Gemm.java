package dev.recurrent.backend.cpu;

import java.util.Arrays;

/**
 * Batched matrix products on heap arrays: {@code C_i = op(A_i) · op(B_i)}, with the layout and stride
 * rules of {@link dev.recurrent.core.backend.Backend#matmul}.
 *
 * <p>The loop order is i-k-j: a row of C is updated by {@code c[j] += a(i,p) * b[p][j]}, which HotSpot
 * vectorises ({@link GemmRows}: four rows of B per pass, accumulated in a small array that stays in L1).
 * Columns of C come in blocks of {@link #NC} and the inner dimension in blocks of {@link #KC}; the KC x NC
 * block of B being used is copied into a panel of row arrays, which stays in the L2 cache while every row
 * of the task streams over it. A transposed B is first copied to {@code [k, n]} (once for all products when its
 * stride is 0); a transposed A is read in place (one scalar per four rows of B). Large products are split
 * by rows of C across the backend's fork/join pool; results do not depend on the split.
 */
final class Gemm {
    /** Columns per block: 512 floats (2 KiB) per row of C. */
    static final int NC = 512;
    /** Columns per block for F64: the same 2 KiB per row of C. */
    static final int NC64 = 256;
    /** Inner-dimension block: with NC, 512 KiB of B (F32 or F64), an L2-sized working set. */
    static final int KC = 256;
    /** Multiply-adds below which the fork/join overhead (tens of microseconds) outweighs a second thread. */
    static final long PARALLEL_MIN = 1L << 18;
    /** Transposed-B buffers up to this many elements are kept per calling thread rather than reallocated. */
    private static final int SCRATCH_MAX = 1 << 20;

    private static final ThreadLocal<float[]> FLOAT_SCRATCH = new ThreadLocal<>();
    /** Each thread's KC x NC panel of B (512 KiB either dtype), made on its first product. */
    private static final ThreadLocal<float[][]> FLOAT_PANEL = ThreadLocal.withInitial(() -> new float[KC][NC]);
    private static final ThreadLocal<double[][]> DOUBLE_PANEL = ThreadLocal.withInitial(() -> new double[KC][NC64]);
    private static final ThreadLocal<double[]> DOUBLE_SCRATCH = new ThreadLocal<>();

    private Gemm() { }

    /** Writes {@code [batch, m, n]} into {@code c} from index 0 (every element: C need not be zero). */
    static void gemm(Parallel par, float[] a, int aOff, boolean transA, long aStride,
                     float[] b, int bOff, boolean transB, long bStride, float[] c, int batch, int m, int n, int k) {
        gemm(par, a, aOff, transA, aStride, b, bOff, transB, bStride, c, 0, false, batch, m, n, k);
    }

    /**
     * Writes {@code [batch, m, n]} into {@code c} from index {@code cOff}, or adds it to what is there when
     * {@code accumulate} (beta 1).
     */
    static void gemm(Parallel par, float[] a, int aOff, boolean transA, long aStride,
                     float[] b, int bOff, boolean transB, long bStride, float[] c, int cOff, boolean accumulate,
                     int batch, int m, int n, int k) {
        if (batch == 0 || m == 0 || n == 0) return;
        float[] bb = b;
        int bBase = bOff;
        long bs = bStride;
        float[] scratch = null;
        if (transB && k > 0) {                           // B_i is [n, k]: copy it out as [k, n]
            int distinct = bStride == 0 ? 1 : batch;
            int need = distinct * k * n;
            if (need <= SCRATCH_MAX) {                // taken out while in use, so a nested call cannot share it
                scratch = FLOAT_SCRATCH.get();
                FLOAT_SCRATCH.remove();
            }
            if (scratch == null || scratch.length < need) scratch = new float[need];
            for (int i = 0; i < distinct; i++) {
                FloatKernels.transposeTiles(java.nio.FloatBuffer.wrap(b), (int) (bOff + i * bStride), 1, k,
                        java.nio.FloatBuffer.wrap(scratch), i * k * n, k, n);
            }
            bb = scratch;
            bBase = 0;
            bs = bStride == 0 ? 0 : (long) k * n;
        }
        float[] fb = bb;
        int fbBase = bBase;
        long fbs = bs;
        int rows = batch * m;
        int tasks = tasks(par, rows, (long) batch * m * n * k);
        par.forEach(tasks, t -> {
            for (int u = (int) ((long) rows * t / tasks), end = (int) ((long) rows * (t + 1) / tasks); u < end; ) {
                int bi = u / m, i0 = u % m, i1 = Math.min(m, i0 + end - u);
                block(a, (int) (aOff + bi * aStride), transA, fb, (int) (fbBase + bi * fbs), c, cOff + bi * m * n, accumulate,
                        i0, i1, m, n, k);
                u += i1 - i0;
            }
        });
        if (scratch != null && scratch.length <= SCRATCH_MAX) FLOAT_SCRATCH.set(scratch);
    }

    /**
     * Rows [i0, i1) of one product; B is {@code [k, n]} row-major from {@code b0}. Each KC x NC block of B is
     * first copied into this thread's panel, one array per row, which every row of C then streams over
     * ({@link GemmRows} says why separate arrays).
     */
    private static void block(float[] a, int a0, boolean transA, float[] b, int b0, float[] c, int c0, boolean accumulate,
                              int i0, int i1, int m, int n, int k) {
        int rs = transA ? 1 : k, ps = transA ? m : 1;                // a(i, p) = a[a0 + i*rs + p*ps]
        float[][] panel = FLOAT_PANEL.get();
        float[] acc = new float[Math.min(NC, n)];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k || pc == 0; pc += KC) {               // k = 0 still writes the zeros
                int kc = Math.min(KC, k - pc), bBlock = b0 + pc * n + jc;
                for (int p = 0; p < kc; p++) System.arraycopy(b, bBlock + p * n, panel[p], 0, nc);
                for (int i = i0; i < i1; i++) {
                    int ci = c0 + i * n + jc;
                    if (pc == 0 && !accumulate) Arrays.fill(acc, 0, nc, 0f);
                    else System.arraycopy(c, ci, acc, 0, nc);
                    GemmRows.row(a, a0 + i * rs + pc * ps, ps, panel, acc, kc, nc);
                    System.arraycopy(acc, 0, c, ci, nc);
                }
            }
        }
    }

    /** F64 {@link #gemm(Parallel, float[], int, boolean, long, float[], int, boolean, long, float[], int, int, int, int)}. */
    static void gemm(Parallel par, double[] a, int aOff, boolean transA, long aStride,
                     double[] b, int bOff, boolean transB, long bStride, double[] c, int batch, int m, int n, int k) {
        gemm(par, a, aOff, transA, aStride, b, bOff, transB, bStride, c, 0, false, batch, m, n, k);
    }

    /**
     * Writes {@code [batch, m, n]} into {@code c} from index {@code cOff}, or adds it to what is there when
     * {@code accumulate} (beta 1).
     */
    static void gemm(Parallel par, double[] a, int aOff, boolean transA, long aStride,
                     double[] b, int bOff, boolean transB, long bStride, double[] c, int cOff, boolean accumulate,
                     int batch, int m, int n, int k) {
        if (batch == 0 || m == 0 || n == 0) return;
        double[] bb = b;
        int bBase = bOff;
        long bs = bStride;
        double[] scratch = null;
        if (transB && k > 0) {
            int distinct = bStride == 0 ? 1 : batch;
            int need = distinct * k * n;
            if (need <= SCRATCH_MAX) {                // taken out while in use, so a nested call cannot share it
                scratch = DOUBLE_SCRATCH.get();
                DOUBLE_SCRATCH.remove();
            }
            if (scratch == null || scratch.length < need) scratch = new double[need];
            for (int i = 0; i < distinct; i++) {
                DoubleKernels.transposeTiles(java.nio.DoubleBuffer.wrap(b), (int) (bOff + i * bStride), 1, k,
                        java.nio.DoubleBuffer.wrap(scratch), i * k * n, k, n);
            }
            bb = scratch;
            bBase = 0;
            bs = bStride == 0 ? 0 : (long) k * n;
        }
        double[] fb = bb;
        int fbBase = bBase;
        long fbs = bs;
        int rows = batch * m;
        int tasks = tasks(par, rows, (long) batch * m * n * k);
        par.forEach(tasks, t -> {
            for (int u = (int) ((long) rows * t / tasks), end = (int) ((long) rows * (t + 1) / tasks); u < end; ) {
                int bi = u / m, i0 = u % m, i1 = Math.min(m, i0 + end - u);
                block(a, (int) (aOff + bi * aStride), transA, fb, (int) (fbBase + bi * fbs), c, cOff + bi * m * n, accumulate,
                        i0, i1, m, n, k);
                u += i1 - i0;
            }
        });
        if (scratch != null && scratch.length <= SCRATCH_MAX) DOUBLE_SCRATCH.set(scratch);
    }

    private static void block(double[] a, int a0, boolean transA, double[] b, int b0, double[] c, int c0, boolean accumulate,
                              int i0, int i1, int m, int n, int k) {
        int rs = transA ? 1 : k, ps = transA ? m : 1;                // a(i, p) = a[a0 + i*rs + p*ps]
        double[][] panel = DOUBLE_PANEL.get();
        double[] acc = new double[Math.min(NC64, n)];
        for (int jc = 0; jc < n; jc += NC64) {
            int nc = Math.min(NC64, n - jc);
            for (int pc = 0; pc < k || pc == 0; pc += KC) {               // k = 0 still writes the zeros
                int kc = Math.min(KC, k - pc), bBlock = b0 + pc * n + jc;
                for (int p = 0; p < kc; p++) System.arraycopy(b, bBlock + p * n, panel[p], 0, nc);
                for (int i = i0; i < i1; i++) {
                    int ci = c0 + i * n + jc;
                    if (pc == 0 && !accumulate) Arrays.fill(acc, 0, nc, 0.0);
                    else System.arraycopy(c, ci, acc, 0, nc);
                    GemmRows.row(a, a0 + i * rs + pc * ps, ps, panel, acc, kc, nc);
                    System.arraycopy(acc, 0, c, ci, nc);
                }
            }
        }
    }

    /** One task (the caller's thread) for small products; otherwise about four per thread, for balance. */
    private static int tasks(Parallel par, int rows, long multiplyAdds) {
        if (par.threads() == 1 || multiplyAdds < PARALLEL_MIN || rows < 2) return 1;
        return Math.min(rows, par.threads() * 4);
    }
}
