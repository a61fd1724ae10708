package dev.recurrent.backend.blas;

import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Storage;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** matmul through sgemm/dgemm/gemv against a naive triple loop, every transpose and stride combination. */
class GemmTest {
    private static final OpenBlasBackend BE = new OpenBlasBackend();

    /** Reference: {@code C_t = op(A_t)·op(B_t)} in double, with the layout of {@link dev.recurrent.core.backend.Backend#matmul}. */
    static double[] naive(double[] a, boolean ta, long as, double[] b, boolean tb, long bs, int batch, int m, int n, int k) {
        double[] c = new double[batch * m * n];
        for (int t = 0; t < batch; t++) {
            int ao = (int) (t * as), bo = (int) (t * bs);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double x = ta ? a[ao + p * m + i] : a[ao + i * k + p];
                        double y = tb ? b[bo + j * k + p] : b[bo + p * n + j];
                        s += x * y;
                    }
                    c[t * m * n + i * n + j] = s;
                }
            }
        }
        return c;
    }

    static double[] gaussian(Random r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextGaussian();
        return x;
    }

    static void check(DType dtype, boolean ta, boolean tb, boolean broadcastA, boolean broadcastB,
                      int batch, int m, int n, int k, long seed) {
        check(BE, dtype, ta, tb, broadcastA, broadcastB, batch, m, n, k, seed);
    }

    static void check(OpenBlasBackend be, DType dtype, boolean ta, boolean tb, boolean broadcastA, boolean broadcastB,
                      int batch, int m, int n, int k, long seed) {
        Random r = new Random(seed);
        long as = broadcastA ? 0 : (long) m * k, bs = broadcastB ? 0 : (long) k * n;
        double[] a = gaussian(r, (int) (as * (batch - 1)) + m * k);
        double[] b = gaussian(r, (int) (bs * (batch - 1)) + k * n);
        if (dtype == DType.F32) { // round the inputs so that the reference sees what sgemm sees
            for (int i = 0; i < a.length; i++) a[i] = (float) a[i];
            for (int i = 0; i < b.length; i++) b[i] = (float) b[i];
        }
        Storage sa = be.fromArray(dtype, a), sb = be.fromArray(dtype, b);
        Storage c = be.matmul(sa, ta, as, sb, tb, bs, batch, m, n, k);
        double[] want = naive(a, ta, as, b, tb, bs, batch, m, n, k);
        double[] got = be.toDoubleArray(c);
        assertEquals(dtype, c.dtype());
        assertEquals(want.length, got.length);
        double eps = dtype == DType.F32 ? 1e-6 : 1e-15;
        for (int i = 0; i < want.length; i++) {
            // |error| <= k·eps·Σ|a||b|, bounded here by k·eps·(k + 1)·(1 + |c|) for gaussian entries.
            double tol = 4 * eps * (k + 1) * Math.sqrt(k + 1) * (1 + Math.abs(want[i]));
            if (Math.abs(got[i] - want[i]) > tol) {
                fail(be.threads() + "-thread " + dtype + " matmul transA=" + ta + " transB=" + tb + " strides=" + as + "," + bs + " batch=" + batch
                        + " m=" + m + " n=" + n + " k=" + k + " seed=" + seed + ": element " + i + " is " + got[i]
                        + ", expected " + want[i]);
            }
        }
        sa.release();
        sb.release();
        c.release();
    }

    @Property(tries = 300, seed = "20240611")
    void smallProductsMatchTheReference(@ForAll boolean f64, @ForAll boolean ta, @ForAll boolean tb,
                                        @ForAll boolean broadcastA, @ForAll boolean broadcastB,
                                        @ForAll @IntRange(min = 1, max = 3) int batch,
                                        @ForAll @IntRange(min = 0, max = 9) int m, @ForAll @IntRange(min = 0, max = 9) int n,
                                        @ForAll @IntRange(min = 0, max = 9) int k, @ForAll long seed) {
        check(f64 ? DType.F64 : DType.F32, ta, tb, broadcastA, broadcastB, batch, m, n, k, seed);
    }

    /**
     * Products split into bands over three threads (every product big enough to split): bands of rows
     * (m >= n) and of columns, with the column bands' 16-aligned bounds uneven (n = 70: 16, 32, 22), every
     * transpose, broadcast operands and a batch.
     */
    @Test
    void splitProductsMatchTheReference() {
        OpenBlasBackend split = new OpenBlasBackend(3, 0);
        int[][] shapes = {{97, 40, 33}, {40, 70, 21}, {48, 48, 5}, {20, 17, 64}};
        long seed = 31;
        for (DType dtype : DType.values()) {
            for (int[] s : shapes) {
                for (int flags = 0; flags < 4; flags++) {
                    check(split, dtype, (flags & 1) != 0, (flags & 2) != 0, seed % 2 == 0, false, 2, s[0], s[1], s[2], seed++);
                }
            }
        }
    }

    /**
     * {@code matmulBias} split over three threads (every product big enough to split), each band filling its
     * own window of C with the bias before its product: bands of rows (m >= n) at even and odd sizes, bands of
     * columns with uneven bounds (n = 70: 16, 32, 22), every transpose; and k = 0, C the bias in every row.
     */
    @Test
    void splitProductsWithABiasMatchTheReference() {
        OpenBlasBackend split = new OpenBlasBackend(3, 0);
        int[][] shapes = {{97, 40, 33}, {96, 48, 7}, {40, 70, 21}, {20, 17, 64}, {33, 70, 0}, {70, 33, 0}};
        long seed = 53;
        for (DType dtype : DType.values()) {
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                for (int flags = 0; flags < 4; flags++) {
                    boolean ta = (flags & 1) != 0, tb = (flags & 2) != 0;
                    Random r = new Random(seed++);
                    double[] a = gaussian(r, m * k), b = gaussian(r, k * n), bias = gaussian(r, n);
                    if (dtype == DType.F32) {
                        for (double[] v : new double[][] {a, b, bias}) for (int i = 0; i < v.length; i++) v[i] = (float) v[i];
                    }
                    Storage sa = split.fromArray(dtype, a), sb = split.fromArray(dtype, b), sbias = split.fromArray(dtype, bias);
                    Storage c = split.matmulBias(sa, ta, sb, tb, sbias, m, n, k);
                    double[] want = naive(a, ta, 0, b, tb, 0, 1, m, n, k), got = split.toDoubleArray(c);
                    assertEquals(m * n, got.length);
                    double eps = dtype == DType.F32 ? 1e-6 : 1e-15;
                    for (int i = 0; i < want.length; i++) {
                        double w = want[i] + bias[i % n], tol = 4 * eps * (k + 2) * Math.sqrt(k + 2) * (1 + Math.abs(w));
                        if (Math.abs(got[i] - w) > tol) {
                            fail(dtype + " matmulBias transA=" + ta + " transB=" + tb + " m=" + m + " n=" + n + " k=" + k
                                    + ": element " + i + " (row " + i / n + ", column " + i % n + ") is " + got[i] + ", expected " + w);
                        }
                    }
                    for (Storage st : new Storage[] {sa, sb, sbias, c}) st.release();
                }
            }
        }
    }

    @Test
    void bandsAreAlignedAndCoverTheSide() {
        assertEquals(1, Gemm.parts(4, 20));                         // one band under 2·16
        assertEquals(3, Gemm.parts(3, 70));
        int[] bounds = {Gemm.bound(0, 3, 70), Gemm.bound(1, 3, 70), Gemm.bound(2, 3, 70), Gemm.bound(3, 3, 70)};
        assertArrayEquals(new int[] {0, 16, 48, 70}, bounds);
    }

    /** Shapes past OpenBLAS's blocking and threading thresholds, and the gemv paths (m == 1, n == 1). */
    @Test
    void largerProductsMatchTheReference() {
        int[][] shapes = {{67, 129, 33}, {1, 300, 257}, {300, 1, 257}, {128, 96, 1}, {1, 1, 500}, {200, 200, 200}};
        long seed = 7;
        for (DType dtype : DType.values()) {
            for (int[] s : shapes) {
                for (int flags = 0; flags < 4; flags++) {
                    check(dtype, (flags & 1) != 0, (flags & 2) != 0, false, seed % 2 == 0, 2, s[0], s[1], s[2], seed++);
                }
            }
        }
    }

    @Test
    void degenerateProductsAreZerosOrEmpty() {
        Storage a = BE.full(DType.F32, 0, 0), b = BE.full(DType.F32, 0, 0);
        assertArrayEquals(new float[12], BE.toFloatArray(BE.matmul(a, false, 0, b, false, 0, 2, 2, 3, 0)));
        assertEquals(0, BE.matmul(a, true, 0, b, true, 0, 3, 0, 4, 5).size());
    }

    @Test
    void axpyAddsAScaledVector() {
        for (DType dtype : DType.values()) {
            Storage x = BE.fromArray(dtype, new double[] {1, 2, 3}), y = BE.fromArray(dtype, new double[] {10, 20, 30});
            BE.axpy(-2, x, y);
            assertArrayEquals(new double[] {8, 16, 24}, BE.toDoubleArray(y));
            assertArrayEquals(new double[] {1, 2, 3}, BE.toDoubleArray(x));
        }
    }
}
