package dev.recurrent.backend.cpu;

import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.UnaryOp;

import java.nio.DoubleBuffer;

/**
 * The F64 kernels behind {@link BufferKernels}: the same code as {@link FloatKernels} with double for
 * float (and {@link Math#tanh}); keep the two in step.
 */
final class DoubleKernels {
    private DoubleKernels() { }

    /** 1 / (1 + e^-x) without overflow: for x &lt; 0 it is computed as e^x / (1 + e^x). */
    static double sigmoid(double x) {
        if (x >= 0) return 1 / (1 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** Elements per bulk chunk: four scratch arrays of this many doubles stay within the L1 cache. */
    static final int CHUNK = 1024;
    /** Rows shorter than this keep the per-element loop (no thread-local look-up, no bulk copy). */
    static final int MIN_BULK = 16;
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[4][CHUNK]);

    /** This thread's four scratch chunks (inputs in 0-2, output in 3); callers must not nest their use. */
    static double[][] scratch() { return SCRATCH.get(); }

    // A chunk of a buffer as an array: the buffer's own array when it has one (no copy), else `s`, filled
    // in bulk. `off` is the array index of buffer elements [i, i+m) (0 in `s`), checked against the
    // buffer's limit. `store` writes back a chunk computed in `s`.

    static double[] load(DoubleBuffer b, int i, double[] s, int m) {
        if (b.hasArray()) return b.array();
        b.get(i, s, 0, m);
        return s;
    }

    static double[] target(DoubleBuffer b, double[] s) { return b.hasArray() ? b.array() : s; }

    static int off(DoubleBuffer b, int i, int m) {
        if (!b.hasArray()) return 0;
        java.util.Objects.checkFromIndexSize(i, m, b.limit());   // as the buffer would: never past its limit
        return b.arrayOffset() + i;
    }

    static void store(DoubleBuffer b, int i, double[] s, int m) {
        if (!b.hasArray()) b.put(i, s, 0, m);
    }

    static void unary(UnaryOp op, DoubleBuffer x, DoubleBuffer out, int n) {
        double[][] s = scratch();
        for (int d = 0; d < n; d += CHUNK) {
            int m = Math.min(CHUNK, n - d);
            double[] z = target(out, s[3]);
            DoubleLoops.unary(op, load(x, d, s[0], m), off(x, d, m), z, off(out, d, m), m);
            store(out, d, z, m);
        }
    }

    static void scalar(ScalarOp op, DoubleBuffer x, double v, DoubleBuffer out, int n) {
        double[][] s = scratch();
        for (int d = 0; d < n; d += CHUNK) {
            int m = Math.min(CHUNK, n - d);
            double[] z = target(out, s[3]);
            DoubleLoops.scalar(op, load(x, d, s[0], m), off(x, d, m), v, z, off(out, d, m), m);
            store(out, d, z, m);
        }
    }

    /**
     * One row: {@code out[o+j] = a[ia + j*sa] op b[ib + j*sb]} for j &lt; len (a stride may be 0). Strides
     * of 0 and 1 go through {@link DoubleLoops} in chunks (a stride-0 operand is spread over a scratch
     * chunk once); other strides, and short rows, keep the per-element loop.
     */
    static void binaryRow(BinaryOp op, DoubleBuffer a, int ia, int sa, DoubleBuffer b, int ib, int sb,
                          DoubleBuffer out, int o, int len) {
        if (len < MIN_BULK || (sa & ~1) != 0 || (sb & ~1) != 0) {
            binaryStrided(op, a, ia, sa, b, ib, sb, out, o, len);
            return;
        }
        if (sa == 0 && sb == 0) {
            fill(out, o, len, DoubleLoops.binary(op, a.get(ia), b.get(ib)));
            return;
        }
        double[][] s = scratch();
        if (sa == 0) java.util.Arrays.fill(s[0], 0, Math.min(CHUNK, len), a.get(ia));
        if (sb == 0) java.util.Arrays.fill(s[1], 0, Math.min(CHUNK, len), b.get(ib));
        for (int d = 0; d < len; d += CHUNK) {
            int m = Math.min(CHUNK, len - d);
            double[] x = sa == 0 ? s[0] : load(a, ia + d, s[0], m), y = sb == 0 ? s[1] : load(b, ib + d, s[1], m);
            double[] z = target(out, s[3]);
            DoubleLoops.binary(op, x, sa == 0 ? 0 : off(a, ia + d, m), y, sb == 0 ? 0 : off(b, ib + d, m), z, off(out, o + d, m), m);
            store(out, o + d, z, m);
        }
    }

    private static void binaryStrided(BinaryOp op, DoubleBuffer a, int ia, int sa, DoubleBuffer b, int ib, int sb,
                                      DoubleBuffer out, int o, int len) {
        int end = o + len;
        switch (op) {
            case ADD -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) + b.get(ib)); }
            case SUB -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) - b.get(ib)); }
            case MUL -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) * b.get(ib)); }
            case DIV -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) / b.get(ib)); }
            default -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, DoubleLoops.binary(op, a.get(ia), b.get(ib))); }
        }
    }

    /** One row: {@code out[o+j] = cond[ic + j*sc] != 0 ? a[ia + j*sa] : b[ib + j*sb]}; strides 0 and 1 in chunks. */
    static void whereRow(DoubleBuffer cond, int ic, int sc, DoubleBuffer a, int ia, int sa, DoubleBuffer b, int ib, int sb,
                         DoubleBuffer out, int o, int len) {
        if (len < MIN_BULK || ((sc | sa | sb) & ~1) != 0) {
            for (int end = o + len; o < end; o++, ic += sc, ia += sa, ib += sb) {
                out.put(o, cond.get(ic) != 0 ? a.get(ia) : b.get(ib));
            }
            return;
        }
        double[][] s = scratch();
        int first = Math.min(CHUNK, len);
        if (sc == 0) java.util.Arrays.fill(s[0], 0, first, cond.get(ic));
        if (sa == 0) java.util.Arrays.fill(s[1], 0, first, a.get(ia));
        if (sb == 0) java.util.Arrays.fill(s[2], 0, first, b.get(ib));
        for (int d = 0; d < len; d += CHUNK) {
            int m = Math.min(CHUNK, len - d);
            double[] c = sc == 0 ? s[0] : load(cond, ic + d, s[0], m);
            double[] x = sa == 0 ? s[1] : load(a, ia + d, s[1], m), y = sb == 0 ? s[2] : load(b, ib + d, s[2], m);
            double[] z = target(out, s[3]);
            DoubleLoops.where(c, sc == 0 ? 0 : off(cond, ic + d, m), x, sa == 0 ? 0 : off(a, ia + d, m),
                    y, sb == 0 ? 0 : off(b, ib + d, m), z, off(out, o + d, m), m);
            store(out, o + d, z, m);
        }
    }

    /**
     * The SUM of {@link #reduce} with {@code outer} 1, for columns {@code [from, to)} of {@code x:[rows, cols]}
     * only, into {@code out[from, to)}: each column added top to bottom in double, the same additions in
     * the same order, so columns split over threads give {@link #reduce}'s result to the bit.
     */
    static void columnSums(DoubleBuffer x, int rows, int cols, int from, int to, DoubleBuffer out) {
        columnSums(x, 1, rows, cols, from, to, out);
    }

    /**
     * The column sums of each of {@code outer} slabs {@code x[o]:[rows, cols]} into {@code out[o]:[cols]}, as
     * above: {@link #reduce}'s SUM where a row is too wide for whole rows per chunk.
     */
    private static void columnSums(DoubleBuffer x, int outer, int rows, int cols, int from, int to, DoubleBuffer out) {
        double[][] s = scratch();
        double[] acc = new double[Math.min(CHUNK, Math.max(0, to - from))];
        for (int o = 0, xo = 0, oo = 0; o < outer; o++, xo += rows * cols, oo += cols) {
            for (int c0 = from; c0 < to; c0 += CHUNK) {
                int m = Math.min(CHUNK, to - c0), r = 0;
                java.util.Arrays.fill(acc, 0);
                for (; r + 4 <= rows; r += 4) {
                    int i0 = xo + r * cols + c0, i1 = i0 + cols, i2 = i1 + cols, i3 = i2 + cols;
                    DoubleLoops.accumulate4(acc, 0, load(x, i0, s[0], m), off(x, i0, m), load(x, i1, s[1], m), off(x, i1, m),
                            load(x, i2, s[2], m), off(x, i2, m), load(x, i3, s[3], m), off(x, i3, m), m);
                }
                for (; r < rows; r++) {
                    int i = xo + r * cols + c0;
                    DoubleLoops.accumulate(acc, 0, load(x, i, s[0], m), off(x, i, m), m);
                }
                double[] z = target(out, s[3]);
                int zo = off(out, oo + c0, m);
                for (int q = 0; q < m; q++) z[zo + q] = acc[q];
                store(out, oo + c0, z, m);
            }
        }
    }

    /**
     * {@code out[o, i] = op over j of x[o, j, i]}; SUM accumulates in double, in the order j = 0, 1, ...
     * for every (o, i), so the result does not depend on the chunking. Rows of x are read in chunks of
     * whole rows where they fit; wider rows are summed by {@link #columnSums} (strips of columns, all rows).
     */
    static void reduce(ReduceOp op, DoubleBuffer x, int outer, int n, int inner, DoubleBuffer out) {
        boolean max = op == ReduceOp.MAX;
        if (!max && op != ReduceOp.MIN && op != ReduceOp.SUM) throw new IllegalArgumentException("reduce: unsupported op " + op);
        if (outer == 0 || inner == 0) return;
        double[][] s = scratch();
        if (op == ReduceOp.SUM && inner == 1) {
            sumRows(x, outer, n, out, s);
            return;
        }
        if (op == ReduceOp.SUM && inner * 4 > CHUNK) {  // rows too wide for whole rows per chunk: by column strips
            columnSums(x, outer, n, inner, 0, inner, out);
            return;
        }
        double[] acc = op == ReduceOp.SUM ? new double[inner] : null;
        double[] ext = op == ReduceOp.SUM ? null : new double[inner];
        int rowsPerChunk = Math.max(1, CHUNK / inner);
        for (int o = 0; o < outer; o++) {
            if (acc != null) java.util.Arrays.fill(acc, 0);
            else java.util.Arrays.fill(ext, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
            int base = o * n * inner;
            int j = 0;
            if (inner * 4 <= CHUNK) {                  // k whole rows per chunk
                for (; j < n; j += rowsPerChunk) {
                    int k = Math.min(rowsPerChunk, n - j), start = base + j * inner, r = 0;
                    double[] v = load(x, start, s[0], k * inner);
                    int vo = off(x, start, k * inner);
                    if (acc != null) {
                        for (; r + 4 <= k; r += 4, vo += 4 * inner) {
                            DoubleLoops.accumulate4(acc, 0, v, vo, v, vo + inner, v, vo + 2 * inner, v, vo + 3 * inner, inner);
                        }
                    }
                    for (; r < k; r++, vo += inner) {
                        if (acc != null) DoubleLoops.accumulate(acc, 0, v, vo, inner);
                        else DoubleLoops.extreme(max, ext, 0, v, vo, inner);
                    }
                }
            }
            if (inner * 4 > CHUNK) {                   // MIN, MAX (SUM went by column strips): row by row, in chunks
                for (int row = base; j < n; j++, row += inner) {
                    for (int i = 0; i < inner; i += CHUNK) {
                        int m = Math.min(CHUNK, inner - i);
                        DoubleLoops.extreme(max, ext, i, load(x, row + i, s[0], m), off(x, row + i, m), m);
                    }
                }
            }
            int dst = o * inner;
            if (ext != null) {
                out.put(dst, ext, 0, inner);
                continue;
            }
            for (int i = 0; i < inner; i += CHUNK) {
                int m = Math.min(CHUNK, inner - i);
                double[] z = target(out, s[3]);
                int zo = off(out, dst + i, m);
                for (int q = 0; q < m; q++) z[zo + q] = acc[i + q];
                store(out, dst + i, z, m);
            }
        }
    }

    // SUM with inner == 1: out[o] = x[o*n] + ... + x[o*n + n-1] in double, several short rows per chunk; a long row
    // in chunks of CHUNK from its start, each summed by the loops' sum (eight partial sums), added in order.
    /**
     * The sums of chunks {@code [c0, c1)} of the long row {@code x[0, n)} into {@code out[c]}, chunk c being elements
     * {@code [c·CHUNK, min(n, (c+1)·CHUNK))}, each summed as {@link #reduce} sums it (from zero, eight partial
     * sums): added to a running sum in order, they are the reduce's SUM of a row longer than CHUNK, to the bit.
     */
    static void chunkSums(DoubleBuffer x, int n, int c0, int c1, double[] out) {
        double[][] s = scratch();
        for (int c = c0; c < c1; c++) out[c] = chunkSum(x, c * CHUNK, Math.min(CHUNK, n - c * CHUNK), s[0]);
    }

    /** {@code x[i, i + m)} (m at most CHUNK) summed from zero by the loops' sum, through {@code scratch}. */
    private static double chunkSum(DoubleBuffer x, int i, int m, double[] scratch) {
        return DoubleLoops.sum(0, load(x, i, scratch, m), off(x, i, m), m);
    }

    private static void sumRows(DoubleBuffer x, int outer, int n, DoubleBuffer out, double[][] s) {
        if (n > CHUNK) {
            for (int o = 0, base = 0; o < outer; o++, base += n) {
                double sum = 0;
                for (int j = 0; j < n; j += CHUNK) sum += chunkSum(x, base + j, Math.min(CHUNK, n - j), s[0]);
                out.put(o, sum);
            }
            return;
        }
        int rowsPerChunk = n == 0 ? CHUNK : CHUNK / n;
        for (int o = 0; o < outer; o += rowsPerChunk) {
            int k = Math.min(rowsPerChunk, outer - o);
            double[] v = load(x, o * n, s[0], k * n);
            int vo = off(x, o * n, k * n);
            double[] z = target(out, s[3]);
            int zo = off(out, o, k);
            for (int r = 0; r < k; r++, vo += n) z[zo + r] = DoubleLoops.sum(0, v, vo, n);
            store(out, o, z, k);
        }
    }

    /** {@code y[i] += alpha * x[i]}, computed in double. */
    static void axpy(double alpha, DoubleBuffer x, DoubleBuffer y, int n) {
        double[][] s = scratch();
        for (int d = 0; d < n; d += CHUNK) {
            int m = Math.min(CHUNK, n - d);
            double[] v = load(y, d, s[3], m);
            DoubleLoops.axpy(alpha, load(x, d, s[0], m), off(x, d, m), v, off(y, d, m), m);
            store(y, d, v, m);
        }
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
        binaryRow(BinaryOp.ADD, out, o, 1, src, is, 1, out, o, len);
    }

    /** {@code out[from, from+n) = v}: {@link java.util.Arrays#fill} on a heap buffer, bulk puts of a filled chunk on a direct one. */
    static void fill(DoubleBuffer out, int from, int n, double v) {
        if (out.hasArray()) {
            int start = out.arrayOffset() + from;
            java.util.Arrays.fill(out.array(), start, start + n, v);
            return;
        }
        if (n < MIN_BULK) {
            for (int i = from, end = from + n; i < end; i++) out.put(i, v);
            return;
        }
        double[] s = scratch()[3];
        java.util.Arrays.fill(s, 0, Math.min(CHUNK, n), v);
        for (int d = 0; d < n; d += CHUNK) out.put(from + d, s, 0, Math.min(CHUNK, n - d));
    }
}
