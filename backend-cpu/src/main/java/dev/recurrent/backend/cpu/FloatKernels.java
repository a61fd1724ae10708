package dev.recurrent.backend.cpu;

import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.UnaryOp;

import java.nio.FloatBuffer;

/**
 * The F32 kernels behind {@link BufferKernels}. Contiguous runs (and stride-0 operands) go through the
 * array loops of {@link FloatLoops}: on a heap buffer over its own array, on a direct buffer in chunks
 * of {@link #CHUNK} copied in and out with bulk absolute get/put into thread-local scratch arrays (a
 * loop of absolute get/put on a direct buffer is checked element by element and not vectorised). Other
 * strides keep per-element absolute get/put. Transcendental functions are computed in double and
 * rounded once (tanh through {@link #tanh}, accurate to far better than a float ulp). {@link DoubleKernels}
 * is the same file for F64, with {@link Math#tanh}; keep the two in step.
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

    /** Elements per bulk chunk: four scratch arrays of this many floats stay within the L1 cache. */
    static final int CHUNK = 1024;
    /** Rows shorter than this keep the per-element loop (no thread-local look-up, no bulk copy). */
    static final int MIN_BULK = 16;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][CHUNK]);

    /** This thread's four scratch chunks (inputs in 0-2, output in 3); callers must not nest their use. */
    static float[][] scratch() { return SCRATCH.get(); }

    // A chunk of a buffer as an array: the buffer's own array when it has one (no copy), else `s`, filled
    // in bulk. `off` is the array index of buffer elements [i, i+m) (0 in `s`), checked against the
    // buffer's limit. `store` writes back a chunk computed in `s`.

    static float[] load(FloatBuffer b, int i, float[] s, int m) {
        if (b.hasArray()) return b.array();
        b.get(i, s, 0, m);
        return s;
    }

    static float[] target(FloatBuffer b, float[] s) { return b.hasArray() ? b.array() : s; }

    static int off(FloatBuffer b, int i, int m) {
        if (!b.hasArray()) return 0;
        java.util.Objects.checkFromIndexSize(i, m, b.limit());   // as the buffer would: never past its limit
        return b.arrayOffset() + i;
    }

    static void store(FloatBuffer b, int i, float[] s, int m) {
        if (!b.hasArray()) b.put(i, s, 0, m);
    }

    static void unary(UnaryOp op, FloatBuffer x, FloatBuffer out, int n) {
        float[][] s = scratch();
        for (int d = 0; d < n; d += CHUNK) {
            int m = Math.min(CHUNK, n - d);
            float[] z = target(out, s[3]);
            FloatLoops.unary(op, load(x, d, s[0], m), off(x, d, m), z, off(out, d, m), m);
            store(out, d, z, m);
        }
    }

    static void scalar(ScalarOp op, FloatBuffer x, double v, FloatBuffer out, int n) {
        float[][] s = scratch();
        for (int d = 0; d < n; d += CHUNK) {
            int m = Math.min(CHUNK, n - d);
            float[] z = target(out, s[3]);
            FloatLoops.scalar(op, load(x, d, s[0], m), off(x, d, m), v, z, off(out, d, m), m);
            store(out, d, z, m);
        }
    }

    /**
     * One row: {@code out[o+j] = a[ia + j*sa] op b[ib + j*sb]} for j &lt; len (a stride may be 0). Strides
     * of 0 and 1 go through {@link FloatLoops} in chunks (a stride-0 operand is spread over a scratch
     * chunk once); other strides, and short rows, keep the per-element loop.
     */
    static void binaryRow(BinaryOp op, FloatBuffer a, int ia, int sa, FloatBuffer b, int ib, int sb,
                          FloatBuffer out, int o, int len) {
        if (len < MIN_BULK || (sa & ~1) != 0 || (sb & ~1) != 0) {
            binaryStrided(op, a, ia, sa, b, ib, sb, out, o, len);
            return;
        }
        if (sa == 0 && sb == 0) {
            fill(out, o, len, FloatLoops.binary(op, a.get(ia), b.get(ib)));
            return;
        }
        float[][] s = scratch();
        if (sa == 0) java.util.Arrays.fill(s[0], 0, Math.min(CHUNK, len), a.get(ia));
        if (sb == 0) java.util.Arrays.fill(s[1], 0, Math.min(CHUNK, len), b.get(ib));
        for (int d = 0; d < len; d += CHUNK) {
            int m = Math.min(CHUNK, len - d);
            float[] x = sa == 0 ? s[0] : load(a, ia + d, s[0], m), y = sb == 0 ? s[1] : load(b, ib + d, s[1], m);
            float[] z = target(out, s[3]);
            FloatLoops.binary(op, x, sa == 0 ? 0 : off(a, ia + d, m), y, sb == 0 ? 0 : off(b, ib + d, m), z, off(out, o + d, m), m);
            store(out, o + d, z, m);
        }
    }

    private static void binaryStrided(BinaryOp op, FloatBuffer a, int ia, int sa, FloatBuffer b, int ib, int sb,
                                      FloatBuffer out, int o, int len) {
        int end = o + len;
        switch (op) {
            case ADD -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) + b.get(ib)); }
            case SUB -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) - b.get(ib)); }
            case MUL -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) * b.get(ib)); }
            case DIV -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, a.get(ia) / b.get(ib)); }
            default -> { for (; o < end; o++, ia += sa, ib += sb) out.put(o, FloatLoops.binary(op, a.get(ia), b.get(ib))); }
        }
    }

    /** One row: {@code out[o+j] = cond[ic + j*sc] != 0 ? a[ia + j*sa] : b[ib + j*sb]}; strides 0 and 1 in chunks. */
    static void whereRow(FloatBuffer cond, int ic, int sc, FloatBuffer a, int ia, int sa, FloatBuffer b, int ib, int sb,
                         FloatBuffer out, int o, int len) {
        if (len < MIN_BULK || ((sc | sa | sb) & ~1) != 0) {
            for (int end = o + len; o < end; o++, ic += sc, ia += sa, ib += sb) {
                out.put(o, cond.get(ic) != 0 ? a.get(ia) : b.get(ib));
            }
            return;
        }
        float[][] s = scratch();
        int first = Math.min(CHUNK, len);
        if (sc == 0) java.util.Arrays.fill(s[0], 0, first, cond.get(ic));
        if (sa == 0) java.util.Arrays.fill(s[1], 0, first, a.get(ia));
        if (sb == 0) java.util.Arrays.fill(s[2], 0, first, b.get(ib));
        for (int d = 0; d < len; d += CHUNK) {
            int m = Math.min(CHUNK, len - d);
            float[] c = sc == 0 ? s[0] : load(cond, ic + d, s[0], m);
            float[] x = sa == 0 ? s[1] : load(a, ia + d, s[1], m), y = sb == 0 ? s[2] : load(b, ib + d, s[2], m);
            float[] z = target(out, s[3]);
            FloatLoops.where(c, sc == 0 ? 0 : off(cond, ic + d, m), x, sa == 0 ? 0 : off(a, ia + d, m),
                    y, sb == 0 ? 0 : off(b, ib + d, m), z, off(out, o + d, m), m);
            store(out, o + d, z, m);
        }
    }

    /**
     * The SUM of {@link #reduce} with {@code outer} 1, for columns {@code [from, to)} of {@code x:[rows, cols]}
     * only, into {@code out[from, to)}: each column added top to bottom in double, the same additions in
     * the same order, so columns split over threads give {@link #reduce}'s result to the bit.
     */
    static void columnSums(FloatBuffer x, int rows, int cols, int from, int to, FloatBuffer out) {
        columnSums(x, 1, rows, cols, from, to, out);
    }

    /**
     * The column sums of each of {@code outer} slabs {@code x[o]:[rows, cols]} into {@code out[o]:[cols]}, as
     * above: {@link #reduce}'s SUM where a row is too wide for whole rows per chunk.
     */
    private static void columnSums(FloatBuffer x, int outer, int rows, int cols, int from, int to, FloatBuffer out) {
        float[][] s = scratch();
        double[] acc = new double[Math.min(CHUNK, Math.max(0, to - from))];
        for (int o = 0, xo = 0, oo = 0; o < outer; o++, xo += rows * cols, oo += cols) {
            for (int c0 = from; c0 < to; c0 += CHUNK) {
                int m = Math.min(CHUNK, to - c0), r = 0;
                java.util.Arrays.fill(acc, 0);
                for (; r + 4 <= rows; r += 4) {
                    int i0 = xo + r * cols + c0, i1 = i0 + cols, i2 = i1 + cols, i3 = i2 + cols;
                    FloatLoops.accumulate4(acc, 0, load(x, i0, s[0], m), off(x, i0, m), load(x, i1, s[1], m), off(x, i1, m),
                            load(x, i2, s[2], m), off(x, i2, m), load(x, i3, s[3], m), off(x, i3, m), m);
                }
                for (; r < rows; r++) {
                    int i = xo + r * cols + c0;
                    FloatLoops.accumulate(acc, 0, load(x, i, s[0], m), off(x, i, m), m);
                }
                float[] z = target(out, s[3]);
                int zo = off(out, oo + c0, m);
                for (int q = 0; q < m; q++) z[zo + q] = (float) acc[q];
                store(out, oo + c0, z, m);
            }
        }
    }

    /**
     * {@code out[o, i] = op over j of x[o, j, i]}; SUM accumulates in double, in the order j = 0, 1, ...
     * for every (o, i), so the result does not depend on the chunking. Rows of x are read in chunks of
     * whole rows where they fit; wider rows are summed by {@link #columnSums} (strips of columns, all rows).
     */
    static void reduce(ReduceOp op, FloatBuffer x, int outer, int n, int inner, FloatBuffer out) {
        boolean max = op == ReduceOp.MAX;
        if (!max && op != ReduceOp.MIN && op != ReduceOp.SUM) throw new IllegalArgumentException("reduce: unsupported op " + op);
        if (outer == 0 || inner == 0) return;
        float[][] s = scratch();
        if (op == ReduceOp.SUM && inner == 1) {
            sumRows(x, outer, n, out, s);
            return;
        }
        if (op == ReduceOp.SUM && inner * 4 > CHUNK) {  // rows too wide for whole rows per chunk: by column strips
            columnSums(x, outer, n, inner, 0, inner, out);
            return;
        }
        double[] acc = op == ReduceOp.SUM ? new double[inner] : null;
        float[] ext = op == ReduceOp.SUM ? null : new float[inner];
        int rowsPerChunk = Math.max(1, CHUNK / inner);
        for (int o = 0; o < outer; o++) {
            if (acc != null) java.util.Arrays.fill(acc, 0);
            else java.util.Arrays.fill(ext, max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
            int base = o * n * inner;
            int j = 0;
            if (inner * 4 <= CHUNK) {                  // k whole rows per chunk
                for (; j < n; j += rowsPerChunk) {
                    int k = Math.min(rowsPerChunk, n - j), start = base + j * inner, r = 0;
                    float[] v = load(x, start, s[0], k * inner);
                    int vo = off(x, start, k * inner);
                    if (acc != null) {
                        for (; r + 4 <= k; r += 4, vo += 4 * inner) {
                            FloatLoops.accumulate4(acc, 0, v, vo, v, vo + inner, v, vo + 2 * inner, v, vo + 3 * inner, inner);
                        }
                    }
                    for (; r < k; r++, vo += inner) {
                        if (acc != null) FloatLoops.accumulate(acc, 0, v, vo, inner);
                        else FloatLoops.extreme(max, ext, 0, v, vo, inner);
                    }
                }
            }
            if (inner * 4 > CHUNK) {                   // MIN, MAX (SUM went by column strips): row by row, in chunks
                for (int row = base; j < n; j++, row += inner) {
                    for (int i = 0; i < inner; i += CHUNK) {
                        int m = Math.min(CHUNK, inner - i);
                        FloatLoops.extreme(max, ext, i, load(x, row + i, s[0], m), off(x, row + i, m), m);
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
                float[] z = target(out, s[3]);
                int zo = off(out, dst + i, m);
                for (int q = 0; q < m; q++) z[zo + q] = (float) acc[i + q];
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
    static void chunkSums(FloatBuffer x, int n, int c0, int c1, double[] out) {
        float[][] s = scratch();
        for (int c = c0; c < c1; c++) out[c] = chunkSum(x, c * CHUNK, Math.min(CHUNK, n - c * CHUNK), s[0]);
    }

    /** {@code x[i, i + m)} (m at most CHUNK) summed from zero by the loops' sum, through {@code scratch}. */
    private static double chunkSum(FloatBuffer x, int i, int m, float[] scratch) {
        return FloatLoops.sum(0, load(x, i, scratch, m), off(x, i, m), m);
    }

    private static void sumRows(FloatBuffer x, int outer, int n, FloatBuffer out, float[][] s) {
        if (n > CHUNK) {
            for (int o = 0, base = 0; o < outer; o++, base += n) {
                double sum = 0;
                for (int j = 0; j < n; j += CHUNK) sum += chunkSum(x, base + j, Math.min(CHUNK, n - j), s[0]);
                out.put(o, (float) sum);
            }
            return;
        }
        int rowsPerChunk = n == 0 ? CHUNK : CHUNK / n;
        for (int o = 0; o < outer; o += rowsPerChunk) {
            int k = Math.min(rowsPerChunk, outer - o);
            float[] v = load(x, o * n, s[0], k * n);
            int vo = off(x, o * n, k * n);
            float[] z = target(out, s[3]);
            int zo = off(out, o, k);
            for (int r = 0; r < k; r++, vo += n) z[zo + r] = (float) FloatLoops.sum(0, v, vo, n);
            store(out, o, z, k);
        }
    }

    /** {@code y[i] += alpha * x[i]}, computed in double. */
    static void axpy(double alpha, FloatBuffer x, FloatBuffer y, int n) {
        float[][] s = scratch();
        for (int d = 0; d < n; d += CHUNK) {
            int m = Math.min(CHUNK, n - d);
            float[] v = load(y, d, s[3], m);
            FloatLoops.axpy(alpha, load(x, d, s[0], m), off(x, d, m), v, off(y, d, m), m);
            store(y, d, v, m);
        }
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
        binaryRow(BinaryOp.ADD, out, o, 1, src, is, 1, out, o, len);
    }

    /** {@code out[from, from+n) = v}: {@link java.util.Arrays#fill} on a heap buffer, bulk puts of a filled chunk on a direct one. */
    static void fill(FloatBuffer out, int from, int n, float v) {
        if (out.hasArray()) {
            int start = out.arrayOffset() + from;
            java.util.Arrays.fill(out.array(), start, start + n, v);
            return;
        }
        if (n < MIN_BULK) {
            for (int i = from, end = from + n; i < end; i++) out.put(i, v);
            return;
        }
        float[] s = scratch()[3];
        java.util.Arrays.fill(s, 0, Math.min(CHUNK, n), v);
        for (int d = 0; d < n; d += CHUNK) out.put(from + d, s, 0, Math.min(CHUNK, n - d));
    }
}
