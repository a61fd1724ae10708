package dev.recurrent.backend.cpu;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * One row-major matrix product on windows of buffers, the way {@link RecurrenceKernels} asks a backend
 * for its products: {@code C = op(A)·op(B)}, or {@code C += op(A)·op(B)} when {@code accumulate}
 * (BLAS's beta 1). A starts at element {@code aOff} of {@code a} and is stored {@code [m, k]}, or
 * {@code [k, m]} when {@code transA}; B at {@code bOff}, {@code [k, n]} or {@code [n, k]} when
 * {@code transB}; C is the compact {@code [m, n]} window from {@code cOff}. With {@code k = 0} C becomes
 * zeros (unchanged when accumulating). The buffers are the ones the backend handed to the kernel, so
 * an implementation may map them back to its own memory (a heap array, a native pointer) by identity.
 */
public interface BufferGemm {
    void gemm(FloatBuffer a, int aOff, boolean transA, FloatBuffer b, int bOff, boolean transB,
              FloatBuffer c, int cOff, boolean accumulate, int m, int n, int k);

    void gemm(DoubleBuffer a, int aOff, boolean transA, DoubleBuffer b, int bOff, boolean transB,
              DoubleBuffer c, int cOff, boolean accumulate, int m, int n, int k);

    /**
     * An instance for one batch slice of a whole-sequence kernel, which runs every step of its slice on its
     * own thread beside the other slices: single-threaded (the slices already use every core), with any
     * mutable state of its own, for the buffers this instance knows. Called on the kernel's caller before
     * the slices start; the lanes live for that kernel call. The default, this instance itself, suits an
     * implementation with no mutable state that runs each product on the caller's thread.
     */
    default BufferGemm lane() { return this; }
}
