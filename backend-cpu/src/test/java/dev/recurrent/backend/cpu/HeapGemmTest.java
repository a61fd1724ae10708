package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Random;

/**
 * {@link HeapGemm} (the {@link BufferGemm} of the {@code java} backend, through Gemm's output offset and
 * accumulate flag) against the triple loop of {@link Naive#matmul}: operands at offsets inside larger
 * buffers, every transpose, C written or added to, and the cells around the C window left alone.
 */
class HeapGemmTest {
    @Property(tries = 60, seed = "8128")
    void windowsOfBuffersMatchTheTripleLoop(@ForAll @IntRange(min = 0, max = 9) int m, @ForAll @IntRange(min = 0, max = 9) int n,
                                            @ForAll @IntRange(min = 0, max = 9) int k, @ForAll boolean transA, @ForAll boolean transB,
                                            @ForAll boolean accumulate, @ForAll DType dtype, @ForAll long seed) {
        Random r = new Random(seed);
        int aOff = r.nextInt(5), bOff = r.nextInt(5), cOff = r.nextInt(5), pad = 3;
        double[] a = Naive.data(r, aOff + m * k + pad, dtype), b = Naive.data(r, bOff + k * n + pad, dtype);
        double[] c = Naive.data(r, cOff + m * n + pad, dtype);
        double[] aw = java.util.Arrays.copyOfRange(a, aOff, aOff + m * k), bw = java.util.Arrays.copyOfRange(b, bOff, bOff + k * n);
        double[] product = Naive.matmul(aw, transA, 0, bw, transB, 0, 1, m, n, k);
        double[] want = c.clone();
        for (int i = 0; i < m * n; i++) want[cOff + i] = (accumulate ? c[cOff + i] : 0) + product[i];
        HeapGemm g = new HeapGemm(new Parallel(2));
        double[] got;
        if (dtype == DType.F32) {
            FloatBuffer fa = floats(a), fb = floats(b), fc = floats(c);
            g.gemm(fa, aOff, transA, fb, bOff, transB, fc, cOff, accumulate, m, n, k);
            got = new double[c.length];
            for (int i = 0; i < got.length; i++) got[i] = fc.get(i);
        } else {
            DoubleBuffer dc = DoubleBuffer.wrap(c.clone());
            g.gemm(DoubleBuffer.wrap(a), aOff, transA, DoubleBuffer.wrap(b), bOff, transB, dc, cOff, accumulate, m, n, k);
            got = dc.array();
        }
        String what = m + "x" + k + "·" + k + "x" + n + (transA ? " tA" : "") + (transB ? " tB" : "") + (accumulate ? " +=" : " =");
        Naive.assertClose(what, want, got, dtype == DType.F32 ? 1e-5 : 1e-12, dtype == DType.F32 ? 1e-5 : 1e-12);
    }

    private static FloatBuffer floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) x[i];
        return FloatBuffer.wrap(f);
    }
}
