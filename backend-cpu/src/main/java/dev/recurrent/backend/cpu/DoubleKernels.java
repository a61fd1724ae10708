package dev.recurrent.backend.cpu;

import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.UnaryOp;

import java.nio.DoubleBuffer;

/**
 * The F64 inner loops behind {@link BufferKernels}: absolute get/put only, the op switched on outside
 * the loop. The same loops as {@link FloatKernels} with double for float; keep the two in step.
 */
final class DoubleKernels {
    private DoubleKernels() { }

    /** 1 / (1 + e^-x) without overflow: for x &lt; 0 it is computed as e^x / (1 + e^x). */
    static double sigmoid(double x) {
        if (x >= 0) return 1 / (1 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1 + e);
    }

    static void unary(UnaryOp op, DoubleBuffer x, DoubleBuffer out, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) out.put(i, -x.get(i)); }
            case EXP -> { for (int i = 0; i < n; i++) out.put(i, Math.exp(x.get(i))); }
            case LOG -> { for (int i = 0; i < n; i++) out.put(i, Math.log(x.get(i))); }
            case SQRT -> { for (int i = 0; i < n; i++) out.put(i, Math.sqrt(x.get(i))); }
            case ABS -> { for (int i = 0; i < n; i++) out.put(i, Math.abs(x.get(i))); }
            case SIGN -> { for (int i = 0; i < n; i++) out.put(i, Math.signum(x.get(i))); }
            case TANH -> { for (int i = 0; i < n; i++) out.put(i, Math.tanh(x.get(i))); }
            case SIGMOID -> { for (int i = 0; i < n; i++) out.put(i, sigmoid(x.get(i))); }
            case RELU -> { for (int i = 0; i < n; i++) { double v = x.get(i); out.put(i, v < 0 ? 0.0 : v); } }
            case STEP -> { for (int i = 0; i < n; i++) out.put(i, x.get(i) > 0 ? 1.0 : 0.0); }
            default -> throw new IllegalArgumentException("unary: unsupported op " + op);
        }
    }

    static void scalar(ScalarOp op, DoubleBuffer x, double s, DoubleBuffer out, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) out.put(i, (x.get(i) + s)); }
            case MUL -> { for (int i = 0; i < n; i++) out.put(i, (x.get(i) * s)); }
            case POW -> { for (int i = 0; i < n; i++) out.put(i, Math.pow(x.get(i), s)); }
            case MAX -> { for (int i = 0; i < n; i++) out.put(i, Math.max(x.get(i), s)); }
            case MIN -> { for (int i = 0; i < n; i++) out.put(i, Math.min(x.get(i), s)); }
            case RSUB -> { for (int i = 0; i < n; i++) out.put(i, (s - x.get(i))); }
            case RDIV -> { for (int i = 0; i < n; i++) out.put(i, (s / x.get(i))); }
            case GT -> { for (int i = 0; i < n; i++) out.put(i, x.get(i) > s ? 1.0 : 0.0); }
            case GE -> { for (int i = 0; i < n; i++) out.put(i, x.get(i) >= s ? 1.0 : 0.0); }
            case LT -> { for (int i = 0; i < n; i++) out.put(i, x.get(i) < s ? 1.0 : 0.0); }
            case LE -> { for (int i = 0; i < n; i++) out.put(i, x.get(i) <= s ? 1.0 : 0.0); }
            default -> throw new IllegalArgumentException("scalar: unsupported op " + op);
        }
    }

    /** One row: {@code out[o+j] = a[ia + j*sa] op b[ib + j*sb]} for j &lt; len (a stride may be 0). */
    static void binaryRow(BinaryOp op, DoubleBuffer a, int ia, int sa, DoubleBuffer b, int ib, int sb,
                          DoubleBuffer out, int o, int len) {
        int end = o + len;
        switch (op) {
            case ADD -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) + b.get(ib)); }
            case SUB -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) - b.get(ib)); }
            case MUL -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) * b.get(ib)); }
            case DIV -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) / b.get(ib)); }
            case MAX -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, Math.max(a.get(ia), b.get(ib))); }
            case MIN -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, Math.min(a.get(ia), b.get(ib))); }
            case GT -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) > b.get(ib) ? 1.0 : 0.0); }
            case GE -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) >= b.get(ib) ? 1.0 : 0.0); }
            case LT -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) < b.get(ib) ? 1.0 : 0.0); }
            case LE -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) <= b.get(ib) ? 1.0 : 0.0); }
            case EQ -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) == b.get(ib) ? 1.0 : 0.0); }
            default -> throw new IllegalArgumentException("binary: unsupported op " + op);
        }
    }

    /** One row: {@code out[o+j] = cond[ic + j*sc] != 0 ? a[ia + j*sa] : b[ib + j*sb]}. */
    static void whereRow(DoubleBuffer cond, int ic, int sc, DoubleBuffer a, int ia, int sa, DoubleBuffer b, int ib, int sb,
                         DoubleBuffer out, int o, int len) {
        for (int end = o + len; o < end; o++, ic += sc, ia += sa, ib += sb) {
            out.put(o, cond.get(ic) != 0 ? a.get(ia) : b.get(ib));
        }
    }

    /** {@code out[o, i] = op over j of x[o, j, i]}; SUM accumulates in a separate array, row by row. */
    static void reduce(ReduceOp op, DoubleBuffer x, int outer, int n, int inner, DoubleBuffer out) {
        if (op == ReduceOp.SUM) {
            double[] acc = new double[inner];
            for (int o = 0; o < outer; o++) {
                int base = o * n * inner;
                if (inner == 1) {
                    double s = 0;
                    for (int j = 0; j < n; j++) s += x.get(base + j);
                    out.put(o, s);
                    continue;
                }
                java.util.Arrays.fill(acc, 0);
                for (int j = 0, row = base; j < n; j++, row += inner) {
                    for (int i = 0; i < inner; i++) acc[i] += x.get(row + i);
                }
                for (int i = 0; i < inner; i++) out.put(o * inner + i, acc[i]);
            }
            return;
        }
        boolean max = op == ReduceOp.MAX;
        if (!max && op != ReduceOp.MIN) throw new IllegalArgumentException("reduce: unsupported op " + op);
        double init = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
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

    /** {@code y[i] += alpha * x[i]}. */
    static void axpy(double alpha, DoubleBuffer x, DoubleBuffer y, int n) {
        for (int i = 0; i < n; i++) y.put(i, (y.get(i) + alpha * x.get(i)));
    }

    /** Copies one strided row: {@code out[o+j] = x[ix + j*sx]}. */
    static void gatherRow(DoubleBuffer x, int ix, int sx, DoubleBuffer out, int o, int len) {
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
    static void transposeTiles(DoubleBuffer x, int xOff, int sRow, int sCol, DoubleBuffer out, int oOff, int rows, int cols) {
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
    static void addRow(DoubleBuffer src, int is, DoubleBuffer out, int o, int len) {
        for (int end = o + len; o < end; o++, is++) out.put(o, out.get(o) + src.get(is));
    }

    static void fill(DoubleBuffer out, int from, int n, double v) {
        for (int i = from, end = from + n; i < end; i++) out.put(i, v);
    }
}
