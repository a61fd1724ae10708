package dev.recurrent.backend.cpu;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/** {@link BufferGemm} on heap buffers (the {@code java} backend's storages), through {@link Gemm} on their arrays. */
final class HeapGemm implements BufferGemm {
    private final Parallel parallel;

    HeapGemm(Parallel parallel) { this.parallel = parallel; }

    private static final HeapGemm SINGLE = new HeapGemm(new Parallel(1));

    /** Stateless: one shared single-threaded instance. */
    @Override public BufferGemm lane() { return SINGLE; }

    @Override
    public void gemm(FloatBuffer a, int aOff, boolean transA, FloatBuffer b, int bOff, boolean transB,
                     FloatBuffer c, int cOff, boolean accumulate, int m, int n, int k) {
        if (m == 0 || n == 0) return;                            // an empty window (its buffer may be absent)
        if (k == 0) {                                            // likewise A and B
            if (!accumulate) java.util.Arrays.fill(array(c), cOff, cOff + m * n, 0f);
            return;
        }
        Gemm.gemm(parallel, array(a), aOff, transA, 0, array(b), bOff, transB, 0, array(c), cOff, accumulate, 1, m, n, k);
    }

    @Override
    public void gemm(DoubleBuffer a, int aOff, boolean transA, DoubleBuffer b, int bOff, boolean transB,
                     DoubleBuffer c, int cOff, boolean accumulate, int m, int n, int k) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) java.util.Arrays.fill(array(c), cOff, cOff + m * n, 0.0);
            return;
        }
        Gemm.gemm(parallel, array(a), aOff, transA, 0, array(b), bOff, transB, 0, array(c), cOff, accumulate, 1, m, n, k);
    }

    private static float[] array(FloatBuffer x) {
        if (!x.hasArray() || x.arrayOffset() != 0) throw new IllegalArgumentException("java backend: gemm needs a heap buffer from index 0; got " + x);
        return x.array();
    }

    private static double[] array(DoubleBuffer x) {
        if (!x.hasArray() || x.arrayOffset() != 0) throw new IllegalArgumentException("java backend: gemm needs a heap buffer from index 0; got " + x);
        return x.array();
    }
}
