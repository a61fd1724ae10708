package dev.recurrent.backend.blas;

import dev.recurrent.backend.cpu.Crew;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemv;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

/**
 * One row-major product {@code C = op(A)·op(B)}, C of {@code [m, n]}, through the Pointer overloads of
 * cblas (JavaCPP's {@code float[]} overloads copy both arrays through JNI on every call). Operands are
 * addressed by element offsets into their storages; transposes are CBLAS flags, never copies.
 * Callers handle m, n or k of zero (BLAS rejects a leading dimension of 0).
 *
 * <p>Threads: OpenBLAS itself always runs on one thread (see {@link NativeBlas}); a big product is split
 * here into bands of C's rows or columns, one single-threaded call each, run side by side by a
 * {@link Crew} ({@link #f32(int, FloatPointer, long, boolean, FloatPointer, long, boolean, FloatPointer, long, boolean, int, int, int)}).
 * Every element of C is computed by one call over the whole of k, so the split changes no result beyond
 * what OpenBLAS's own kernel choice for a smaller band may.
 */
final class Gemm {
    private Gemm() { }

    static void f32(FloatPointer a, long aOff, boolean transA, FloatPointer b, long bOff, boolean transB,
                    FloatPointer c, long cOff, int m, int n, int k) {
        FloatPointer pa = at(a, aOff), pb = at(b, bOff), pc = at(c, cOff);
        if (n == 1) {
            // c[m] = op(A)·b, b a contiguous vector of k whether it is stored [k,1] or [1,k].
            // A is stored [m,k] (lda k) or, transposed, [k,m] (lda m).
            cblas_sgemv(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transA ? k : m, transA ? m : k,
                    1f, pa, transA ? m : k, pb, 1, 0f, pc, 1);
        } else if (m == 1) {
            // c[n] = op(B)ᵀ·a: B stored [k,n] (lda n) is used transposed; stored [n,k] (lda k) it is used as is.
            cblas_sgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans, transB ? n : k, transB ? k : n,
                    1f, pb, transB ? k : n, pa, 1, 0f, pc, 1);
        } else {
            // lda/ldb are the row lengths of A and B as stored; ldc = n.
            cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    m, n, k, 1f, pa, transA ? m : k, pb, transB ? k : n, 0f, pc, n);
        }
    }

    static void f64(DoublePointer a, long aOff, boolean transA, DoublePointer b, long bOff, boolean transB,
                    DoublePointer c, long cOff, int m, int n, int k) {
        DoublePointer pa = at(a, aOff), pb = at(b, bOff), pc = at(c, cOff);
        if (n == 1) {
            cblas_dgemv(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transA ? k : m, transA ? m : k,
                    1d, pa, transA ? m : k, pb, 1, 0d, pc, 1);
        } else if (m == 1) {
            cblas_dgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans, transB ? n : k, transB ? k : n,
                    1d, pb, transB ? k : n, pa, 1, 0d, pc, 1);
        } else {
            cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    m, n, k, 1d, pa, transA ? m : k, pb, transB ? k : n, 0d, pc, n);
        }
    }

    /** Columns of C per band are rounded to this (a whole number of vectors for OpenBLAS's kernels). */
    private static final int ALIGN = 16;

    /**
     * {@code C (=|+=) op(A)·op(B)} with m, n, k > 0, split over up to {@code threads} threads (the caller and
     * {@link Crew#shared}'s helpers) along the longer of C's sides; each band is one single-threaded
     * {@code cblas_sgemm} with the whole matrices' leading dimensions. Unsplit, not accumulating and without a prefill, it
     * is {@link #f32(FloatPointer, long, boolean, FloatPointer, long, boolean, FloatPointer, long, int, int, int)}.
     */
    static void f32(int threads, FloatPointer a, long aOff, boolean transA, FloatPointer b, long bOff, boolean transB,
                    FloatPointer c, long cOff, boolean accumulate, int m, int n, int k) {
        f32(threads, a, aOff, transA, b, bOff, transB, c, cOff, accumulate, m, n, k, null);
    }

    /**
     * What a band does to its window of C before its product accumulates into it ({@code C[row0 + i, col0 + j]}
     * for i &lt; rows, j &lt; cols, C's rows {@code n} long): run on the band's thread, so that the window is
     * written by the core that then reads it, and the writes are split like the product.
     */
    interface Prefill { void window(long row0, int rows, int col0, int cols); }

    /**
     * {@link #f32(int, FloatPointer, long, boolean, FloatPointer, long, boolean, FloatPointer, long, boolean, int, int, int)}
     * with, when {@code prefill} is not null, each band first filling its window of C (and the product then
     * accumulated onto it, whatever {@code accumulate} says).
     */
    static void f32(int threads, FloatPointer a, long aOff, boolean transA, FloatPointer b, long bOff, boolean transB,
                    FloatPointer c, long cOff, boolean accumulate, int m, int n, int k, Prefill prefill) {
        int parts = parts(threads, Math.max(m, n));
        if (parts == 1 && !accumulate && prefill == null) {
            f32(a, aOff, transA, b, bOff, transB, c, cOff, m, n, k);
            return;
        }
        int lda = transA ? m : k, ldb = transB ? k : n;
        float beta = accumulate || prefill != null ? 1f : 0f;
        Crew.shared(threads).run(parts, p -> {
            Band w = Band.of(p, parts, aOff, transA, bOff, transB, cOff, m, n, k);
            if (w != null) {
                if (prefill != null) prefill.window((w.c - cOff) / n, w.m, (int) ((w.c - cOff) % n), w.n);
                cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                        w.m, w.n, k, 1f, view(a, w.a), lda, view(b, w.b), ldb, beta, view(c, w.c), n);
            }
        });
    }

    /** F64 {@link #f32(int, FloatPointer, long, boolean, FloatPointer, long, boolean, FloatPointer, long, boolean, int, int, int)}. */
    static void f64(int threads, DoublePointer a, long aOff, boolean transA, DoublePointer b, long bOff, boolean transB,
                    DoublePointer c, long cOff, boolean accumulate, int m, int n, int k) {
        f64(threads, a, aOff, transA, b, bOff, transB, c, cOff, accumulate, m, n, k, null);
    }

    static void f64(int threads, DoublePointer a, long aOff, boolean transA, DoublePointer b, long bOff, boolean transB,
                    DoublePointer c, long cOff, boolean accumulate, int m, int n, int k, Prefill prefill) {
        int parts = parts(threads, Math.max(m, n));
        if (parts == 1 && !accumulate && prefill == null) {
            f64(a, aOff, transA, b, bOff, transB, c, cOff, m, n, k);
            return;
        }
        int lda = transA ? m : k, ldb = transB ? k : n;
        double beta = accumulate || prefill != null ? 1d : 0d;
        Crew.shared(threads).run(parts, p -> {
            Band w = Band.of(p, parts, aOff, transA, bOff, transB, cOff, m, n, k);
            if (w != null) {
                if (prefill != null) prefill.window((w.c - cOff) / n, w.m, (int) ((w.c - cOff) % n), w.n);
                cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                        w.m, w.n, k, 1d, view(a, w.a), lda, view(b, w.b), ldb, beta, view(c, w.c), n);
            }
        });
    }

    /** Band p of a product split along the longer of C's sides: where its A, B and C windows start, and its size. */
    private record Band(long a, long b, long c, int m, int n) {
        /** Null for an empty band. */
        static Band of(int p, int parts, long aOff, boolean transA, long bOff, boolean transB, long cOff, int m, int n, int k) {
            boolean rows = m >= n;
            int from = bound(p, parts, rows ? m : n), to = bound(p + 1, parts, rows ? m : n);
            if (to == from) return null;
            // A band of C's rows reads the same rows of op(A) (row i of A, or column i of a transposed A);
            // a band of columns the same columns of op(B).
            if (rows) return new Band(aOff + (transA ? from : (long) from * k), bOff, cOff + (long) from * n, to - from, n);
            return new Band(aOff, bOff + (transB ? (long) from * k : from), cOff + from, m, to - from);
        }
    }

    /** Bands for a side of {@code len}: at most {@code threads}, each at least {@link #ALIGN} long. */
    static int parts(int threads, int len) {
        return Math.max(1, Math.min(threads, len / ALIGN));
    }

    /** The start of band {@code p} of {@code parts} over {@code len}, the nearest multiple of {@link #ALIGN} (but the end). */
    static int bound(int p, int parts, int len) {
        if (p >= parts) return len;
        return (int) (((long) len * p / parts + ALIGN / 2) / ALIGN * ALIGN);
    }

    /** A fresh view {@code off} elements past {@code p}'s position (each band its own: views are mutable). */
    private static FloatPointer view(FloatPointer p, long off) { return new FloatPointer(p).position(p.position() + off); }

    private static DoublePointer view(DoublePointer p, long off) { return new DoublePointer(p).position(p.position() + off); }

    /** A non-owning view {@code off} elements into {@code p} (the storage's own pointer is never moved: it is shared). */
    private static FloatPointer at(FloatPointer p, long off) { return off == 0 ? p : p.getPointer(off); }

    private static DoublePointer at(DoublePointer p, long off) { return off == 0 ? p : p.getPointer(off); }
}
