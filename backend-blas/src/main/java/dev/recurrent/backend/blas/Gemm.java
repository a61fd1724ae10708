package dev.recurrent.backend.blas;

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

    /** A non-owning view {@code off} elements into {@code p} (the storage's own pointer is never moved: it is shared). */
    private static FloatPointer at(FloatPointer p, long off) { return off == 0 ? p : p.getPointer(off); }

    private static DoublePointer at(DoublePointer p, long off) { return off == 0 ? p : p.getPointer(off); }
}
