package dev.recurrent.backend.cpu;

import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.UnaryOp;

import java.nio.FloatBuffer;

/**
 * The F32 inner loops behind {@link BufferKernels}: absolute get/put only, the op switched on outside
 * the loop. Transcendental functions are computed in double and rounded once (tanh through
 * {@link #tanh}, accurate to far better than a float ulp). {@link DoubleKernels} is the same file for
 * F64, with {@link Math#tanh}; keep the two in step.
 */
final class FloatKernels {
    private FloatKernels() { }

    /**
     * tanh accurate to about 1e-14 relative (ample before rounding to float) and several times faster
     * than {@link Math#tanh}, which HotSpot does not intrinsify: {@code 1 - 2/(e^{2|x|} + 1)} with the
     * sign restored, and its Taylor series below |x| = 1/16 where that form would cancel.
     */
    static double tanh(double x) {
        double ax = Math.abs(x);
        if (ax < 0x1p-4) {
            double x2 = x * x;                       // x - x^3/3 + 2x^5/15 - 17x^7/315 + 62x^9/2835
            return x + x * x2 * (-1.0 / 3 + x2 * (2.0 / 15 + x2 * (-17.0 / 315 + x2 * (62.0 / 2835))));
        }
        if (ax > 20) return Math.copySign(1.0, x);   // 1 - tanh(20) < 1e-17; also covers infinities
        return Math.copySign(1 - 2 / (Math.exp(2 * ax) + 1), x);
    }

    static void unary(UnaryOp op, FloatBuffer x, FloatBuffer out, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) out.put(i, -x.get(i)); }
            case EXP -> { for (int i = 0; i < n; i++) out.put(i, (float) Math.exp(x.get(i))); }
            case LOG -> { for (int i = 0; i < n; i++) out.put(i, (float) Math.log(x.get(i))); }
            case SQRT -> { for (int i = 0; i < n; i++) out.put(i, (float) Math.sqrt(x.get(i))); }
            case ABS -> { for (int i = 0; i < n; i++) out.put(i, Math.abs(x.get(i))); }
            case SIGN -> { for (int i = 0; i < n; i++) out.put(i, Math.signum(x.get(i))); }
            case TANH -> { for (int i = 0; i < n; i++) out.put(i, (float) tanh(x.get(i))); }
            case SIGMOID -> { for (int i = 0; i < n; i++) out.put(i, (float) DoubleKernels.sigmoid(x.get(i))); }
            case RELU -> { for (int i = 0; i < n; i++) { float v = x.get(i); out.put(i, v < 0 ? 0f : v); } }
            case STEP -> { for (int i = 0; i < n; i++) out.put(i, x.get(i) > 0 ? 1f : 0f); }
            default -> throw new IllegalArgumentException("unary: unsupported op " + op);
        }
    }

    static void scalar(ScalarOp op, FloatBuffer x, double s, FloatBuffer out, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) out.put(i, (float) (x.get(i) + s)); }
            case MUL -> { for (int i = 0; i < n; i++) out.put(i, (float) (x.get(i) * s)); }
            case POW -> { for (int i = 0; i < n; i++) out.put(i, (float) Math.pow(x.get(i), s)); }
            case MAX -> { for (int i = 0; i < n; i++) out.put(i, (float) Math.max(x.get(i), s)); }
            case MIN -> { for (int i = 0; i < n; i++) out.put(i, (float) Math.min(x.get(i), s)); }
            case RSUB -> { for (int i = 0; i < n; i++) out.put(i, (float) (s - x.get(i))); }
            case RDIV -> { for (int i = 0; i < n; i++) out.put(i, (float) (s / x.get(i))); }
            case GT -> { for (int i = 0; i < n; i++) out.put(i, x.get(i) > s ? 1f : 0f); }
            case GE -> { for (int i = 0; i < n; i++) out.put(i, x.get(i) >= s ? 1f : 0f); }
            case LT -> { for (int i = 0; i < n; i++) out.put(i, x.get(i) < s ? 1f : 0f); }
            case LE -> { for (int i = 0; i < n; i++) out.put(i, x.get(i) <= s ? 1f : 0f); }
            default -> throw new IllegalArgumentException("scalar: unsupported op " + op);
        }
    }

    /** One row: {@code out[o+j] = a[ia + j*sa] op b[ib + j*sb]} for j &lt; len (a stride may be 0). */
    static void binaryRow(BinaryOp op, FloatBuffer a, int ia, int sa, FloatBuffer b, int ib, int sb,
                          FloatBuffer out, int o, int len) {
        int end = o + len;
        switch (op) {
            case ADD -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) + b.get(ib)); }
            case SUB -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) - b.get(ib)); }
            case MUL -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) * b.get(ib)); }
            case DIV -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) / b.get(ib)); }
            case MAX -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, Math.max(a.get(ia), b.get(ib))); }
            case MIN -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, Math.min(a.get(ia), b.get(ib))); }
            case GT -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) > b.get(ib) ? 1f : 0f); }
            case GE -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) >= b.get(ib) ? 1f : 0f); }
            case LT -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) < b.get(ib) ? 1f : 0f); }
            case LE -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) <= b.get(ib) ? 1f : 0f); }
            case EQ -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) == b.get(ib) ? 1f : 0f); }
            default -> throw new IllegalArgumentException("binary: unsupported op " + op);
        }
    }

    /** One row: {@code out[o+j] = cond[ic + j*sc] != 0 ? a[ia + j*sa] : b[ib + j*sb]}. */
    static void whereRow(FloatBuffer cond, int ic, int sc, FloatBuffer a, int ia, int sa, FloatBuffer b, int ib, int sb,
                         FloatBuffer out, int o, int len) {
        for (int end = o + len; o < end; o++, ic += sc, ia += sa, ib += sb) {
            out.put(o, cond.get(ic) != 0 ? a.get(ia) : b.get(ib));
        }
    }

    /** {@code out[o, i] = op over j of x[o, j, i]}; SUM accumulates in double. */
    static void reduce(ReduceOp op, FloatBuffer x, int outer, int n, int inner, FloatBuffer out) {
        if (op == ReduceOp.SUM) {
            double[] acc = new double[inner];
            for (int o = 0; o < outer; o++) {
                int base = o * n * inner;
                if (inner == 1) {
                    double s = 0;
                    for (int j = 0; j < n; j++) s += x.get(base + j);
                    out.put(o, (float) s);
                    continue;
                }
                java.util.Arrays.fill(acc, 0);
                for (int j = 0, row = base; j < n; j++, row += inner) {
                    for (int i = 0; i < inner; i++) acc[i] += x.get(row + i);
                }
                for (int i = 0; i < inner; i++) out.put(o * inner + i, (float) acc[i]);
            }
            return;
        }
        boolean max = op == ReduceOp.MAX;
        if (!max && op != ReduceOp.MIN) throw new IllegalArgumentException("reduce: unsupported op " + op);
        float init = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner, dst = o * inner;
            for (int i = 0; i < inner; i++) out.put(dst + i, init);
            for (int j = 0, row = base; j < n; j++, row += inner) {
                if (max) {
                    for (int i = 0; i < inner; i++) out.put(dst + i, Math.max(out.get(dst + i), x.get(row + i)));
                } else {
                    for (int i = 0; i < inner; i++) out.put(dst + i, Math.min(out.get(dst + i), x.get(row + i)));
                }
            }
        }
    }

    /** {@code y[i] += alpha * x[i]}, computed in double. */
    static void axpy(double alpha, FloatBuffer x, FloatBuffer y, int n) {
        for (int i = 0; i < n; i++) y.put(i, (float) (y.get(i) + alpha * x.get(i)));
    }

    /** Copies one strided row: {@code out[o+j] = x[ix + j*sx]}. */
    static void gatherRow(FloatBuffer x, int ix, int sx, FloatBuffer out, int o, int len) {
        if (sx == 1) {
            out.put(o, x, ix, len);
            return;
        }
        for (int end = o + len; o < end; o++, ix += sx) out.put(o, x.get(ix));
    }

    /**
     * Tiled transpose: {@code out[i*cols + j] = x[xOff + i*sRow + j*sCol]} over {@code rows x cols}, in
     * 32 x 32 tiles so that reads and writes both stay within a few cache lines.
     */
    static void transposeTiles(FloatBuffer x, int xOff, int sRow, int sCol, FloatBuffer out, int oOff, int rows, int cols) {
        final int t = 32;
        for (int i0 = 0; i0 < rows; i0 += t) {
            int i1 = Math.min(rows, i0 + t);
            for (int j0 = 0; j0 < cols; j0 += t) {
                int j1 = Math.min(cols, j0 + t);
                for (int i = i0; i < i1; i++) {
                    int src = xOff + i * sRow + j0 * sCol, dst = oOff + i * cols;
                    for (int j = j0; j < j1; j++, src += sCol) out.put(dst + j, x.get(src));
                }
            }
        }
    }

    /** Adds {@code len} elements of {@code src} from {@code is} into {@code out} from {@code o}. */
    static void addRow(FloatBuffer src, int is, FloatBuffer out, int o, int len) {
        for (int end = o + len; o < end; o++, is++) out.put(o, out.get(o) + src.get(is));
    }

    static void fill(FloatBuffer out, int from, int n, float v) {
        for (int i = from, end = from + n; i < end; i++) out.put(i, v);
    }
}
