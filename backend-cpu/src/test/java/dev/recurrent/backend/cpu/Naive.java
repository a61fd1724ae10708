package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reference implementations in double precision, written the obvious way (triple loops, one index
 * computed from scratch per element), plus test data and comparison helpers. Nothing here calls the
 * code under test.
 */
final class Naive {
    private Naive() { }

    // ---- data -------------------------------------------------------------------------------------

    /** Uniform in [-2, 2), or (half the time, per element) one of a few exact values so ties and zeros occur. */
    static double[] data(Random r, int n, DType dtype) {
        double[] small = {-1, -0.5, 0, 0.5, 1, 2};
        double[] x = new double[n];
        boolean discrete = r.nextBoolean();
        for (int i = 0; i < n; i++) x[i] = discrete && r.nextBoolean() ? small[r.nextInt(small.length)] : 4 * r.nextDouble() - 2;
        return representable(x, dtype);
    }

    /** Rounds every element to float for F32, so that the reference sees exactly what the backend holds. */
    static double[] representable(double[] x, DType dtype) {
        if (dtype == DType.F64) return x;
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) r[i] = (float) x[i];
        return r;
    }

    /** A random shape of rank in [minRank, maxRank] with dimensions in [1, maxDim]. */
    static int[] shape(Random r, int minRank, int maxRank, int maxDim) {
        int[] d = new int[minRank + r.nextInt(maxRank - minRank + 1)];
        for (int i = 0; i < d.length; i++) d[i] = 1 + r.nextInt(maxDim);
        return d;
    }

    /** A shape that broadcasts to {@code out}: some leading dimensions dropped, some others set to 1. */
    static int[] broadcastable(Random r, int[] out) {
        int drop = r.nextInt(out.length + 1);
        int[] d = new int[out.length - drop];
        for (int i = 0; i < d.length; i++) d[i] = r.nextInt(3) == 0 ? 1 : out[drop + i];
        return d;
    }

    static int size(int[] dims) {
        int n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    // ---- references -------------------------------------------------------------------------------

    /** Triple loop with the index rules of Backend.matmul written out per element. */
    static double[] matmul(double[] a, boolean transA, long aStride, double[] b, boolean transB, long bStride,
                           int batch, int m, int n, int k) {
        double[] c = new double[batch * m * n];
        for (int q = 0; q < batch; q++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double av = transA ? a[(int) (q * aStride) + p * m + i] : a[(int) (q * aStride) + i * k + p];
                        double bv = transB ? b[(int) (q * bStride) + j * k + p] : b[(int) (q * bStride) + p * n + j];
                        s += av * bv;
                    }
                    c[(q * m + i) * n + j] = s;
                }
            }
        }
        return c;
    }

    /** Element of {@code x} (of {@code dims}) that output multi-index {@code idx} (of rank ≥ dims) reads under broadcasting. */
    static int broadcastIndex(int[] idx, int[] dims) {
        int lead = idx.length - dims.length, flat = 0;
        for (int d = 0; d < dims.length; d++) flat = flat * dims[d] + (dims[d] == 1 ? 0 : idx[lead + d]);
        return flat;
    }

    /** Row-major multi-index of flat index {@code flat} in {@code dims}. */
    static int[] unravel(int flat, int[] dims) {
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = flat % dims[d];
            flat /= dims[d];
        }
        return idx;
    }

    static double[] zip(double[] a, int[] aDims, double[] b, int[] bDims, int[] outDims, DoubleBinaryOperator f) {
        double[] out = new double[size(outDims)];
        for (int o = 0; o < out.length; o++) {
            int[] idx = unravel(o, outDims);
            out[o] = f.applyAsDouble(a[broadcastIndex(idx, aDims)], b[broadcastIndex(idx, bDims)]);
        }
        return out;
    }

    static double[] where(double[] c, int[] cDims, double[] a, int[] aDims, double[] b, int[] bDims, int[] outDims) {
        double[] out = new double[size(outDims)];
        for (int o = 0; o < out.length; o++) {
            int[] idx = unravel(o, outDims);
            out[o] = c[broadcastIndex(idx, cDims)] != 0 ? a[broadcastIndex(idx, aDims)] : b[broadcastIndex(idx, bDims)];
        }
        return out;
    }

    /** Output axis i is input axis perm[i]: out[idx] = x[j] with j[perm[i]] = idx[i]. */
    static double[] permute(double[] x, int[] dims, int[] perm) {
        int[] outDims = new int[dims.length];
        for (int i = 0; i < dims.length; i++) outDims[i] = dims[perm[i]];
        double[] out = new double[x.length];
        for (int o = 0; o < out.length; o++) {
            int[] idx = unravel(o, outDims);
            int[] in = new int[dims.length];
            for (int i = 0; i < dims.length; i++) in[perm[i]] = idx[i];
            int flat = 0;
            for (int d = 0; d < dims.length; d++) flat = flat * dims[d] + in[d];
            out[o] = x[flat];
        }
        return out;
    }

    // ---- comparison -------------------------------------------------------------------------------

    /** Elementwise |expected - actual| ≤ atol + rtol·|expected|; NaN matches NaN, infinities match exactly. */
    static void assertClose(String what, double[] expected, double[] actual, double atol, double rtol) {
        if (expected.length != actual.length) fail(what + ": expected " + expected.length + " elements, got " + actual.length);
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a)
                    : Double.isInfinite(e) ? e == a
                    : Math.abs(e - a) <= atol + rtol * Math.abs(e);
            if (!ok) fail(what + ": element " + i + " expected " + e + " but was " + a + " (atol " + atol + ", rtol " + rtol + ")");
        }
    }

    static void assertExact(String what, double[] expected, double[] actual) { assertClose(what, expected, actual, 0, 0); }
}
