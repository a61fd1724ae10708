package dev.recurrent.backend.cpu;

import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.UnaryOp;

/**
 * The F64 elementwise loops over plain arrays, {@code m} elements from the given offsets: simple counted
 * loops, which C2 (JDK 17) unrolls and vectorises when every array in the loop is indexed at the same offset
 * (it never does for loops over a direct {@code DoubleBuffer}). {@link #binary} makes sure of that; the
 * loops that convert to double on the way (scalar, axpy, sums, transcendentals) stay scalar in C2 17 anyway.
 * {@link FloatKernels} feeds them either the buffers' own arrays or chunks copied in bulk. Every
 * expression is the one the per-element buffer loop computes, so results are bit-for-bit the same.
 * {@link FloatLoops} is the same file for F32; keep the two in step.
 */
final class DoubleLoops {
    private DoubleLoops() { }

    /** Elements per rebased chunk, and this thread's three chunks for operands at different offsets (see {@link #binary}). */
    private static final int REBASE_CHUNK = 1024;
    private static final ThreadLocal<double[][]> REBASED = ThreadLocal.withInitial(() -> new double[3][REBASE_CHUNK]);

    /** The value of one element of {@link #binary}. */
    static double binary(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case GT -> x > y ? 1.0 : 0.0;
            case GE -> x >= y ? 1.0 : 0.0;
            case LT -> x < y ? 1.0 : 0.0;
            case LE -> x <= y ? 1.0 : 0.0;
            case EQ -> x == y ? 1.0 : 0.0;
        };
    }

    /**
     * {@code z[zo+j] = x[xo+j] op y[yo+j]} for j &lt; m; z must not overlap x or y at another offset. C2 (JDK 17)
     * vectorises a loop only when all its arrays are indexed alike, so with one offset the loop runs on the
     * arrays themselves and otherwise on copies at offset 0 in this thread's scratch: three bulk copies cost
     * less than the scalar loop (F32, 1024 elements, one thread: 0.91 ns an element before, now 0.07 at one
     * offset and 0.21 at three).
     */
    static void binary(BinaryOp op, double[] x, int xo, double[] y, int yo, double[] z, int zo, int m) {
        if (xo == zo && yo == zo) {
            binary(op, x, y, z, zo, zo + m);
            return;
        }
        double[][] s = REBASED.get();
        for (int d = 0; d < m; d += REBASE_CHUNK) {
            int n = Math.min(REBASE_CHUNK, m - d);
            System.arraycopy(x, xo + d, s[0], 0, n);
            System.arraycopy(y, yo + d, s[1], 0, n);
            binary(op, s[0], s[1], s[2], 0, n);
            System.arraycopy(s[2], 0, z, zo + d, n);
        }
    }

    /** {@code z[j] = x[j] op y[j]} for j in [from, to). */
    private static void binary(BinaryOp op, double[] x, double[] y, double[] z, int from, int to) {
        switch (op) {
            case ADD -> { for (int j = from; j < to; j++) z[j] = x[j] + y[j]; }
            case SUB -> { for (int j = from; j < to; j++) z[j] = x[j] - y[j]; }
            case MUL -> { for (int j = from; j < to; j++) z[j] = x[j] * y[j]; }
            case DIV -> { for (int j = from; j < to; j++) z[j] = x[j] / y[j]; }
            case MAX -> { for (int j = from; j < to; j++) z[j] = Math.max(x[j], y[j]); }
            case MIN -> { for (int j = from; j < to; j++) z[j] = Math.min(x[j], y[j]); }
            case GT -> { for (int j = from; j < to; j++) z[j] = x[j] > y[j] ? 1.0 : 0.0; }
            case GE -> { for (int j = from; j < to; j++) z[j] = x[j] >= y[j] ? 1.0 : 0.0; }
            case LT -> { for (int j = from; j < to; j++) z[j] = x[j] < y[j] ? 1.0 : 0.0; }
            case LE -> { for (int j = from; j < to; j++) z[j] = x[j] <= y[j] ? 1.0 : 0.0; }
            case EQ -> { for (int j = from; j < to; j++) z[j] = x[j] == y[j] ? 1.0 : 0.0; }
            default -> throw new IllegalArgumentException("binary: unsupported op " + op);
        }
    }

    /** {@code z[zo+j] = op(x[xo+j])} for j &lt; m. */
    static void unary(UnaryOp op, double[] x, int xo, double[] z, int zo, int m) {
        switch (op) {
            case NEG -> { for (int j = 0; j < m; j++) z[zo + j] = -x[xo + j]; }
            case EXP -> { for (int j = 0; j < m; j++) z[zo + j] = Math.exp(x[xo + j]); }
            case LOG -> { for (int j = 0; j < m; j++) z[zo + j] = Math.log(x[xo + j]); }
            case SQRT -> { for (int j = 0; j < m; j++) z[zo + j] = Math.sqrt(x[xo + j]); }
            case ABS -> { for (int j = 0; j < m; j++) z[zo + j] = Math.abs(x[xo + j]); }
            case SIGN -> { for (int j = 0; j < m; j++) z[zo + j] = Math.signum(x[xo + j]); }
            case TANH -> { for (int j = 0; j < m; j++) z[zo + j] = Math.tanh(x[xo + j]); }
            case SIGMOID -> { for (int j = 0; j < m; j++) z[zo + j] = DoubleKernels.sigmoid(x[xo + j]); }
            case RELU -> { for (int j = 0; j < m; j++) { double v = x[xo + j]; z[zo + j] = v < 0 ? 0.0 : v; } }
            case STEP -> { for (int j = 0; j < m; j++) z[zo + j] = x[xo + j] > 0 ? 1.0 : 0.0; }
            default -> throw new IllegalArgumentException("unary: unsupported op " + op);
        }
    }

    /** {@code z[zo+j] = op(x[xo+j], s)} for j &lt; m. */
    static void scalar(ScalarOp op, double[] x, int xo, double s, double[] z, int zo, int m) {
        switch (op) {
            case ADD -> { for (int j = 0; j < m; j++) z[zo + j] = (x[xo + j] + s); }
            case MUL -> { for (int j = 0; j < m; j++) z[zo + j] = (x[xo + j] * s); }
            case POW -> { for (int j = 0; j < m; j++) z[zo + j] = Math.pow(x[xo + j], s); }
            case MAX -> { for (int j = 0; j < m; j++) z[zo + j] = Math.max(x[xo + j], s); }
            case MIN -> { for (int j = 0; j < m; j++) z[zo + j] = Math.min(x[xo + j], s); }
            case RSUB -> { for (int j = 0; j < m; j++) z[zo + j] = (s - x[xo + j]); }
            case RDIV -> { for (int j = 0; j < m; j++) z[zo + j] = (s / x[xo + j]); }
            case GT -> { for (int j = 0; j < m; j++) z[zo + j] = x[xo + j] > s ? 1.0 : 0.0; }
            case GE -> { for (int j = 0; j < m; j++) z[zo + j] = x[xo + j] >= s ? 1.0 : 0.0; }
            case LT -> { for (int j = 0; j < m; j++) z[zo + j] = x[xo + j] < s ? 1.0 : 0.0; }
            case LE -> { for (int j = 0; j < m; j++) z[zo + j] = x[xo + j] <= s ? 1.0 : 0.0; }
            default -> throw new IllegalArgumentException("scalar: unsupported op " + op);
        }
    }

    /** {@code z[zo+j] = c[co+j] != 0 ? x[xo+j] : y[yo+j]} for j &lt; m. */
    static void where(double[] c, int co, double[] x, int xo, double[] y, int yo, double[] z, int zo, int m) {
        for (int j = 0; j < m; j++) z[zo + j] = c[co + j] != 0 ? x[xo + j] : y[yo + j];
    }

    /** {@code acc[ao+j] += x[xo+j]} for j &lt; m. */
    static void accumulate(double[] acc, int ao, double[] x, int xo, int m) {
        for (int j = 0; j < m; j++) acc[ao + j] += x[xo + j];
    }

    /**
     * Four rows at once: {@code acc[ao+j] = acc[ao+j] + x0[o0+j] + x1[o1+j] + x2[o2+j] + x3[o3+j]} for
     * j &lt; m, added left to right (as four calls of {@link #accumulate} would) with one load and store of
     * {@code acc}.
     */
    static void accumulate4(double[] acc, int ao, double[] x0, int o0, double[] x1, int o1, double[] x2, int o2, double[] x3, int o3, int m) {
        for (int j = 0; j < m; j++) acc[ao + j] = acc[ao + j] + x0[o0 + j] + x1[o1 + j] + x2[o2 + j] + x3[o3 + j];
    }

    /**
     * {@code s + (x[xo] + ... + x[xo+m-1])}: element j goes into partial sum j mod 8 (the last m mod 8 into
     * partial 0), each added in order, and the eight are added pairwise, then to s. Eight independent chains
     * rather than one: a single chain waits for each addition before the next (the loss's sum of a W1 LSTM
     * output, 409,600 elements, is latency-bound), and the partial sums round no worse than it.
     */
    static double sum(double s, double[] x, int xo, int m) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        int j = 0, o = xo;
        for (; j + 8 <= m; j += 8, o += 8) {
            a0 += x[o];
            a1 += x[o + 1];
            a2 += x[o + 2];
            a3 += x[o + 3];
            a4 += x[o + 4];
            a5 += x[o + 5];
            a6 += x[o + 6];
            a7 += x[o + 7];
        }
        for (; j < m; j++, o++) a0 += x[o];
        return s + (((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
    }

    /** {@code acc[ao+j] = max (or min) of acc[ao+j] and x[xo+j]} for j &lt; m. */
    static void extreme(boolean max, double[] acc, int ao, double[] x, int xo, int m) {
        if (max) {
            for (int j = 0; j < m; j++) acc[ao + j] = Math.max(acc[ao + j], x[xo + j]);
        } else {
            for (int j = 0; j < m; j++) acc[ao + j] = Math.min(acc[ao + j], x[xo + j]);
        }
    }

    /** {@code y[yo+j] = y[yo+j] + alpha * x[xo+j]} for j &lt; m. */
    static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int m) {
        for (int j = 0; j < m; j++) y[yo + j] = (y[yo + j] + alpha * x[xo + j]);
    }
}
