package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.UnaryOp;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * The non-matrix kernels of the {@link dev.recurrent.core.backend.Backend} contract, written once over
 * {@link FloatBuffer} (F32) and {@link DoubleBuffer} (F64) so that heap buffers (this backend) and direct,
 * off-heap buffers (the OpenBLAS backend) run the same code.
 *
 * <p>Conventions, for every method:
 * <ul>
 *   <li>Element {@code i} of a buffer is {@code buf.get(i)}: indices are absolute from 0, and a buffer's
 *       position, limit and mark are never read or changed (its limit must cover every index touched; a
 *       view of part of a larger block is made with {@link FloatBuffer#slice(int, int)}).</li>
 *   <li>Nothing is allocated for the result: the caller passes {@code out}, of the documented size, and
 *       the kernel writes every element of it (no need to clear it first).</li>
 *   <li>Arguments are assumed valid (core checks shapes, sizes and ids). A wrong size makes the buffer
 *       throw {@link IndexOutOfBoundsException}; memory is never written out of bounds.</li>
 *   <li>The elementwise kernels ({@link #unary}, {@link #scalar}, and {@link #binary} / {@link #where}
 *       with an input of the output's shape) may write in place: {@code out} may be that input. Every
 *       other kernel needs an {@code out} that shares no memory with its inputs.</li>
 *   <li>F32 results of transcendental functions, scalar ops and axpy are computed in double and rounded
 *       once; F32 sums accumulate in double. Sigmoid never overflows. Comparisons give 1 or 0; MAX and
 *       MIN propagate NaN; relu(NaN) is NaN; {@code where} takes {@code a} where cond is NaN.</li>
 *   <li>Thread-safe: no shared state (the scratch chunks that direct buffers are copied through are per
 *       thread). The kernels run on the calling thread.</li>
 * </ul>
 */
public final class BufferKernels {
    private static final int CHUNK = FloatKernels.CHUNK;

    private BufferKernels() { }

    // ---- memory -----------------------------------------------------------------------------------

    /** {@code out[0, n) = value} (rounded to float). */
    public static void fill(FloatBuffer out, int n, double value) { FloatKernels.fill(out, 0, n, (float) value); }

    /** {@code out[0, n) = value}. */
    public static void fill(DoubleBuffer out, int n, double value) { DoubleKernels.fill(out, 0, n, value); }

    /** {@code dst[0, n) = src[0, n)} (a bulk copy). */
    public static void copy(FloatBuffer src, FloatBuffer dst, int n) { dst.put(0, src, 0, n); }

    /** {@code dst[0, n) = src[0, n)} (a bulk copy). */
    public static void copy(DoubleBuffer src, DoubleBuffer dst, int n) { dst.put(0, src, 0, n); }

    /** {@code dst[0, n) = src[0, n)} widened to double (exact). */
    public static void convert(FloatBuffer src, DoubleBuffer dst, int n) {
        float[] s = FloatKernels.scratch()[0];
        double[] t = DoubleKernels.scratch()[3];
        for (int d = 0; d < n; d += CHUNK) {
            int m = Math.min(CHUNK, n - d);
            float[] x = FloatKernels.load(src, d, s, m);
            double[] z = DoubleKernels.target(dst, t);
            for (int j = 0, xo = FloatKernels.off(src, d, m), zo = DoubleKernels.off(dst, d, m); j < m; j++) z[zo + j] = x[xo + j];
            DoubleKernels.store(dst, d, z, m);
        }
    }

    /** {@code dst[0, n) = src[0, n)} rounded to float. */
    public static void convert(DoubleBuffer src, FloatBuffer dst, int n) {
        double[] s = DoubleKernels.scratch()[0];
        float[] t = FloatKernels.scratch()[3];
        for (int d = 0; d < n; d += CHUNK) {
            int m = Math.min(CHUNK, n - d);
            double[] x = DoubleKernels.load(src, d, s, m);
            float[] z = FloatKernels.target(dst, t);
            for (int j = 0, xo = DoubleKernels.off(src, d, m), zo = FloatKernels.off(dst, d, m); j < m; j++) z[zo + j] = (float) x[xo + j];
            FloatKernels.store(dst, d, z, m);
        }
    }

    /** {@code out[0, src.length) = src} rounded to float. */
    public static void fromArray(double[] src, FloatBuffer out) {
        float[] t = FloatKernels.scratch()[3];
        for (int d = 0, n = src.length; d < n; d += CHUNK) {
            int m = Math.min(CHUNK, n - d);
            float[] z = FloatKernels.target(out, t);
            for (int j = 0, zo = FloatKernels.off(out, d, m); j < m; j++) z[zo + j] = (float) src[d + j];
            FloatKernels.store(out, d, z, m);
        }
    }

    /** {@code out[0, src.length) = src} (a bulk copy). */
    public static void fromArray(double[] src, DoubleBuffer out) { out.put(0, src); }

    /** {@code out[0, src.length) = src} (a bulk copy). */
    public static void fromArray(float[] src, FloatBuffer out) { out.put(0, src); }

    /** {@code out[0, src.length) = src} widened to double. */
    public static void fromArray(float[] src, DoubleBuffer out) {
        double[] t = DoubleKernels.scratch()[3];
        for (int d = 0, n = src.length; d < n; d += CHUNK) {
            int m = Math.min(CHUNK, n - d);
            double[] z = DoubleKernels.target(out, t);
            for (int j = 0, zo = DoubleKernels.off(out, d, m); j < m; j++) z[zo + j] = src[d + j];
            DoubleKernels.store(out, d, z, m);
        }
    }

    /** A new array holding {@code x[0, n)} widened to double. */
    public static double[] toDoubleArray(FloatBuffer x, int n) {
        double[] r = new double[n];
        float[] s = FloatKernels.scratch()[0];
        for (int d = 0; d < n; d += CHUNK) {
            int m = Math.min(CHUNK, n - d);
            float[] v = FloatKernels.load(x, d, s, m);
            for (int j = 0, xo = FloatKernels.off(x, d, m); j < m; j++) r[d + j] = v[xo + j];
        }
        return r;
    }

    /** A new array holding {@code x[0, n)}. */
    public static double[] toDoubleArray(DoubleBuffer x, int n) {
        double[] r = new double[n];
        x.get(0, r);
        return r;
    }

    /** A new array holding {@code x[0, n)}. */
    public static float[] toFloatArray(FloatBuffer x, int n) {
        float[] r = new float[n];
        x.get(0, r);
        return r;
    }

    /** A new array holding {@code x[0, n)} rounded to float. */
    public static float[] toFloatArray(DoubleBuffer x, int n) {
        float[] r = new float[n];
        double[] s = DoubleKernels.scratch()[0];
        for (int d = 0; d < n; d += CHUNK) {
            int m = Math.min(CHUNK, n - d);
            double[] v = DoubleKernels.load(x, d, s, m);
            for (int j = 0, xo = DoubleKernels.off(x, d, m); j < m; j++) r[d + j] = (float) v[xo + j];
        }
        return r;
    }

    /** In place: {@code y[i] += alpha * x[i]} for i &lt; n. */
    public static void axpy(double alpha, FloatBuffer x, FloatBuffer y, int n) { FloatKernels.axpy(alpha, x, y, n); }

    /** In place: {@code y[i] += alpha * x[i]} for i &lt; n. */
    public static void axpy(double alpha, DoubleBuffer x, DoubleBuffer y, int n) { DoubleKernels.axpy(alpha, x, y, n); }

    // ---- elementwise ------------------------------------------------------------------------------

    /** {@code out[i] = op(x[i])} for i &lt; n. */
    public static void unary(UnaryOp op, FloatBuffer x, FloatBuffer out, int n) { FloatKernels.unary(op, x, out, n); }

    /** {@code out[i] = op(x[i])} for i &lt; n. */
    public static void unary(UnaryOp op, DoubleBuffer x, DoubleBuffer out, int n) { DoubleKernels.unary(op, x, out, n); }

    /** {@code out[i] = op(x[i], s)} for i &lt; n (see {@link ScalarOp}). */
    public static void scalar(ScalarOp op, FloatBuffer x, double s, FloatBuffer out, int n) { FloatKernels.scalar(op, x, s, out, n); }

    /** {@code out[i] = op(x[i], s)} for i &lt; n (see {@link ScalarOp}). */
    public static void scalar(ScalarOp op, DoubleBuffer x, double s, DoubleBuffer out, int n) { DoubleKernels.scalar(op, x, s, out, n); }

    /**
     * {@code out = a op b} with NumPy broadcasting: {@code a} of {@code aShape} and {@code b} of
     * {@code bShape} are broadcast to {@code outShape}; {@code out} holds {@code outShape.size()} elements.
     */
    public static void binary(BinaryOp op, FloatBuffer a, Shape aShape, FloatBuffer b, Shape bShape, FloatBuffer out, Shape outShape) {
        int n = outShape.size(), na = aShape.size(), nb = bShape.size();
        if (n == 0) return;
        if (na == 1 && nb == 1) {                                    // one value everywhere (expand: x + 0): once, then filled
            FloatKernels.binaryRow(op, a, 0, 0, b, 0, 0, out, 0, 1);
            FloatKernels.fill(out, 1, n - 1, out.get(0));
        } else if (na == n && (nb == n || nb == 1)) {                // equal shapes, or scalar b
            FloatKernels.binaryRow(op, a, 0, 1, b, 0, nb == n ? 1 : 0, out, 0, n);
        } else if (nb == n && na == 1) {                             // scalar a
            FloatKernels.binaryRow(op, a, 0, 0, b, 0, 1, out, 0, n);
        } else if (na == n && isSuffix(bShape, outShape)) {         // [B,H] op [H]: b repeats every nb
            for (int o = 0; o < n; o += nb) FloatKernels.binaryRow(op, a, o, 1, b, 0, 1, out, o, nb);
        } else if (nb == n && isSuffix(aShape, outShape)) {         // [H] op [B,H]
            for (int o = 0; o < n; o += na) FloatKernels.binaryRow(op, a, 0, 1, b, o, 1, out, o, na);
        } else {
            Walk w = Walk.broadcast(outShape, aShape, bShape);
            int len = w.length(), sa = w.step(0), sb = w.step(1);
            for (int r = 0, o = 0; r < w.rows(); r++, o += len) {
                FloatKernels.binaryRow(op, a, w.offset(0, r), sa, b, w.offset(1, r), sb, out, o, len);
            }
        }
    }

    /** F64 {@link #binary(BinaryOp, FloatBuffer, Shape, FloatBuffer, Shape, FloatBuffer, Shape)}. */
    public static void binary(BinaryOp op, DoubleBuffer a, Shape aShape, DoubleBuffer b, Shape bShape, DoubleBuffer out, Shape outShape) {
        int n = outShape.size(), na = aShape.size(), nb = bShape.size();
        if (n == 0) return;
        if (na == 1 && nb == 1) {
            DoubleKernels.binaryRow(op, a, 0, 0, b, 0, 0, out, 0, 1);
            DoubleKernels.fill(out, 1, n - 1, out.get(0));
        } else if (na == n && (nb == n || nb == 1)) {
            DoubleKernels.binaryRow(op, a, 0, 1, b, 0, nb == n ? 1 : 0, out, 0, n);
        } else if (nb == n && na == 1) {
            DoubleKernels.binaryRow(op, a, 0, 0, b, 0, 1, out, 0, n);
        } else if (na == n && isSuffix(bShape, outShape)) {
            for (int o = 0; o < n; o += nb) DoubleKernels.binaryRow(op, a, o, 1, b, 0, 1, out, o, nb);
        } else if (nb == n && isSuffix(aShape, outShape)) {
            for (int o = 0; o < n; o += na) DoubleKernels.binaryRow(op, a, 0, 1, b, o, 1, out, o, na);
        } else {
            Walk w = Walk.broadcast(outShape, aShape, bShape);
            int len = w.length(), sa = w.step(0), sb = w.step(1);
            for (int r = 0, o = 0; r < w.rows(); r++, o += len) {
                DoubleKernels.binaryRow(op, a, w.offset(0, r), sa, b, w.offset(1, r), sb, out, o, len);
            }
        }
    }

    /** {@code out = cond != 0 ? a : b}, all three broadcast to {@code outShape}. */
    public static void where(FloatBuffer cond, Shape condShape, FloatBuffer a, Shape aShape, FloatBuffer b, Shape bShape,
                             FloatBuffer out, Shape outShape) {
        int n = outShape.size(), nc = condShape.size(), na = aShape.size(), nb = bShape.size();
        if (n == 0) return;
        if ((nc == n || nc == 1) && (na == n || na == 1) && (nb == n || nb == 1)) {   // equal shapes or scalars
            FloatKernels.whereRow(cond, 0, nc == n ? 1 : 0, a, 0, na == n ? 1 : 0, b, 0, nb == n ? 1 : 0, out, 0, n);
            return;
        }
        Walk w = Walk.broadcast(outShape, condShape, aShape, bShape);
        int len = w.length(), sc = w.step(0), sa = w.step(1), sb = w.step(2);
        for (int r = 0, o = 0; r < w.rows(); r++, o += len) {
            FloatKernels.whereRow(cond, w.offset(0, r), sc, a, w.offset(1, r), sa, b, w.offset(2, r), sb, out, o, len);
        }
    }

    /** F64 {@link #where(FloatBuffer, Shape, FloatBuffer, Shape, FloatBuffer, Shape, FloatBuffer, Shape)}. */
    public static void where(DoubleBuffer cond, Shape condShape, DoubleBuffer a, Shape aShape, DoubleBuffer b, Shape bShape,
                             DoubleBuffer out, Shape outShape) {
        int n = outShape.size(), nc = condShape.size(), na = aShape.size(), nb = bShape.size();
        if (n == 0) return;
        if ((nc == n || nc == 1) && (na == n || na == 1) && (nb == n || nb == 1)) {   // equal shapes or scalars
            DoubleKernels.whereRow(cond, 0, nc == n ? 1 : 0, a, 0, na == n ? 1 : 0, b, 0, nb == n ? 1 : 0, out, 0, n);
            return;
        }
        Walk w = Walk.broadcast(outShape, condShape, aShape, bShape);
        int len = w.length(), sc = w.step(0), sa = w.step(1), sb = w.step(2);
        for (int r = 0, o = 0; r < w.rows(); r++, o += len) {
            DoubleKernels.whereRow(cond, w.offset(0, r), sc, a, w.offset(1, r), sa, b, w.offset(2, r), sb, out, o, len);
        }
    }

    // ---- reductions -------------------------------------------------------------------------------

    /**
     * {@code x} viewed as {@code [outer, n, inner]}; {@code out[o, i] = op over j of x[o, j, i]}, of
     * {@code outer * inner} elements. Over an empty axis (n = 0) SUM gives 0, MAX -inf and MIN +inf.
     */
    public static void reduce(ReduceOp op, FloatBuffer x, int outer, int n, int inner, FloatBuffer out) {
        FloatKernels.reduce(op, x, outer, n, inner, out);
    }

    /** F64 {@link #reduce(ReduceOp, FloatBuffer, int, int, int, FloatBuffer)}. */
    public static void reduce(ReduceOp op, DoubleBuffer x, int outer, int n, int inner, DoubleBuffer out) {
        DoubleKernels.reduce(op, x, outer, n, inner, out);
    }

    /** Elements per chunk of {@link #chunkSums} for a dtype: the chunks of {@link #reduce}'s sum of a long row. */
    public static int sumChunk(DType dtype) { return dtype == DType.F32 ? FloatKernels.CHUNK : DoubleKernels.CHUNK; }

    /**
     * The sums of chunks {@code [c0, c1)} of {@code x[0, n)} into {@code out[c]} (chunk c: elements from
     * {@code c·sumChunk(F32)}, the last one shorter), for a sum of all of x split over threads: added in order from
     * zero ({@link #addInOrder}), they are {@link #reduce}'s SUM of the row (outer 1, inner 1) to the bit.
     */
    public static void chunkSums(FloatBuffer x, int n, int c0, int c1, double[] out) { FloatKernels.chunkSums(x, n, c0, c1, out); }

    /** F64 {@link #chunkSums(FloatBuffer, int, int, int, double[])}. */
    public static void chunkSums(DoubleBuffer x, int n, int c0, int c1, double[] out) { DoubleKernels.chunkSums(x, n, c0, c1, out); }

    /** {@code ((0 + s[0]) + s[1]) + ...}: {@link #chunkSums}' results added as the reduce adds them. */
    public static double addInOrder(double[] s) {
        double sum = 0;
        for (double v : s) sum += v;
        return sum;
    }

    /**
     * {@link #reduce} SUM over the rows of {@code x:[rows, cols]} ({@code outer} 1), for columns
     * {@code [from, to)} only, into {@code out[from, to)}: to the bit the same sums, so that the columns can
     * be split over threads.
     */
    public static void columnSums(FloatBuffer x, int rows, int cols, int from, int to, FloatBuffer out) {
        FloatKernels.columnSums(x, rows, cols, from, to, out);
    }

    /** F64 {@link #columnSums(FloatBuffer, int, int, int, int, FloatBuffer)}. */
    public static void columnSums(DoubleBuffer x, int rows, int cols, int from, int to, DoubleBuffer out) {
        DoubleKernels.columnSums(x, rows, cols, from, to, out);
    }

    // ---- layout -----------------------------------------------------------------------------------

    /**
     * Permutes the axes of {@code x} (of {@code shape}): output axis i is input axis {@code perm[i]}.
     * Axes that stay adjacent move as one block; a transpose of the last two moved axes goes in tiles.
     */
    public static void permute(FloatBuffer x, Shape shape, int[] perm, FloatBuffer out) {
        if (shape.size() == 0) return;
        Walk w = Walk.permute(shape, perm);
        int len = w.length(), step = w.step(0);
        if (w.rank() >= 2 && step != 1) {
            int rows = w.dim(w.rank() - 2), sRow = w.stride(0, w.rank() - 2);
            for (int r = 0, o = 0; r < w.rows(); r += rows, o += rows * len) {
                FloatKernels.transposeTiles(x, w.offset(0, r), sRow, step, out, o, rows, len);
            }
        } else {
            for (int r = 0, o = 0; r < w.rows(); r++, o += len) FloatKernels.gatherRow(x, w.offset(0, r), step, out, o, len);
        }
    }

    /** F64 {@link #permute(FloatBuffer, Shape, int[], FloatBuffer)}. */
    public static void permute(DoubleBuffer x, Shape shape, int[] perm, DoubleBuffer out) {
        if (shape.size() == 0) return;
        Walk w = Walk.permute(shape, perm);
        int len = w.length(), step = w.step(0);
        if (w.rank() >= 2 && step != 1) {
            int rows = w.dim(w.rank() - 2), sRow = w.stride(0, w.rank() - 2);
            for (int r = 0, o = 0; r < w.rows(); r += rows, o += rows * len) {
                DoubleKernels.transposeTiles(x, w.offset(0, r), sRow, step, out, o, rows, len);
            }
        } else {
            for (int r = 0, o = 0; r < w.rows(); r++, o += len) DoubleKernels.gatherRow(x, w.offset(0, r), step, out, o, len);
        }
    }

    /** {@code x} viewed as {@code [outer, n, inner]}; {@code out = x[:, start:start+len, :]}, {@code [outer, len, inner]}. */
    public static void slice(FloatBuffer x, int outer, int n, int inner, int start, int len, FloatBuffer out) {
        int block = len * inner;
        for (int o = 0; o < outer; o++) out.put(o * block, x, (o * n + start) * inner, block);
    }

    /** F64 {@link #slice(FloatBuffer, int, int, int, int, int, FloatBuffer)}. */
    public static void slice(DoubleBuffer x, int outer, int n, int inner, int start, int len, DoubleBuffer out) {
        int block = len * inner;
        for (int o = 0; o < outer; o++) out.put(o * block, x, (o * n + start) * inner, block);
    }

    /** Concatenates {@code parts[p]}, viewed as {@code [outer, sizes[p], inner]}, along the middle axis. */
    public static void concat(FloatBuffer[] parts, int outer, int[] sizes, int inner, FloatBuffer out) {
        for (int o = 0, dst = 0; o < outer; o++) {
            for (int p = 0; p < parts.length; p++) {
                int block = sizes[p] * inner;
                out.put(dst, parts[p], o * block, block);
                dst += block;
            }
        }
    }

    /** F64 {@link #concat(FloatBuffer[], int, int[], int, FloatBuffer)}. */
    public static void concat(DoubleBuffer[] parts, int outer, int[] sizes, int inner, DoubleBuffer out) {
        for (int o = 0, dst = 0; o < outer; o++) {
            for (int p = 0; p < parts.length; p++) {
                int block = sizes[p] * inner;
                out.put(dst, parts[p], o * block, block);
                dst += block;
            }
        }
    }

    // ---- rows -------------------------------------------------------------------------------------

    /** {@code table} of {@code [rows, cols]}; {@code out} of {@code [ids.length, cols]} gets row i = table[ids[i]]. */
    public static void gatherRows(FloatBuffer table, int cols, int[] ids, FloatBuffer out) {
        for (int i = 0; i < ids.length; i++) out.put(i * cols, table, ids[i] * cols, cols);
    }

    /** F64 {@link #gatherRows(FloatBuffer, int, int[], FloatBuffer)}. */
    public static void gatherRows(DoubleBuffer table, int cols, int[] ids, DoubleBuffer out) {
        for (int i = 0; i < ids.length; i++) out.put(i * cols, table, ids[i] * cols, cols);
    }

    /** {@code src} of {@code [ids.length, cols]}; {@code out} of {@code [rows, cols]} becomes zeros plus src row i added to row ids[i]. */
    public static void scatterAddRows(FloatBuffer src, int cols, int[] ids, int rows, FloatBuffer out) {
        FloatKernels.fill(out, 0, rows * cols, 0f);
        for (int i = 0; i < ids.length; i++) FloatKernels.addRow(src, i * cols, out, ids[i] * cols, cols);
    }

    /** F64 {@link #scatterAddRows(FloatBuffer, int, int[], int, FloatBuffer)}. */
    public static void scatterAddRows(DoubleBuffer src, int cols, int[] ids, int rows, DoubleBuffer out) {
        DoubleKernels.fill(out, 0, rows * cols, 0.0);
        for (int i = 0; i < ids.length; i++) DoubleKernels.addRow(src, i * cols, out, ids[i] * cols, cols);
    }

    /** True when {@code s}, without its leading 1s, equals the trailing dimensions of {@code out}. */
    static boolean isSuffix(Shape s, Shape out) {
        int lead = 0;
        while (lead < s.rank() && s.dim(lead) == 1) lead++;
        int k = s.rank() - lead;
        if (k > out.rank()) return false;
        for (int i = 0; i < k; i++) {
            if (s.dim(lead + i) != out.dim(out.rank() - k + i)) return false;
        }
        return true;
    }
}
